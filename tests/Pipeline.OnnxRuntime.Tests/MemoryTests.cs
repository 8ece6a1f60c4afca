using System.Diagnostics;
using Pipeline.OnnxRuntime.Tests.Support;

namespace Pipeline.OnnxRuntime.Tests;

/// <summary>
/// Every run creates and releases native values, type infos, run options and pinned handles; a missed release of
/// any of them costs at least ~100 bytes per run. The test measures the process after each of several equal
/// intervals of runs and takes the steady-state growth as the median of the intervals' growths, in bytes per run.
/// A leak grows the process in every interval, so the median shows it; the one-off steps seen here (allocator
/// arenas, JIT tiering: up to ~20 MB at unpredictable moments) land in one or two intervals, so the median ignores
/// them. A bound on total growth cannot tell the two apart: it failed at 20.3 MB against 20 MB allowed.
/// </summary>
[Collection(OnnxRuntimeCollection.Name)]
public sealed class MemoryTests(OnnxRuntimeFixture ort)
{
    private const int WarmUpRuns = 30_000;
    private const int RunsPerInterval = 40_000;
    private const int Intervals = 8;

    /// <summary>A third of the smallest leak a missed release would cause (one native handle, ~100 bytes, per run).</summary>
    private const double AllowedBytesPerRun = 32;

    [Fact]
    public void Many_runs_do_not_grow_the_process()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear(), new SessionOptions { IntraOpThreads = 1 });
        var x = TestModels.RandomFloats(8 * TestModels.Features, seed: 6);
        NamedTensor[] inputs = [NamedTensor.Create("x", x, 8, TestModels.Features)];
        var scores = new float[8 * TestModels.Classes];
        NamedTensor[] outputs = [NamedTensor.Create("scores", scores, 8, TestModels.Classes)];
        using var cancel = new CancellationTokenSource();

        void RunBatch(int runs)
        {
            for (var i = 0; i < runs; i++)
            {
                // Alternate the paths so each one's releases are covered: allocated outputs, caller buffers,
                // and run options created for a cancelable token.
                switch (i % 3)
                {
                    case 0: session.Run(inputs); break;
                    case 1: session.RunInto(inputs, outputs); break;
                    default: session.Run(inputs, ["label"], cancel.Token); break;
                }
            }
        }

        RunBatch(WarmUpRuns);
        var samples = new List<(long Private, long WorkingSet)> { Measure() };
        for (var interval = 0; interval < Intervals; interval++)
        {
            RunBatch(RunsPerInterval);
            samples.Add(Measure());
        }

        AssertSlope("private memory", samples.Select(s => s.Private).ToArray());
        AssertSlope("working set", samples.Select(s => s.WorkingSet).ToArray());
        Assert.Equal(TestModels.LinearExpected(x, 8).Scores[0], scores[0], 4);
    }

    [Fact]
    public void The_slope_sees_a_steady_leak_and_ignores_a_one_off_step()
    {
        const long leakPerInterval = 100L * RunsPerInterval; // 100 bytes per run
        var leaking = Enumerable.Range(0, Intervals + 1).Select(i => 500_000_000 + i * leakPerInterval + (i % 2) * 300_000).ToArray();
        // Two one-off steps of 25 MB and 8 MB, as allocator arenas and JIT tiering make them.
        var stepped = Enumerable.Range(0, Intervals + 1).Select(i => 500_000_000 + (i >= 3 ? 25_000_000L : 0) + (i >= 6 ? 8_000_000L : 0)).ToArray();

        Assert.InRange(BytesPerRun(leaking), 90, 110);
        Assert.InRange(BytesPerRun(stepped), 0, 1);
    }

    private static void AssertSlope(string what, long[] samples)
    {
        var slope = BytesPerRun(samples);
        Assert.True(slope < AllowedBytesPerRun,
            $"The process's {what} grows by {slope:F1} bytes per run in steady state (allowed {AllowedBytesPerRun}); " +
            $"samples every {RunsPerInterval:N0} runs, MB: {string.Join(", ", samples.Select(s => (s / 1048576.0).ToString("F1")))}.");
    }

    /// <summary>The median over intervals of each interval's growth, per run.</summary>
    private static double BytesPerRun(long[] samples)
    {
        var growths = samples.Zip(samples.Skip(1), (before, after) => (after - before) / (double)RunsPerInterval).Order().ToArray();
        return growths.Length % 2 == 1 ? growths[growths.Length / 2] : (growths[growths.Length / 2 - 1] + growths[growths.Length / 2]) / 2;
    }

    private static (long Private, long WorkingSet) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (process.PrivateMemorySize64, process.WorkingSet64);
    }
}
