using Training.Compute;
using Training.Data;
using Training.Models;
using Training.Networks;
using Training.Optimization;

namespace Training;

/// <summary>Training produced non-finite losses (the learning rate is too high for the data).</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

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
        IProgress<BatchProgress>? batchProgress = null, CancellationToken cancellationToken = default)
    {
        CheckCompatible(train, validation);
        return Task.Factory.StartNew(() => Train(train, validation, epochProgress, batchProgress, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private TrainingResult Train(DataSet train, DataSet validation, IProgress<EpochReport>? epochProgress,
        IProgress<BatchProgress>? batchProgress, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var pool = new WorkerPool(_execution.DegreeOfParallelism);
        var multiplier = new MatrixMultiplier(pool, _execution.Kernel);
        var options = _options;
        var normalizer = FeatureStatistics.Fit(train, options.MinimumFeatureStd);
        var batchSize = Math.Min(options.BatchSize, train.Count);
        var network = new MlpNetwork(train.FeatureCount, options.HiddenLayers, train.ClassCount, batchSize, options.Dropout, multiplier);
        var initRng = Xoshiro256.ForStream(options.Seed, RandomStream.Initialization);
        network.Initialize(ref initRng);
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
                lossSum += network.ComputeGradients(input.AsSpan(0, rows * train.FeatureCount), labels.AsSpan(0, rows), ref dropoutRng);
                rate = schedule.RateAt(step);
                optimizer.Step(rate);
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

    /// <summary>A copy of the network's parameters (the best epoch's, for early stopping).</summary>
    private sealed class ParameterSnapshot(MlpNetwork network)
    {
        private readonly float[][] _weights = network.Weights.Select(w => new float[w.Length]).ToArray();
        private readonly float[][] _biases = network.Biases.Select(b => new float[b.Length]).ToArray();

        public void Capture(MlpNetwork source) => source.CopyParametersTo(_weights, _biases);
        public void Restore(MlpNetwork target) => target.RestoreParametersFrom(_weights, _biases);
    }
}
