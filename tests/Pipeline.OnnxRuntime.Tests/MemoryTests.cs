using System.Diagnostics;
using Pipeline.OnnxRuntime.Tests.Support;

namespace Pipeline.OnnxRuntime.Tests;

/// <summary>
/// Every run creates and releases native values, type infos, run options and pinned handles; a missed release of
/// any of them costs at least ~100 bytes per run, i.e. tens of megabytes over these runs. Measured on this machine:
/// the process settles after ~50,000 runs (a one-off ~8 MB step in private memory, then JIT tiering adds a few MB
/// of working set), so the warm-up runs past that before the baseline is taken.
/// </summary>
[Collection(OnnxRuntimeCollection.Name)]
public sealed class MemoryTests(OnnxRuntimeFixture ort)
{
    private const int WarmUpRuns = 60_000;
    private const int Runs = 300_000;
    private const long AllowedGrowth = 20L * 1024 * 1024;

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
        var before = Measure();
        RunBatch(Runs);
        var after = Measure();

        AssertGrowth("private memory", before.Private, after.Private);
        AssertGrowth("working set", before.WorkingSet, after.WorkingSet);
        Assert.Equal(TestModels.LinearExpected(x, 8).Scores[0], scores[0], 4);
    }

    private static void AssertGrowth(string what, long before, long after) =>
        Assert.True(after - before < AllowedGrowth,
            $"The process's {what} grew by {(after - before) / 1024.0 / 1024.0:F1} MB over {Runs:N0} runs (allowed {AllowedGrowth / 1024 / 1024} MB).");

    private static (long Private, long WorkingSet) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (process.PrivateMemorySize64, process.WorkingSet64);
    }
}
