using Docker.DotNet;

namespace Pipeline.Docker.Tests;

public sealed class ContainerLogsTests
{
    [Fact]
    public void Streams_are_decoded_whole_even_when_a_character_spans_two_frames()
    {
        var euro = "€"u8.ToArray(); // three bytes, split across frames below
        var logs = new ContainerLogs(
        [
            (MultiplexedStream.TargetStream.StandardOut, "price: "u8.ToArray()),
            (MultiplexedStream.TargetStream.StandardError, "warning\n"u8.ToArray()),
            (MultiplexedStream.TargetStream.StandardOut, euro[..1]),
            (MultiplexedStream.TargetStream.StandardOut, [.. euro[1..], .. "5\n"u8.ToArray()]),
        ]);

        Assert.Equal("price: €5\n", logs.StandardOutput);
        Assert.Equal("warning\n", logs.StandardError);
        Assert.Equal("price: warning\n€5\n", logs.Combined);
    }

    [Fact]
    public void No_output_is_empty_text()
    {
        var logs = new ContainerLogs([]);

        Assert.Equal(string.Empty, logs.Combined);
        Assert.Equal(string.Empty, logs.StandardError);
    }
}
