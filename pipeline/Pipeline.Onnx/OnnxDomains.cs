namespace Pipeline.Onnx;

/// <summary>Operator set domains. An empty domain string means the default set, so compare through <see cref="Normalize"/>.</summary>
public static class OnnxDomains
{
    /// <summary>The standard ONNX operators.</summary>
    public const string Default = "ai.onnx";

    /// <summary>ONNX Runtime's contrib operators.</summary>
    public const string Microsoft = "com.microsoft";

    public static string Normalize(string domain) => domain.Length == 0 ? Default : domain;

    public static bool AreSame(string a, string b) => Normalize(a) == Normalize(b);
}
