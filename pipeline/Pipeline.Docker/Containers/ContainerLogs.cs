using System.Text;

namespace Pipeline.Docker;

/// <summary>
/// A container's output. <see cref="Combined"/> holds both streams in the order the engine stored them: exact within
/// a stream, but the engine reads standard output and error separately, so lines written close together on the two
/// may swap. A container with a TTY has a single stream, reported as standard output.
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
