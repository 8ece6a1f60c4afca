using Training.Compression;
using Training.Compute;
using Training.Data;
using Training.Models;
using Training.Networks;
using Training.Optimization;

namespace Training;

/// <summary>Training produced non-finite losses (the learning rate is too high for the data).</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>
/// How training starts and what it fits, where that differs from the default (a randomly initialized network
/// fitted to the labels). Compression uses it to fine-tune a pruned model and to distill a teacher into a student.
/// </summary>
public sealed record TrainingSetup
{
    /// <summary>Warm start: begin from this model's weights, biases and normalizer instead of random weights and a
    /// normalizer fitted to the training set. Its layer sizes must match the options. It is not modified.</summary>
    public MlpModel? InitialModel { get; init; }
    /// <summary>Weights held at exactly zero: applied to the starting weights and again after every optimizer
    /// step, so neither the gradient nor optimizer state (momentum, Adam moments) can move a pruned weight.</summary>
    public WeightMask? Mask { get; init; }
    /// <summary>Fit the teacher's soft targets as well as the labels (<see cref="DistillationLoss"/>). Rows follow
    /// the training set's sample order. Validation loss, which picks the best epoch, stays cross-entropy with the labels.</summary>
    public DistillationTargets? Distillation { get; init; }
}

/// <summary>
/// Mini-batch training of an MLP (or softmax regression) with early stopping on validation loss.
/// Deterministic: the same data, options and seed give bit-identical weights for any <see cref="ExecutionOptions"/>
/// (see <see cref="MatrixMultiplier"/>: threads only split outputs, never a reduction).
/// </summary>
public sealed class Trainer
{
    private readonly TrainingOptions _options;
    private readonly ExecutionOptions _execution;
    private readonly TimeProvider _time;

    public Trainer(TrainingOptions options, ExecutionOptions? execution = null, TimeProvider? timeProvider = null)
    {
        options.Validate();
        _options = options;
        _execution = execution ?? new ExecutionOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Trains on <paramref name="train"/>, choosing the epoch by <paramref name="validation"/> loss, on a dedicated
    /// thread. Reports every epoch and every batch; cancellation is checked after each batch.
    /// </summary>
    public Task<TrainingResult> TrainAsync(DataSet train, DataSet validation, IProgress<EpochReport>? epochProgress = null,
        IProgress<BatchProgress>? batchProgress = null, CancellationToken cancellationToken = default) =>
        TrainAsync(train, validation, new TrainingSetup(), epochProgress, batchProgress, cancellationToken);

    /// <summary>As <see cref="TrainAsync(DataSet, DataSet, IProgress{EpochReport}?, IProgress{BatchProgress}?, CancellationToken)"/>,
    /// from a warm start, with masked weights or with distillation targets as <paramref name="setup"/> says.
    /// Equally deterministic: the same inputs give bit-identical weights for any <see cref="ExecutionOptions"/>.</summary>
    public Task<TrainingResult> TrainAsync(DataSet train, DataSet validation, TrainingSetup setup, IProgress<EpochReport>? epochProgress = null,
        IProgress<BatchProgress>? batchProgress = null, CancellationToken cancellationToken = default)
    {
        CheckCompatible(train, validation);
        CheckSetup(train, setup);
        return Task.Factory.StartNew(() => Train(train, validation, setup, epochProgress, batchProgress, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private TrainingResult Train(DataSet train, DataSet validation, TrainingSetup setup, IProgress<EpochReport>? epochProgress,
        IProgress<BatchProgress>? batchProgress, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var pool = new WorkerPool(_execution.DegreeOfParallelism);
        var multiplier = new MatrixMultiplier(pool, _execution.Kernel);
        var options = _options;
        var normalizer = setup.InitialModel?.Normalizer ?? FeatureStatistics.Fit(train, options.MinimumFeatureStd);
        var batchSize = Math.Min(options.BatchSize, train.Count);
        var network = new MlpNetwork(train.FeatureCount, options.HiddenLayers, train.ClassCount, batchSize, options.Dropout, multiplier);
        if (setup.InitialModel is { } start)
            network.RestoreParametersFrom(start.Layers.Select(l => l.Weights).ToArray(), start.Layers.Select(l => l.Bias).ToArray());
        else
        {
            var initRng = Xoshiro256.ForStream(options.Seed, RandomStream.Initialization);
            network.Initialize(ref initRng);
        }
        setup.Mask?.ApplyInPlace(network.Weights);
        var batchLoss = setup.Distillation?.CreateBatchLoss(batchSize);
        var shuffleRng = Xoshiro256.ForStream(options.Seed, RandomStream.Shuffle);
        var dropoutRng = Xoshiro256.ForStream(options.Seed, RandomStream.Dropout);
        var optimizer = CreateOptimizer(network.Parameters, pool);
        var stepsPerEpoch = (train.Count + batchSize - 1) / batchSize;
        var schedule = options.CreateSchedule(stepsPerEpoch);
        var stopping = new EarlyStopping(options.EarlyStoppingPatience, options.EarlyStoppingMinimumImprovement);
        var best = new ParameterSnapshot(network);
        var validator = new MlpPredictor(network.AsModel(normalizer, train.ClassNames), multiplier);

        var order = Enumerable.Range(0, train.Count).ToArray();
        var input = new float[batchSize * train.FeatureCount];
        var labels = new int[batchSize];
        var reports = new List<EpochReport>();
        var stopReason = StopReason.MaxEpochsReached;
        var step = 0;
        for (var epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            var epochStarted = _time.GetTimestamp();
            shuffleRng.Shuffle(order);
            double lossSum = 0, rate = 0;
            for (var b = 0; b < stepsPerEpoch; b++, step++)
            {
                var first = b * batchSize;
                var rows = Math.Min(batchSize, train.Count - first);
                Gather(train, normalizer, order.AsSpan(first, rows), input, labels);
                batchLoss?.SelectSamples(order.AsSpan(first, rows));
                lossSum += network.ComputeGradients(input.AsSpan(0, rows * train.FeatureCount), labels.AsSpan(0, rows), ref dropoutRng, batchLoss);
                rate = schedule.RateAt(step);
                optimizer.Step(rate);
                setup.Mask?.ApplyInPlace(network.Weights);
                batchProgress?.Report(new BatchProgress(epoch, options.MaxEpochs, b + 1, stepsPerEpoch, lossSum / (first + rows)));
                cancellationToken.ThrowIfCancellationRequested();
            }
            var trainLoss = lossSum / train.Count;
            if (!double.IsFinite(trainLoss))
                throw new TrainingDivergedException($"Training loss became {trainLoss} in epoch {epoch}; lower TrainingOptions.LearningRate (now {options.LearningRate}).");

            var (validationLoss, validationAccuracy) = validator.LossAndAccuracy(validation);
            var improved = stopping.Observe(epoch, validationLoss);
            if (improved) best.Capture(network);
            var now = _time.GetTimestamp();
            var report = new EpochReport(epoch, options.MaxEpochs, trainLoss, validationLoss, validationAccuracy, rate, improved,
                _time.GetElapsedTime(epochStarted, now), _time.GetElapsedTime(started, now));
            reports.Add(report);
            epochProgress?.Report(report);
            if (stopping.ShouldStop)
            {
                stopReason = StopReason.EarlyStopped;
                break;
            }
        }

        if (stopping.BestEpoch == 0)
            throw new TrainingDivergedException($"Validation loss was never finite in {reports.Count} epoch(s); lower TrainingOptions.LearningRate (now {options.LearningRate}).");
        best.Restore(network);
        var model = network.AsModel(normalizer, train.ClassNames);
        var bestReport = reports[stopping.BestEpoch - 1];
        var record = new TrainingRecord(
            options, options.Architecture(train.FeatureCount, train.ClassCount),
            train.Sources.Concat(validation.Sources).Distinct().ToArray(),
            train.Count, validation.Count, reports.Count, stopping.BestEpoch, stopReason,
            bestReport.ValidationLoss, bestReport.ValidationAccuracy,
            reports.Select(r => new LearningCurvePoint(r.Epoch, r.TrainLoss, r.ValidationLoss, r.ValidationAccuracy, r.LearningRate)).ToArray());
        return new TrainingResult(model, record, reports, _time.GetElapsedTime(started));
    }

    private IOptimizer CreateOptimizer(IReadOnlyList<ParameterTensor> parameters, WorkerPool pool) => _options.Optimizer switch
    {
        OptimizerKind.Adam => new AdamOptimizer(parameters, _options.Beta1, _options.Beta2, _options.Epsilon, _options.WeightDecay, pool),
        OptimizerKind.Sgd => new SgdOptimizer(parameters, _options.Momentum, _options.Nesterov, _options.WeightDecay, pool),
        _ => throw new ArgumentOutOfRangeException(nameof(_options.Optimizer), _options.Optimizer, "Unknown optimizer."),
    };

    /// <summary>Copies the shuffled samples into the batch buffer, normalizing them on the way.</summary>
    private static void Gather(DataSet data, FeatureNormalizer normalizer, ReadOnlySpan<int> indices, Span<float> input, Span<int> labels)
    {
        var features = data.FeatureCount;
        for (var r = 0; r < indices.Length; r++)
        {
            DenseOps.Normalize(data.Sample(indices[r]), normalizer, input.Slice(r * features, features), 1);
            labels[r] = data.Labels[indices[r]];
        }
    }

    private static void CheckCompatible(DataSet train, DataSet validation)
    {
        if (train.Count == 0) throw new ArgumentException("The training set is empty.", nameof(train));
        if (validation.Count == 0) throw new ArgumentException("The validation set is empty; early stopping needs one.", nameof(validation));
        if (validation.FeatureCount != train.FeatureCount)
            throw new ArgumentException($"Validation samples have {validation.FeatureCount} features, training samples {train.FeatureCount}.", nameof(validation));
        if (!validation.ClassNames.SequenceEqual(train.ClassNames))
            throw new ArgumentException("Validation and training sets name different classes.", nameof(validation));
    }

    private void CheckSetup(DataSet train, TrainingSetup setup)
    {
        int[] sizes = [train.FeatureCount, .. _options.HiddenLayers, train.ClassCount];
        var architecture = string.Join("-", sizes);
        if (setup.InitialModel is { } start)
        {
            var startArchitecture = string.Join("-", [start.InputSize, .. start.Layers.Select(l => l.OutputSize)]);
            if (startArchitecture != architecture)
                throw new ArgumentException($"The initial model is {startArchitecture} but the options and data make {architecture}; set TrainingOptions.HiddenLayers to the initial model's hidden widths.", nameof(setup));
            if (!start.ClassNames.SequenceEqual(train.ClassNames))
                throw new ArgumentException("The initial model and the training set name different classes.", nameof(setup));
            for (var l = 0; l < start.Layers.Count; l++)
                if (start.Layers[l].Activation != (l < start.Layers.Count - 1 ? Activation.Relu : Activation.None))
                    throw new ArgumentException($"Layer {l} of the initial model uses {start.Layers[l].Activation}; training supports ReLU hidden layers and a linear output layer.", nameof(setup));
        }
        setup.Mask?.CheckFits(sizes.Zip(sizes.Skip(1), (input, output) => input * output).ToArray(), $"the {architecture} network");
        if (setup.Distillation is { } distillation && (distillation.SampleCount != train.Count || distillation.ClassCount != train.ClassCount))
            throw new ArgumentException($"The distillation targets cover {distillation.SampleCount} samples of {distillation.ClassCount} classes but the training set has {train.Count} of {train.ClassCount}; compute them from this training set.", nameof(setup));
    }

    /// <summary>A copy of the network's parameters (the best epoch's, for early stopping).</summary>
    private sealed class ParameterSnapshot(MlpNetwork network)
    {
        private readonly float[][] _weights = network.Weights.Select(w => new float[w.Length]).ToArray();
        private readonly float[][] _biases = network.Biases.Select(b => new float[b.Length]).ToArray();

        public void Capture(MlpNetwork source) => source.CopyParametersTo(_weights, _biases);
        public void Restore(MlpNetwork target) => target.RestoreParametersFrom(_weights, _biases);
    }
}
