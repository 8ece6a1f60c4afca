namespace Pipeline.Gates.Tests.Support;

/// <summary>Candidate measurements with chosen numbers, for testing gate and decision logic at exact boundaries.</summary>
internal static class Measurements
{
    public const int Classes = 10;

    public static CandidateMeasurement Of(string name, CandidateKind kind, int correct, int samples = 1000, long sizeBytes = 1_000_000,
        double p99Ms = 1.0, int[]? labels = null, float[]? probabilities = null)
    {
        labels ??= new int[samples];
        probabilities ??= OneHot(labels);
        var latency = new LatencyStatistics(1, 100, p99Ms / 2, p99Ms, p99Ms / 4, p99Ms, p99Ms / 2);
        var batch = new LatencyStatistics(64, 100, p99Ms * 4, p99Ms * 8, p99Ms * 2, p99Ms * 8, p99Ms * 4);
        return new CandidateMeasurement(name, $"/models/{name}.onnx", kind, sizeBytes, samples, correct, correct / (double)samples,
            0.3, latency, batch, new CandidatePredictions(labels, probabilities, Classes));
    }

    public static float[] OneHot(int[] labels)
    {
        var probabilities = new float[labels.Length * Classes];
        for (var r = 0; r < labels.Length; r++) probabilities[r * Classes + labels[r]] = 1f;
        return probabilities;
    }

    /// <summary>Labels equal to 0 except the first <paramref name="different"/> rows, which are 1.</summary>
    public static int[] LabelsDifferingIn(int different, int samples = 1000) =>
        Enumerable.Range(0, samples).Select(r => r < different ? 1 : 0).ToArray();
}
