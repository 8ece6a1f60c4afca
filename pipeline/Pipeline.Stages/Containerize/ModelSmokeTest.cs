using Pipeline.OnnxRuntime;
using Training.Data;
using Training.Export;

namespace Pipeline.Stages;

/// <summary>What a smoke test compared: how many test images, and the largest probability difference seen.</summary>
public sealed record SmokeResult(int Samples, double MaxDifference);

/// <summary>
/// Smoke requests against a running server: it must report the expected model version and answer real test images
/// exactly as ONNX Runtime in-process answers with the gated model file (same labels, probabilities within
/// <see cref="Tolerance"/>). Containerize runs it on the image it built; Deploy on each new container before the switch.
/// </summary>
public sealed class ModelSmokeTest(OrtEnvironment ort, Action<string> log)
{
    public const double Tolerance = 1e-5;

    /// <param name="logTail">The server's recent log lines, put into the error when an answer differs.</param>
    public async Task<SmokeResult> RunAsync(OpenInferenceClient client, string expectedVersion, string modelPath, string datasetDirectory,
        int samples, Func<CancellationToken, Task<string>> logTail, CancellationToken cancellationToken)
    {
        var versions = await client.ModelVersionsAsync(cancellationToken);
        if (!versions.Contains(expectedVersion))
            throw new InvalidOperationException($"The container serves versions [{string.Join(", ", versions)}], not {expectedVersion}.");

        var data = await FashionMnist.LoadAsync(datasetDirectory, cancellationToken);
        var features = data.Test.FeatureCount;
        var count = Math.Min(samples, data.Test.Count);
        using var session = new InferenceSession(ort, modelPath);
        double maxDifference = 0;
        for (var i = 0; i < count; i++)
        {
            var row = data.Test.Sample(i).ToArray();
            var answer = await client.InferAsync(row, features, cancellationToken);
            var expected = session.Run([NamedTensor.Create(MlpOnnxExporter.InputName, row, 1, features)]);
            var probabilities = expected.Single(o => o.Name == MlpOnnxExporter.ProbabilitiesOutputName).Tensor.As<float>().Span;
            var label = expected.Single(o => o.Name == MlpOnnxExporter.LabelOutputName).Tensor.As<long>().Span[0];
            for (var c = 0; c < probabilities.Length; c++)
                maxDifference = Math.Max(maxDifference, Math.Abs(probabilities[c] - answer.Probabilities[c]));
            if (answer.Labels[0] != label || !(maxDifference <= Tolerance))
                throw new InvalidOperationException(
                    $"Smoke test image {i}: the container answered label {answer.Labels[0]} (max |Δp| {maxDifference:E2}), " +
                    $"ONNX Runtime in-process answers {label}. Logs:\n{await logTail(cancellationToken)}");
        }
        log($"smoke test: {count} test images, labels identical, max |Δp| {maxDifference:E2} against in-process ONNX Runtime");
        return new SmokeResult(count, maxDifference);
    }
}
