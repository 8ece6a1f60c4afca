namespace Pipeline.OnnxRuntime;

/// <summary>ORT's <c>OrtLoggingLevel</c>: the least severe message that is still logged.</summary>
public enum OrtLoggingLevel
{
    Verbose = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
    Fatal = 4,
}
