using System.Text;

namespace Pipeline.Docker;

/// <summary>
/// A container's output. <see cref="Combined"/> holds both streams in the order the engine stored them: exact within
/// a stream, but the engine reads standard output and error separately, so lines written close together on the two
/// may swap. A container with a TTY has a single stream, reported as standard output.
/// </summary>
public sealed class ContainerLogs
{
    private readonly IReadOnlyList<(MultiplexedStream.TargetStream Stream, byte[] Payload)> frames;

    internal ContainerLogs(IReadOnlyList<(MultiplexedStream.TargetStream Stream, byte[] Payload)> frames)
    {
        this.frames = frames;
        StandardOutput = Decode(MultiplexedStream.TargetStream.StandardOut);
        StandardError = Decode(MultiplexedStream.TargetStream.StandardError);
        Combined = Decode(null);
    }

    public string StandardOutput { get; }

    public string StandardError { get; }

    public string Combined { get; }

    public override string ToString() => Combined;

    /// <summary>Reads the whole output, keeping which stream each piece came from.</summary>
    internal static async Task<ContainerLogs> ReadAsync(MultiplexedStream output, CancellationToken cancellationToken)
    {
        var frames = new List<(MultiplexedStream.TargetStream, byte[])>();
        var buffer = new byte[81920];
        while (true)
        {
            var read = await output.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read.EOF)
            {
                return new ContainerLogs(frames);
            }

            frames.Add((read.Target, buffer[..read.Count]));
        }
    }

    // Frames split wherever the engine's buffers did, possibly inside a UTF-8 character: join the bytes, then decode.
    private string Decode(MultiplexedStream.TargetStream? only)
    {
        var bytes = frames.Where(frame => only is null || frame.Stream == only).SelectMany(frame => frame.Payload).ToArray();
        return Encoding.UTF8.GetString(bytes);
    }
}
