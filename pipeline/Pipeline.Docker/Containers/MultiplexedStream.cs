using System.Buffers.Binary;

namespace Pipeline.Docker;

/// <summary>
/// Splits the engine's multiplexed output of a container without a TTY: frames of an 8-byte header
/// (stream type, three zero bytes, big-endian 32-bit payload length) followed by the payload.
/// </summary>
internal static class MultiplexedStream
{
    private const int HeaderSize = 8;

    public static async Task<IReadOnlyList<(LogStream Stream, byte[] Payload)>> ReadFramesAsync(Stream source, CancellationToken cancellationToken)
    {
        var frames = new List<(LogStream, byte[])>();
        var header = new byte[HeaderSize];
        while (true)
        {
            var read = await source.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return frames;
            }

            if (read < HeaderSize || header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
            {
                throw new InvalidDataException(
                    $"The log stream is not in the multiplexed format (frame header {Convert.ToHexString(header, 0, read)}): " +
                    "was the container created with a TTY?");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            var payload = new byte[length];
            await source.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
            frames.Add(((LogStream)header[0], payload));
        }
    }
}
