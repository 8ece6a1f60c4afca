using System.Globalization;
using Pipeline.OnnxRuntime;

namespace Pipeline.Stages;

/// <summary>
/// The gated model's own answers, from in-process ONNX Runtime, to the first test rows: what a served model must
/// answer. Each row runs alone (batch 1), as clients send them: dynamic int8 quantization scales by the whole input
/// tensor, so answers computed for a batch would differ from the ones a batch-1 request gets. Labels are kept as
/// text, whatever the model's label type (class indices of the MLP, species names of an ML.NET export).
/// </summary>
public sealed record GatedModelAnswers(IReadOnlyList<NamedTensor>[] Rows, float[][] Probabilities, string[] Labels)
{
    public const string ProbabilitiesOutput = "probabilities";
    public const string LabelOutput = "label";

    public int Count => Labels.Length;

    public static async Task<GatedModelAnswers> ComputeAsync(OrtEnvironment ort, string modelPath, ModelSource source, int rows, CancellationToken cancellationToken)
    {
        using var session = new InferenceSession(ort, modelPath);
        var inputs = await RowsAsync(session, source, rows, cancellationToken);
        var count = inputs.Length;
        var probabilities = new float[count][];
        var labels = new string[count];
        for (var i = 0; i < count; i++)
        {
            var outputs = session.Run(inputs[i], [ProbabilitiesOutput, LabelOutput], cancellationToken);
            probabilities[i] = outputs[0].Tensor.As<float>().ToArray();
            labels[i] = LabelText(outputs[1].Tensor);
        }

        return new GatedModelAnswers(inputs, probabilities, labels);
    }

    /// <summary>The first test rows as the model's named inputs (batch 1 each), without running it.</summary>
    public static async Task<IReadOnlyList<NamedTensor>[]> RowsAsync(InferenceSession session, ModelSource source, int rows, CancellationToken cancellationToken)
    {
        var test = (await ModelTestData.LoadAsync(source, cancellationToken)).TestSet;
        var count = Math.Min(rows, test.Count);
        // The MLP's test set names its one input after the model; any other test set carries the model's own input names.
        var inputName = session.Inputs.Count == 1 ? session.Inputs[0].Name : null;
        var inputs = new IReadOnlyList<NamedTensor>[count];
        for (var i = 0; i < count; i++)
            inputs[i] = test.Rows(i, 1).Select(t => test.Features is not null && inputName is not null ? t with { Name = inputName } : t).ToList();
        return inputs;
    }

    /// <summary>The first label of a label output as text: an int64 class index or a string label value.</summary>
    public static string LabelText(DenseTensor label) => label switch
    {
        StringTensor strings => strings.Values[0],
        DenseTensor<long> indices => indices.Span[0].ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidDataException($"The model's '{LabelOutput}' output holds {label.ElementType}; a classifier's labels are int64 or strings."),
    };
}
