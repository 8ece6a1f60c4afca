namespace Pipeline.ModelRegistry.Tests;

/// <summary>Registrations as the Validate stage would make them.</summary>
public static class Registrations
{
    public const string DataHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    public static ModelRegistration Passing(string modelPath, string? versionId = null, double accuracy = 0.885, string? sourceRevision = "3f2a9c1d0e4b5a69") => new()
    {
        ModelName = "fashion-mnist",
        ModelPath = modelPath,
        VersionId = versionId,
        SourceRevision = sourceRevision,
        DataHashes = new Dictionary<string, string> { ["train-images-idx3-ubyte.gz"] = DataHash },
        Parameters = new Dictionary<string, string> { ["seed"] = "42", ["epochs"] = "30" },
        Metrics = new Dictionary<string, double> { ["accuracy"] = accuracy, ["p99_latency_ms"] = 1.25 },
        Gates = [new GateResult("accuracy", 0.85, accuracy, accuracy >= 0.85)],
        Labels = new Dictionary<string, string> { ["candidate"] = "fp32" },
    };

    public static ModelRegistration Failing(string modelPath, string? versionId = null) => Passing(modelPath, versionId, accuracy: 0.71);
}
