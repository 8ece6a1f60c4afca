using Pipeline.OnnxRuntime;

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
    public async Task<SmokeResult> RunAsync(OpenInferenceClient client, string expectedVersion, string modelPath, ModelSource source,
        int samples, Func<CancellationToken, Task<string>> logTail, CancellationToken cancellationToken)
    {
        var versions = await client.ModelVersionsAsync(cancellationToken);
        if (!versions.Contains(expectedVersion))
            throw new InvalidOperationException($"The container serves versions [{string.Join(", ", versions)}], not {expectedVersion}.");

        var expected = await GatedModelAnswers.ComputeAsync(ort, modelPath, source, samples, cancellationToken);
        double maxDifference = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            var answer = await client.InferAsync(expected.Rows[i], cancellationToken);
            var probabilities = expected.Probabilities[i];
            var label = expected.Labels[i];
            if (answer.Probabilities.Length != probabilities.Length)
                throw new InvalidOperationException(
                    $"Smoke test row {i}: the container answered {answer.Probabilities.Length} probabilities, the gated model {probabilities.Length}. Logs:\n{await logTail(cancellationToken)}");
            for (var c = 0; c < probabilities.Length; c++)
                maxDifference = Math.Max(maxDifference, Math.Abs(probabilities[c] - answer.Probabilities[c]));
            if (answer.Labels is not [var answered] || answered != label || !(maxDifference <= Tolerance))
                throw new InvalidOperationException(
                    $"Smoke test row {i}: the container answered label {string.Join(", ", answer.Labels)} (max |Δp| {maxDifference:E2}), " +
                    $"ONNX Runtime in-process answers {label}. Logs:\n{await logTail(cancellationToken)}");
        }
        log($"smoke test: {expected.Count} test rows, labels identical, max |Δp| {maxDifference:E2} against in-process ONNX Runtime");
        return new SmokeResult(expected.Count, maxDifference);
    }
}
