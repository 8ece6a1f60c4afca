using Pipeline.OnnxRuntime;

namespace Pipeline.Gates;

/// <summary>
/// Measures a candidate in ONNX Runtime on the held-out test set: accuracy and log loss from scoring every row in
/// batches, then batch-1 and batch-N latency. Candidates are measured one after another, never concurrently, so
/// their latencies do not compete for the same cores.
/// </summary>
/// <remarks>
/// Synchronous on purpose: the work is CPU-bound native Runs, which an async signature would only wrap. The token is
/// honoured between batches and between timed runs; callers that must not block a thread can Task.Run it.
/// </remarks>
public sealed class OnnxModelEvaluator
{
    private readonly EvaluationOptions _options;

    public OnnxModelEvaluator(EvaluationOptions? options = null)
    {
        _options = options ?? new EvaluationOptions();
        _options.Validate();
    }

    /// <summary>Opens <paramref name="candidate"/>'s file in a new session and measures it.</summary>
    public CandidateMeasurement Evaluate(ModelCandidate candidate, OrtEnvironment environment, LabelledTestSet testSet,
        SessionOptions? sessionOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(environment);
        RequireFile(candidate);
        using var session = new InferenceSession(environment, candidate.Path, sessionOptions);
        return Evaluate(candidate, session, testSet, cancellationToken);
    }

    /// <summary>Measures an already open session; <paramref name="candidate"/>'s path gives the file size.</summary>
    public CandidateMeasurement Evaluate(ModelCandidate candidate, InferenceSession session, LabelledTestSet testSet,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(testSet);
        var sizeBytes = RequireFile(candidate).Length;
        var inputs = InputsOf(testSet);
        var labelType = new ClassifierSignature(_options, candidate).Check(session, inputs);

        var (predictions, labels) = Score(candidate, session, inputs, testSet.Count, labelType, cancellationToken);
        var truth = labels.ColumnsOfTruth(testSet.LabelValues);
        var correct = ClassificationMetrics.CountEqual(truth, predictions.Labels);
        var logLoss = ClassificationMetrics.LogLoss(predictions.Probabilities, predictions.ClassCount, truth);

        var probe = new LatencyProbe(session, _options, inputs, testSet.Count, predictions.ClassCount, labelType);
        var singleRow = probe.MeasureSingleRow(cancellationToken);
        var batch = probe.MeasureBatch(cancellationToken);
        return new CandidateMeasurement(candidate.Name, candidate.Path, candidate.Kind, sizeBytes, testSet.Count, correct,
            correct / (double)testSet.Count, logLoss, singleRow, batch, predictions);
    }

    /// <summary>The MLP's test set feeds the input the options name; any other test set names its own inputs.</summary>
    private IReadOnlyList<NamedTensor> InputsOf(LabelledTestSet testSet) => testSet.Features is not null
        ? [new NamedTensor(_options.InputName, testSet.Inputs[0].Tensor)]
        : testSet.Inputs;

    private (CandidatePredictions Predictions, CandidateLabels Labels) Score(ModelCandidate candidate, InferenceSession session,
        IReadOnlyList<NamedTensor> inputs, int count, TensorElementType labelType, CancellationToken cancellationToken)
    {
        var labels = new int[count];
        float[]? probabilities = null;
        CandidateLabels? classes = null;
        var classCount = 0;
        string[] outputNames = [_options.ProbabilitiesOutput, _options.LabelOutput];
        for (var start = 0; start < count; start += _options.ScoringBatchSize)
        {
            var rows = Math.Min(_options.ScoringBatchSize, count - start);
            var outputs = session.Run(inputs.Select(i => TensorRows.Slice(i, start, rows)).ToList(), outputNames, cancellationToken);
            var batchProbabilities = outputs[0].Tensor.As<float>();
            if (probabilities is null)
            {
                classCount = ClassCountOf(candidate, batchProbabilities, rows);
                probabilities = new float[count * classCount];
                classes = CandidateLabels.For(candidate, session, labelType, classCount);
            }

            RequireShape(candidate, _options.ProbabilitiesOutput, batchProbabilities.Shape, [rows, classCount]);
            RequireShape(candidate, _options.LabelOutput, outputs[1].Tensor.Shape, [rows]);
            batchProbabilities.Span.CopyTo(probabilities.AsSpan(start * classCount));
            if (classes!.IsText)
            {
                var values = outputs[1].Tensor.AsStrings().Values;
                for (var i = 0; i < rows; i++) labels[start + i] = classes.ColumnOfAnswer(values[i], start + i);
            }
            else
            {
                CopyLabels(candidate, outputs[1].Tensor.As<long>().Span, labels.AsSpan(start), classCount, start);
            }
        }

        return (new CandidatePredictions(labels, probabilities!, classCount), classes!);
    }

    private int ClassCountOf(ModelCandidate candidate, DenseTensor<float> probabilities, int rows)
    {
        if (probabilities.Shape.Count != 2 || probabilities.Shape[0] != rows || probabilities.Shape[1] < 2)
            throw new InvalidDataException(
                $"Candidate '{candidate.Name}' ({candidate.Path}) returned '{_options.ProbabilitiesOutput}' with shape " +
                $"[{string.Join(", ", probabilities.Shape)}] for {rows} rows; a classifier returns [rows, classes] with at least 2 classes.");
        return checked((int)probabilities.Shape[1]);
    }

    private void CopyLabels(ModelCandidate candidate, ReadOnlySpan<long> source, Span<int> destination, int classCount, int firstRow)
    {
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] < 0 || source[i] >= classCount)
                throw new InvalidDataException(
                    $"Candidate '{candidate.Name}' ({candidate.Path}) returned '{_options.LabelOutput}' {source[i]} for test row " +
                    $"{firstRow + i}, outside its {classCount} classes.");
            destination[i] = (int)source[i];
        }
    }

    private static void RequireShape(ModelCandidate candidate, string output, IReadOnlyList<long> actual, long[] expected)
    {
        if (!actual.SequenceEqual(expected))
            throw new InvalidDataException(
                $"Candidate '{candidate.Name}' ({candidate.Path}) returned '{output}' with shape [{string.Join(", ", actual)}]; " +
                $"expected [{string.Join(", ", expected)}].");
    }

    private static FileInfo RequireFile(ModelCandidate candidate)
    {
        var file = new FileInfo(candidate.Path);
        if (!file.Exists)
            throw new FileNotFoundException(
                $"Candidate '{candidate.Name}': model file '{file.FullName}' does not exist. Run the target that produces it " +
                "(ExportOnnx for fp32, Quantize for int8) or remove the candidate.", file.FullName);
        return file;
    }
}
