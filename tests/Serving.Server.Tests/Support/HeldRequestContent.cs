using System.Net;

namespace Serving.Server.Tests.Support;

/// <summary>
/// A request body sent in two parts: the first part (with the headers) at once, the rest only when
/// <see cref="Release"/> is called. The server has admitted the request but cannot finish it, which holds it in
/// flight for exactly as long as a test needs, with no timing involved.
/// </summary>
public sealed class HeldRequestContent(byte[] body) : HttpContent
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var half = body.Length / 2;
        await stream.WriteAsync(body.AsMemory(0, half));
        await stream.FlushAsync();
        await _release.Task;
        await stream.WriteAsync(body.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}
