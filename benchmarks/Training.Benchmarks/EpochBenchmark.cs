using System.Diagnostics;
using Training.Data;

namespace Training.Benchmarks;

/// <summary>Per-epoch time and achieved GFLOP/s of the default MLP on the real Fashion-MNIST split.</summary>
internal static class EpochBenchmark
{
    public static async Task RunAsync(TextWriter output, FashionMnistData data, IReadOnlyList<int> threadCounts, int epochs)
    {
        var options = new TrainingOptions { MaxEpochs = epochs, EarlyStoppingPatience = epochs };
        var split = DataSplitter.Split(data.Train, options.ValidationFraction, options.Seed, options.StratifiedSplit);
        var sizes = new[] { data.Train.FeatureCount }.Concat(options.HiddenLayers).Append(data.Train.ClassCount).ToArray();
        var flops = FlopsPerEpoch(sizes, split.Train.Count, split.Validation.Count);

        output.WriteLine($"Default MLP {options.Architecture(data.Train.FeatureCount, data.Train.ClassCount)}, batch {options.BatchSize}, " +
                         $"{split.Train.Count} train + {split.Validation.Count} validation samples, {flops / 1e9:F1} GFLOP of matrix products per epoch");
        var header = $"{"threads",-9}{"first epoch s",15}{"best epoch s",14}{"median epoch s",16}{"GFLOP/s (best)",16}{"val acc",10}";
        output.WriteLine(header);
        output.WriteLine(new string('-', header.Length));
        foreach (var threads in threadCounts)
        {
            var result = await new Trainer(options, new ExecutionOptions { DegreeOfParallelism = threads }).TrainAsync(split.Train, split.Validation);
            var seconds = result.Epochs.Select(e => e.EpochDuration.TotalSeconds).ToArray();
            var steady = seconds.Length > 1 ? seconds[1..] : seconds;
            var median = steady.Order().ElementAt(steady.Length / 2);
            output.WriteLine($"{threads,-9}{seconds[0],15:F2}{steady.Min(),14:F2}{median,16:F2}{flops / steady.Min() / 1e9,16:F1}{result.Epochs[^1].ValidationAccuracy,10:P2}");
        }
        output.WriteLine();
    }

    /// <summary>2*m*n*k per product: forward X·W for every layer, Xᵀ·dZ for every layer, dZ·Wᵀ for all but the
    /// first; plus the validation forward pass.</summary>
    public static double FlopsPerEpoch(IReadOnlyList<int> sizes, int trainSamples, int validationSamples)
    {
        double forward = 0, inputGradients = 0;
        for (var l = 0; l + 1 < sizes.Count; l++)
        {
            var perSample = 2.0 * sizes[l] * sizes[l + 1];
            forward += perSample;
            if (l > 0) inputGradients += perSample;
        }
        return trainSamples * (2 * forward + inputGradients) + validationSamples * forward;
    }
}
