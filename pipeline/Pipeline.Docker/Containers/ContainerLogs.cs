using System.Text;

namespace Pipeline.Docker;

/// <summary>
/// A container's output. <see cref="Combined"/> keeps the order the lines were written in across both streams;
/// a container with a TTY has a single stream, reported as standard output.
/// </summary>
public sealed class ContainerLogs
{
    private readonly IReadOnlyList<(LogStream Stream, byte[] Payload)> frames;

    internal ContainerLogs(IReadOnlyList<(LogStream Stream, byte[] Payload)> frames)
    {
        this.frames = frames;
        StandardOutput = Decode(LogStream.StandardOutput);
        StandardError = Decode(LogStream.StandardError);
        Combined = Decode(null);
    }

    public string StandardOutput { get; }

    public string StandardError { get; }

    public string Combined { get; }

    // Frames split wherever the engine's buffers did, possibly inside a UTF-8 character: join the bytes, then decode.
    private string Decode(LogStream? only)
    {
        var bytes = frames.Where(frame => only is null || frame.Stream == only).SelectMany(frame => frame.Payload).ToArray();
        return Encoding.UTF8.GetString(bytes);
    }

    public override string ToString() => Combined;
}
