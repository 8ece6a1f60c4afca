using Google.Protobuf;
using Pipeline.Onnx.Protos;
using Pipeline.OnnxRuntime;

namespace Pipeline.Quantization.Tests.Support;

internal sealed record ClassifierOutputs(float[] Probabilities, long[] Labels);

/// <summary>Runs models in ONNX Runtime (default optimizations, so int8 fusions apply) and compares their outputs.</summary>
internal static class ModelExecution
{
    public static ClassifierOutputs Classify(OrtEnvironment environment, ModelProto model, float[] rows)
    {
        var outputs = Run(environment, model, rows, TestModels.Features, ["probabilities", "label"]);
        return new ClassifierOutputs(outputs[0].Tensor.As<float>().ToArray(), outputs[1].Tensor.As<long>().ToArray());
    }

    public static float[] RunLayer(OrtEnvironment environment, ModelProto model, float[] rows, int features) =>
        Run(environment, model, rows, features, ["y"])[0].Tensor.As<float>().ToArray();

    public static double Agreement(long[] expected, long[] actual) =>
        expected.Zip(actual).Count(pair => pair.First == pair.Second) / (double)expected.Length;

    public static float MaxAbsDifference(float[] expected, float[] actual) =>
        expected.Zip(actual).Max(pair => Math.Abs(pair.First - pair.Second));

    public static double RootMeanSquareError(float[] expected, float[] actual) =>
        Math.Sqrt(expected.Zip(actual).Average(pair => (double)(pair.First - pair.Second) * (pair.First - pair.Second)));

    private static IReadOnlyList<NamedTensor> Run(OrtEnvironment environment, ModelProto model, float[] rows, int features, string[] outputs)
    {
        using var session = new InferenceSession(environment, model.ToByteArray());
        return session.Run([NamedTensor.Create("input", rows, rows.Length / features, features)], outputs);
    }
}
