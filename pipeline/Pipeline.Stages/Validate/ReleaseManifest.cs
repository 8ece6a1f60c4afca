using Pipeline.IO;
using System.Text.Json;

namespace Pipeline.Stages;

/// <summary>
/// What Validate chose to ship: the registered version, its file's SHA-256 and candidate name.
/// Containerize and Deploy read it instead of guessing which file passed the gates.
/// </summary>
public sealed record ReleaseManifest(string ModelName, string Version, string Sha256, string Candidate, string ModelPath, string SourceRevision)
{
    public const string FileName = "release.json";

    /// <summary>The version's drift baseline Validate recorded (gates/drift-baseline.json); null in manifests written before it was.</summary>
    public string? DriftBaselinePath { get; init; }

    public static async Task<ReleaseManifest> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run ./build.sh Validate first; it records the model that passed the gates.", path);
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<ReleaseManifest>(stream, StageJson.Options, cancellationToken)
            ?? throw new InvalidDataException($"{path} is empty; run ./build.sh Validate again.");
    }

    public Task WriteAsync(string path, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(this, StageJson.Options), cancellationToken);
}
