using System.Diagnostics;
using Training.Data;

namespace Training.Benchmarks;

/// <summary>The default training as the build runs it: load, split, train with early stopping, test metrics.</summary>
internal static class EndToEndBenchmark
{
    public static async Task RunAsync(TextWriter output, string directory)
    {
        var watch = Stopwatch.StartNew();
        var data = await FashionMnist.LoadAsync(directory);
        var loaded = watch.Elapsed;
        var run = await TrainingWorkflow.RunAsync(data, new TrainingOptions());
        var record = run.Training.Record;
        output.WriteLine("Default training end to end (load + split + train + evaluate)");
        output.WriteLine($"  load {loaded.TotalSeconds:F1} s, train {run.Training.Duration.TotalSeconds:F1} s, total {watch.Elapsed.TotalSeconds:F1} s wall");
        output.WriteLine($"  {record.EpochsRun} epochs ({record.StopReason}), best epoch {record.BestEpoch}, " +
                         $"validation accuracy {run.Validation.Accuracy:P2}, TEST accuracy {run.Test.Accuracy:P2}, test log loss {run.Test.LogLoss:F4}, macro F1 {run.Test.MacroF1:F4}");
        output.WriteLine();
    }
}
