using System.Diagnostics;
using Serving.Server.Configuration;
using Serving.Server.Inference;
using Serving.Server.Model;

namespace Serving.Server.Hosting;

/// <summary>
/// Runs the model a few times at each batch size it will meet (first runs pay for memory planning and
/// allocation), waits for every <see cref="IReadinessGate"/>, then marks the server ready. A failure stops the
/// server with a non-zero exit code rather than leaving it live but never ready.
/// </summary>
internal sealed class ModelWarmupService(
    ServedModel model,
    ServerOptions options,
    ServerReadiness readiness,
    IEnumerable<IReadinessGate> gates,
    StartupFailure failure,
    IHostApplicationLifetime lifetime,
    ILogger<ModelWarmupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and Kestrel start listening) while the model warms up.
        await Task.Yield();
        try
        {
            var clock = Stopwatch.StartNew();
            var batchSizes = new SortedSet<int> { 1, options.MaxBatchSize };
            if (options.DynamicBatching) batchSizes.Add(options.DynamicBatchMaxSize);
            foreach (var rows in batchSizes)
            {
                for (var run = 0; run < options.WarmupRuns; run++)
                {
                    stoppingToken.ThrowIfCancellationRequested();
                    RunOnDefaults(rows);
                }
            }

            logger.LogInformation("Model warmed up with {Runs} runs at batch sizes {BatchSizes} in {Milliseconds} ms",
                options.WarmupRuns * batchSizes.Count, string.Join(", ", batchSizes), clock.ElapsedMilliseconds);
            foreach (var gate in gates) await gate.WaitAsync(stoppingToken);
            readiness.MarkWarm();
            logger.LogInformation("Ready: serving model '{Model}' version '{Version}'", model.Name, model.Version);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown began before the server got ready; nothing failed.
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "Warm-up failed; the server stops because it could never become ready");
            failure.Record(e);
            lifetime.StopApplication();
        }
    }

    private void RunOnDefaults(int rows)
    {
        var call = new InferenceCall(model) { Rows = rows };
        try
        {
            for (var i = 0; i < model.Inputs.Count; i++)
            {
                // Zeros, false and empty strings: any model must accept them, whatever it makes of them.
                var input = TensorBuffer.Rent(model.Inputs[i].ElementType, rows * model.Inputs[i].RowElementCount);
                input.Clear();
                call.Inputs[i] = input;
            }

            for (var o = 0; o < model.Outputs.Count; o++) call.AddOutput(o, binary: false);
            model.Run(rows, call.Inputs!, call.Outputs);
        }
        finally
        {
            call.Dispose();
        }
    }
}
