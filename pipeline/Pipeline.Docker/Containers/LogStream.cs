namespace Pipeline.Docker;

/// <summary>Which output a log frame came from: the stream-type byte of its header.</summary>
internal enum LogStream
{
    StandardInput = 0,
    StandardOutput = 1,
    StandardError = 2,
}
