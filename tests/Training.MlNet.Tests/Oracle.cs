using Microsoft.ML;
using Microsoft.ML.Data;
using Pipeline.OnnxRuntime;

namespace Training.MlNet.Tests;

/// <summary>What ML.NET itself answers (labels through its own MapKeyToValue) and what the exported model answers in ONNX Runtime.</summary>
internal static class Oracle
{
    public static (string[] Labels, float[] Scores) MlNet(MLContext ml, ITransformer model, IDataView rows)
    {
        var scored = model.Transform(rows);
        var mapped = ml.Transforms.Conversion.MapKeyToValue("PredictedValue", "PredictedLabel").Fit(scored).Transform(scored);
        var type = mapped.Schema["PredictedValue"].Type.RawType;
        var labels = type == typeof(ReadOnlyMemory<char>)
            ? mapped.GetColumn<ReadOnlyMemory<char>>("PredictedValue").Select(v => v.ToString()).ToArray()
            : mapped.GetColumn<long>("PredictedValue").Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var scores = scored.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray();
        return (labels, scores);
    }

    public static (string[] Labels, float[] Probabilities, InferenceSession Session) Onnx(byte[] model, IReadOnlyList<NamedTensor> inputs)
    {
        var session = new InferenceSession(new OrtEnvironment(), model);
        var outputs = session.Run(inputs);
        var label = outputs.Single(o => o.Name == ServingContract.Label).Tensor;
        var labels = label.ElementType == TensorElementType.String
            ? label.AsStrings().Values
            : label.As<long>().ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (labels, outputs.Single(o => o.Name == ServingContract.Probabilities).Tensor.As<float>().ToArray(), session);
    }

    public static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"Element {i}: ML.NET {expected[i]}, ONNX {actual[i]}.");
    }
}
