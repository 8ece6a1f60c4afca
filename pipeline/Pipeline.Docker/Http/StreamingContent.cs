using System.Net.Http.Headers;

namespace Pipeline.Docker;

/// <summary>
/// A request body written straight onto the connection (chunked), so a build context or a root file system
/// of hundreds of megabytes is never held in memory.
/// </summary>
internal sealed class StreamingContent : HttpContent
{
    private readonly Func<Stream, CancellationToken, Task> write;

    public StreamingContent(Func<Stream, CancellationToken, Task> write, string mediaType)
    {
        this.write = write;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    /// <summary>Copies <paramref name="source"/> without disposing it: the caller opened it and still owns it.</summary>
    public static StreamingContent Tar(Stream source) =>
        new((destination, cancellationToken) => source.CopyToAsync(destination, cancellationToken), "application/x-tar");

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        write(stream, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        write(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
