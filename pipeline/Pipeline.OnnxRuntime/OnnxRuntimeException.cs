namespace Pipeline.OnnxRuntime;

/// <summary>A failure reported by ONNX Runtime itself; the message is ORT's own, unchanged.</summary>
public sealed class OnnxRuntimeException(OrtErrorCode errorCode, string message)
    : Exception($"[ONNX Runtime {errorCode}] {message}")
{
    public OrtErrorCode ErrorCode { get; } = errorCode;

    /// <summary>ORT's message without the error-code prefix.</summary>
    public string NativeMessage { get; } = message;
}
