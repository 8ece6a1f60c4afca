using Pipeline.OnnxRuntime;
using Training.Data;
using Training.Export;

namespace Pipeline.Stages;

/// <summary>
/// The gated model's own answers, from in-process ONNX Runtime, to the first test images: what a served model must
/// answer. Each image runs alone (batch 1), as clients send them: dynamic int8 quantization scales by the whole input
/// tensor, so answers computed for a batch of images would differ from the ones a batch-1 request gets.
/// </summary>
public sealed record GatedModelAnswers(int FeatureCount, float[][] Rows, float[][] Probabilities, long[] Labels)
{
    public int Count => Labels.Length;

    public static async Task<GatedModelAnswers> ComputeAsync(OrtEnvironment ort, string modelPath, string datasetDirectory, int images, CancellationToken cancellationToken)
    {
        var test = (await FashionMnist.LoadAsync(datasetDirectory, cancellationToken)).Test;
        var count = Math.Min(images, test.Count);
        var features = test.FeatureCount;
        var rows = new float[count][];
        var probabilities = new float[count][];
        var labels = new long[count];
        using var session = new InferenceSession(ort, modelPath);
        for (var i = 0; i < count; i++)
        {
            rows[i] = test.Sample(i).ToArray();
            var outputs = session.Run([NamedTensor.Create(MlpOnnxExporter.InputName, rows[i], 1, features)]);
            probabilities[i] = outputs.Single(o => o.Name == MlpOnnxExporter.ProbabilitiesOutputName).Tensor.As<float>().ToArray();
            labels[i] = outputs.Single(o => o.Name == MlpOnnxExporter.LabelOutputName).Tensor.As<long>().Span[0];
        }
        return new GatedModelAnswers(features, rows, probabilities, labels);
    }
}
