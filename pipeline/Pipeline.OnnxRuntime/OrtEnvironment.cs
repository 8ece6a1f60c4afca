using Ort = Microsoft.ML.OnnxRuntime;

namespace Pipeline.OnnxRuntime;

/// <summary>
/// A handle to ONNX Runtime's environment, which the managed API keeps as ONE process-wide singleton
/// (<see cref="Ort.OrtEnv.Instance"/>): every handle refers to that same environment, it is created on first
/// use and lives until the process exits, so there is nothing to dispose. Code that opens models takes a handle to
/// say it needs ORT; it does not get an environment of its own.
/// </summary>
public sealed class OrtEnvironment
{
    public OrtEnvironment() => Runtime = Ort.OrtEnv.Instance();

    /// <summary>The managed API's environment singleton.</summary>
    public Ort.OrtEnv Runtime { get; }

    /// <summary>What the loaded native library reports, e.g. "1.32.0".</summary>
    public string Version => Runtime.GetVersionString();
}
