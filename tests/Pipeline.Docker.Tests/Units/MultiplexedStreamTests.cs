using System.Text;

namespace Pipeline.Docker.Tests;

public sealed class MultiplexedStreamTests
{
    [Fact]
    public async Task Frames_are_split_by_stream_even_when_a_character_spans_two_frames_and_reads_are_short()
    {
        var euro = Encoding.UTF8.GetBytes("€"); // three bytes, split across frames below
        var bytes = Frame(1, "price: "u8.ToArray())
            .Concat(Frame(2, "warning\n"u8.ToArray()))
            .Concat(Frame(1, euro[..1]))
            .Concat(Frame(1, [.. euro[1..], .. "5\n"u8.ToArray()]))
            .ToArray();
        using var trickle = new OneByteAtATimeStream(bytes);

        var logs = new ContainerLogs(await MultiplexedStream.ReadFramesAsync(trickle, CancellationToken.None));

        Assert.Equal("price: €5\n", logs.StandardOutput);
        Assert.Equal("warning\n", logs.StandardError);
        Assert.Equal("price: warning\n€5\n", logs.Combined);
    }

    [Fact]
    public async Task Empty_output_has_no_frames()
    {
        var frames = await MultiplexedStream.ReadFramesAsync(new MemoryStream(), CancellationToken.None);

        Assert.Empty(frames);
    }

    [Fact]
    public async Task Raw_terminal_output_is_refused_with_a_hint()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => MultiplexedStream.ReadFramesAsync(new MemoryStream("hello from a tty\n"u8.ToArray()), CancellationToken.None));

        Assert.Contains("was the container created with a TTY?", error.Message);
    }

    [Fact]
    public async Task Truncated_frame_is_an_error_not_silently_short_output()
    {
        var bytes = Frame(1, "complete"u8.ToArray())[..10];

        await Assert.ThrowsAsync<EndOfStreamException>(
            () => MultiplexedStream.ReadFramesAsync(new MemoryStream(bytes), CancellationToken.None));
    }

    private static byte[] Frame(byte stream, byte[] payload)
    {
        var header = new byte[8];
        header[0] = stream;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
        return [.. header, .. payload];
    }

    private sealed class OneByteAtATimeStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1)], cancellationToken);
    }
}
