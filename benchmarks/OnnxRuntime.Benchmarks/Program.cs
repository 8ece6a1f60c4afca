using OnnxRuntime.Benchmarks;
using Pipeline.OnnxRuntime;

BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

try
{
    var environment = new OrtEnvironment();
    FeatureInput input;
    using (var probe = new InferenceSession(environment, settings.ModelPath))
    {
        input = FeatureInput.Describe(probe, settings.ModelPath);
    }

    var batches = input.FixedBatch is { } fixedBatch ? [(int)fixedBatch] : settings.BatchSizes;
    Console.WriteLine($"model   {Path.GetFullPath(settings.ModelPath)}");
    Console.WriteLine($"input   '{input.Name}' float [{(input.FixedBatch?.ToString() ?? "N")}, {string.Join(", ", input.FeatureDims)}]" +
        (input.FixedBatch is null ? string.Empty : "  (fixed batch: --batch ignored)"));
    Console.WriteLine($"runtime ONNX Runtime {environment.Version}, {Environment.ProcessorCount} logical CPUs, spinning {(settings.AllowSpinning ? "on" : "off")}, " +
        $"{(settings.IntoCallerBuffers ? "outputs into reused buffers" : "outputs copied to new arrays")}, {settings.Duration.TotalSeconds:0.#} s per row");
    Console.WriteLine();
    Console.WriteLine($"{"batch",6} {"threads",8} {"runs",9} {"p50 µs",10} {"p99 µs",10} {"runs/s",10} {"samples/s",11}");

    foreach (var threads in settings.Threads)
    {
        var options = new SessionOptions { IntraOpThreads = threads, InterOpThreads = 1, AllowSpinning = settings.AllowSpinning };
        using var session = new InferenceSession(environment, settings.ModelPath, options);
        foreach (var batch in batches)
        {
            var result = LatencyRun.Measure(session, input.Batch(batch, seed: batch), batch, threads, settings.Duration, settings.IntoCallerBuffers);
            Console.WriteLine($"{result.Batch,6} {result.Threads,8} {result.Runs,9:N0} {result.P50Microseconds,10:N1} {result.P99Microseconds,10:N1} " +
                $"{result.RunsPerSecond,10:N0} {result.RunsPerSecond * result.Batch,11:N0}");
        }
    }

    return 0;
}
catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or ArgumentException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
