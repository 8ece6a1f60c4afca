using System.Text.Json;
using Pipeline.Drift;
using Pipeline.OnnxRuntime;

namespace Pipeline.Stages;

/// <summary>
/// Records a gated model's drift baseline: per numeric input, the deciles of the per-row mean over a seeded sample of
/// the training rows; and the class distribution of the model's own predictions on those rows (ONNX Runtime, each row
/// alone as clients send them, like Containerize's GatedModelAnswers). Bins are counted with Pipeline.Drift, as the server counts them.
/// </summary>
public static class DriftBaselineRecorder
{
    /// <summary>Enough rows for stable deciles, few enough that batch-1 predictions take seconds.</summary>
    public const int MaxReferenceRows = 5000;

    public const string LabelOutput = "label";

    public static async Task<DriftBaseline> RecordAsync(OrtEnvironment ort, string modelPath, ModelSource source, string modelName, string version,
        CancellationToken cancellationToken)
    {
        var reference = await DriftReferenceRows.LoadAsync(source, cancellationToken);
        var sample = DriftBaselineBuilder.SampleRows(reference.Count, MaxReferenceRows, source.Seed);
        using var session = new InferenceSession(ort, modelPath);
        // The MLP's rows name their one input "input"; the model may call it otherwise (as GatedModelAnswers does).
        var inputs = reference.Inputs
            .Select(t => new NamedTensor(session.Inputs.Count == 1 && reference.Inputs.Count == 1 ? session.Inputs[0].Name : t.Name, TensorRows.Gather(t.Tensor, sample)))
            .ToList();
        var notes = new List<string>
        {
            $"reference rows: {sample.Length} of the {reference.Count} rows of the {reference.Description}, sampled with seed {source.Seed}",
            "numeric quantities: per row, the mean of the input's values in the row (NaN left out); bins at the reference deciles, first and last open-ended",
        };

        var quantities = new List<DriftQuantity>();
        foreach (var node in session.Inputs)
        {
            var tensor = inputs.Where(i => i.Name == node.Name).Select(i => i.Tensor).SingleOrDefault()
                ?? throw new InvalidDataException($"The reference rows have no column '{node.Name}' for the model's input of that name; the model and its data do not belong together.");
            if (RowMeans(tensor) is { } means) quantities.Add(DriftBaselineBuilder.InputMean(node.Name, means));
            else notes.Add($"input '{node.Name}' ({tensor.ElementType}) has no drift quantity: only numeric inputs (FP32, FP64, INT32, INT64) have a row mean");
        }

        var classNames = ClassNames(session, modelPath);
        var labels = new ClassLabelMap(classNames);
        var predicted = new string[sample.Length];
        for (var r = 0; r < sample.Length; r++)
        {
            var row = inputs.Select(i => TensorRows.Slice(i, r, 1)).ToList();
            var label = session.Run(row, [LabelOutput], cancellationToken)[0].Tensor;
            var index = label is DenseTensor<long> numbers ? labels.IndexOf(numbers.Span[0]) : labels.IndexOf(LabelText(label));
            predicted[r] = index >= 0 ? classNames[index] : throw new InvalidDataException(
                $"Model '{modelPath}' predicted label '{LabelText(label)}' for reference row {sample[r]}, which is not in its class_names ({string.Join(", ", classNames)}); re-export the model.");
        }

        quantities.Add(DriftBaselineBuilder.PredictedClass(classNames, predicted));
        notes.Add("prediction:class: the gated model's own predictions on the reference rows, each row run alone (batch 1)");
        return new DriftBaseline(modelName, version, reference.Source, sample.Length, notes, quantities);
    }

    private static string LabelText(DenseTensor label) => label switch
    {
        StringTensor strings => strings.Values[0],
        DenseTensor<long> numbers => numbers.Span[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new InvalidDataException($"The model's '{LabelOutput}' output holds {label.ElementType}; a classifier's labels are int64 or strings."),
    };

    private static double[]? RowMeans(DenseTensor tensor)
    {
        var (rows, width) = TensorRows.Layout(tensor);
        var means = new double[rows];
        switch (tensor)
        {
            case DenseTensor<float> f: for (var r = 0; r < rows; r++) means[r] = DriftBinning.RowMean((ReadOnlySpan<float>)f.Span.Slice(r * width, width)); break;
            case DenseTensor<double> d: for (var r = 0; r < rows; r++) means[r] = DriftBinning.RowMean((ReadOnlySpan<double>)d.Span.Slice(r * width, width)); break;
            case DenseTensor<int> i: for (var r = 0; r < rows; r++) means[r] = DriftBinning.RowMean((ReadOnlySpan<int>)i.Span.Slice(r * width, width)); break;
            case DenseTensor<long> l: for (var r = 0; r < rows; r++) means[r] = DriftBinning.RowMean((ReadOnlySpan<long>)l.Span.Slice(r * width, width)); break;
            default: return null;
        }

        return means;
    }

    private static IReadOnlyList<string> ClassNames(InferenceSession session, string modelPath)
    {
        if (!session.ModelMetadata.CustomMetadata.TryGetValue("class_names", out var text))
            throw new InvalidDataException($"Model '{modelPath}' has no class_names metadata, so its predicted classes cannot be binned; export it with the pipeline's exporters.");
        return JsonSerializer.Deserialize<string[]>(text)
            ?? throw new InvalidDataException($"Model '{modelPath}' has class_names metadata 'null'; it must be a JSON array of class labels.");
    }
}
