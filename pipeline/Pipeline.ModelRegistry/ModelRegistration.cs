namespace Pipeline.ModelRegistry;

/// <summary>What the Validate stage hands to the registry: the ONNX file, its lineage and its gate verdicts.</summary>
public sealed record ModelRegistration
{
    /// <summary>The model's name, e.g. <c>fashion-mnist</c>.</summary>
    public required string ModelName { get; init; }

    /// <summary>The ONNX file to store. It is copied into the registry; the registry never refers back to this path.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The version id to register under, or <c>null</c> to generate one
    /// (<c>1.0.&lt;sequence&gt;+&lt;first 7 characters of the source revision&gt;</c>, see <see cref="VersionIds"/>).</summary>
    public string? VersionId { get; init; }

    /// <summary>The source revision (git commit) the model was built from.</summary>
    public string? SourceRevision { get; init; }

    /// <summary>The training and evaluation data the model was built from: file name → SHA-256 (64 hex digits).</summary>
    public IReadOnlyDictionary<string, string> DataHashes { get; init; } = new Dictionary<string, string>();

    /// <summary>Training parameters (seed, epochs, layer sizes…) as text.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Evaluation metrics, name → finite value.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The gates the Validate stage checked. A version with no gate results, or any failed one, is stored but not deployable.</summary>
    public IReadOnlyList<GateResult> Gates { get; init; } = [];

    /// <summary>The machine that measured the metrics and gates, e.g. <c>cpu</c>, <c>cpu_flags</c>, <c>int8_kernel</c>.
    /// Recorded, not part of the version's identity: the same bytes measured elsewhere are the same model.</summary>
    public IReadOnlyDictionary<string, string> MeasuredOn { get; init; } = new Dictionary<string, string>();

    /// <summary>Free-form labels, e.g. <c>candidate=int8</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
