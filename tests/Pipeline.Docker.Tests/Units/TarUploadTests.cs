namespace Pipeline.Docker.Tests;

public sealed class TarUploadTests
{
    [Fact]
    public async Task Everything_written_reaches_the_sender_and_its_result_is_returned()
    {
        var payload = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();

        var received = await TarUpload.SendAsync(
            (stream, token) => stream.WriteAsync(payload, token).AsTask(),
            async body =>
            {
                using var copy = new MemoryStream();
                await body.CopyToAsync(copy);
                return copy.ToArray();
            },
            CancellationToken.None);

        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task A_context_that_cannot_be_written_is_the_error_rather_than_the_failed_request()
    {
        var error = await Assert.ThrowsAsync<IOException>(() => TarUpload.SendAsync<bool>(
            (_, _) => throw new IOException("Cannot add /ctx/app.sock to the build context"),
            async body =>
            {
                await body.CopyToAsync(Stream.Null);
                throw new HttpRequestException("the request body failed");
            },
            CancellationToken.None));

        Assert.Equal("Cannot add /ctx/app.sock to the build context", error.Message);
    }

    [Fact]
    public async Task A_sender_that_stops_reading_early_does_not_leave_the_writer_waiting()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TarUpload.SendAsync<bool>(
            async (stream, token) =>
            {
                // Far more than the pipe buffers: without the sender reading, this would wait forever.
                for (var i = 0; i < 1000; i++)
                {
                    await stream.WriteAsync(new byte[64 * 1024], token);
                }
            },
            _ => throw new InvalidOperationException("refused before reading the body"),
            timeout.Token));

        Assert.Equal("refused before reading the body", error.Message);
        Assert.False(timeout.IsCancellationRequested);
    }
}
