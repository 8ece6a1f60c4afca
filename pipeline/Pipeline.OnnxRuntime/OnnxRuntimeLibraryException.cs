namespace Pipeline.OnnxRuntime;

/// <summary>The native library is missing, is not ONNX Runtime, or is not the version this pipeline was built for.</summary>
public sealed class OnnxRuntimeLibraryException(string libraryPath, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string LibraryPath { get; } = libraryPath;
}
