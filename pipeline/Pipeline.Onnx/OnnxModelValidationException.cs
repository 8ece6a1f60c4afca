namespace Pipeline.Onnx;

/// <summary>Thrown before a model is written when it has problems that would make it unloadable.</summary>
public sealed class OnnxModelValidationException : Exception
{
    public OnnxModelValidationException(IReadOnlyList<string> problems)
        : base($"The ONNX model is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
               + string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}")))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
