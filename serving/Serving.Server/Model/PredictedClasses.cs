using Pipeline.Drift;
using Pipeline.OnnxRuntime;
using Serving.Server.Inference;

namespace Serving.Server.Model;

/// <summary>
/// Maps each answered row to its class's index in the model's class_names: from the <c>label</c> output the server
/// returned, else the argmax of the returned <c>probabilities</c>. Built once per model; lookups allocate nothing.
/// </summary>
internal sealed class PredictedClasses
{
    public const string LabelOutput = "label";
    public const string ProbabilitiesOutput = "probabilities";

    private readonly int _labelOutput;
    private readonly int _probabilitiesOutput;
    private readonly ClassLabelMap _labels;

    private PredictedClasses(IReadOnlyList<string> classNames, int labelOutput, int probabilitiesOutput)
    {
        ClassNames = classNames;
        _labelOutput = labelOutput;
        _probabilitiesOutput = probabilitiesOutput;
        // The baseline maps the gated model's labels with the same map, so a class means the same on both sides.
        _labels = new ClassLabelMap(classNames);
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <returns>Null when the model has no class_names, or neither a usable label nor probabilities output.</returns>
    public static PredictedClasses? Create(ServedModel model)
    {
        if (model.ClassNames.Count == 0) return null;
        var label = model.FindOutput(LabelOutput);
        if (label >= 0 && (model.Outputs[label].Rank != 1 || model.Outputs[label].ElementType is not (TensorElementType.String or TensorElementType.Int64 or TensorElementType.Int32)))
            label = -1;
        var probabilities = model.FindOutput(ProbabilitiesOutput);
        if (probabilities >= 0 && (model.Outputs[probabilities].ElementType != TensorElementType.Float || model.Outputs[probabilities].RowElementCount != model.ClassNames.Count))
            probabilities = -1;
        return label < 0 && probabilities < 0 ? null : new PredictedClasses(model.ClassNames, label, probabilities);
    }

    /// <summary>Fills <paramref name="classes"/> (one per row) with class indices, -1 for a label outside class_names.</summary>
    /// <returns>False when the call returned neither the label nor the probabilities.</returns>
    public bool TryClassify(InferenceCall call, Span<int> classes)
    {
        TensorBuffer? probabilities = null;
        foreach (var (index, buffer) in call.Outputs)
        {
            if (index == _labelOutput)
            {
                FromLabels(buffer, classes);
                return true;
            }

            if (index == _probabilitiesOutput) probabilities = buffer;
        }

        if (probabilities is not TensorBuffer<float> floats) return false;
        FromProbabilities(floats.Span, classes);
        return true;
    }

    private void FromLabels(TensorBuffer labels, Span<int> classes)
    {
        switch (labels)
        {
            case StringTensorBuffer texts:
                for (var r = 0; r < classes.Length; r++) classes[r] = _labels.IndexOf(texts.Span[r]);
                break;
            case TensorBuffer<long> longs:
                for (var r = 0; r < classes.Length; r++) classes[r] = _labels.IndexOf(longs.Span[r]);
                break;
            case TensorBuffer<int> ints:
                for (var r = 0; r < classes.Length; r++) classes[r] = _labels.IndexOf(ints.Span[r]);
                break;
        }
    }

    private void FromProbabilities(ReadOnlySpan<float> probabilities, Span<int> classes)
    {
        var width = ClassNames.Count;
        for (var r = 0; r < classes.Length; r++)
        {
            var row = probabilities.Slice(r * width, width);
            var best = 0;
            for (var c = 1; c < width; c++)
                if (row[c] > row[best]) best = c;
            classes[r] = best;
        }
    }
}
