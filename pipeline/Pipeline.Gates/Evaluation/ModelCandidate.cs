using System.Text.Json.Serialization;

namespace Pipeline.Gates;

/// <summary>What a candidate is relative to the trained model; it decides which gates apply and what they compare.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CandidateKind>))]
public enum CandidateKind
{
    /// <summary>The full-precision export of the trained model (model.onnx): the reference for every derived candidate.</summary>
    Fp32,

    /// <summary>An int8 rewrite of the fp32 export (dynamic or static, per-tensor or per-channel).</summary>
    Quantized,

    /// <summary>Any other smaller model derived from the trained one: pruned, distilled, low-rank.</summary>
    Compressed,

    /// <summary>
    /// A model trained on its own (an ML.NET pipeline), derived from no other candidate: its exporter proved it answers as
    /// ML.NET does on the whole test set before writing it, so it meets every gate except the drop and parity ones.
    /// </summary>
    Independent,
}

/// <summary>One model file the release could ship.</summary>
/// <param name="Name">Short unique name used in reports and the decision, e.g. "fp32", "int8-per-channel".</param>
public sealed record ModelCandidate(string Name, string Path, CandidateKind Kind)
{
    public string Name { get; } = RequireText(Name, nameof(Name));

    public string Path { get; } = RequireText(Path, nameof(Path));

    private static string RequireText(string value, string parameter) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"A model candidate needs a non-empty {parameter}.", parameter)
            : value;
}
