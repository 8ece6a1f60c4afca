using System.Text.Json.Serialization;

namespace Pipeline.ModelRegistry;

/// <summary>An immutable registered model version: where its ONNX file is (by content) and how it came to be.</summary>
public sealed record ModelVersion
{
    public required string VersionId { get; init; }

    /// <summary>Registry-wide registration order, starting at 1; "newest first" sorts on this, not on clock times.</summary>
    public required long Sequence { get; init; }

    public required string ModelName { get; init; }

    /// <summary>SHA-256 of the ONNX file, lowercase hex; the blob is stored at <c>blobs/sha256/&lt;hex&gt;</c>.</summary>
    public required string Sha256 { get; init; }

    public required long SizeBytes { get; init; }

    public string? SourceRevision { get; init; }

    public required IReadOnlyDictionary<string, string> DataHashes { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    public required IReadOnlyList<GateResult> Gates { get; init; }

    /// <summary>True when at least one gate was checked and every gate passed.</summary>
    public required bool PassedValidation { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>The machine that measured the metrics and gates (empty for versions registered before it was recorded).</summary>
    public IReadOnlyDictionary<string, string> MeasuredOn { get; init; } = new Dictionary<string, string>();

    /// <summary>Only versions that passed validation may be promoted to an environment.</summary>
    [JsonIgnore]
    public bool IsDeployable => PassedValidation;

    /// <summary>The gates that failed, for error messages and reports.</summary>
    [JsonIgnore]
    public IEnumerable<GateResult> FailedGates => Gates.Where(gate => !gate.Passed);
}
