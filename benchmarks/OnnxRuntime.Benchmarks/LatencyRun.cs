using System.Diagnostics;
using Pipeline.OnnxRuntime;

namespace OnnxRuntime.Benchmarks;

internal sealed record LatencyResult(int Batch, int Threads, int Runs, double P50Microseconds, double P99Microseconds, double RunsPerSecond);

/// <summary>Runs one session back to back for a fixed time and records each call's latency.</summary>
internal static class LatencyRun
{
    public static LatencyResult Measure(InferenceSession session, NamedTensor input, int batch, int threads, TimeSpan duration, bool intoCallerBuffers)
    {
        NamedTensor[] inputs = [input];
        Action run = intoCallerBuffers ? RunInto(session, inputs) : () => session.Run(inputs);

        // Warm-up: thread pools spin up, ORT plans memory, the JIT tiers up.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < duration / 4)
        {
            run();
        }

        var latencies = new List<long>(capacity: 1 << 16);
        var total = Stopwatch.StartNew();
        while (total.Elapsed < duration)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            latencies.Add(Stopwatch.GetTimestamp() - start);
        }

        total.Stop();
        latencies.Sort();
        return new LatencyResult(batch, threads, latencies.Count,
            Microseconds(Percentile(latencies, 50)), Microseconds(Percentile(latencies, 99)),
            latencies.Count / total.Elapsed.TotalSeconds);
    }

    /// <summary>Output buffers sized from one ordinary run, then reused by every measured run.</summary>
    private static Action RunInto(InferenceSession session, NamedTensor[] inputs)
    {
        var outputs = session.Run(inputs)
            .Select(output => output.Tensor is DenseTensor<float> or DenseTensor<long>
                ? output
                : throw new NotSupportedException($"--into supports float and int64 outputs; '{output.Name}' is {output.Tensor.ElementType}."))
            .ToArray();
        return () => session.RunInto(inputs, outputs);
    }

    /// <summary>Nearest-rank percentile: the smallest sample with at least p% of samples at or below it.</summary>
    private static long Percentile(List<long> sorted, double p) =>
        sorted[Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];

    private static double Microseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
