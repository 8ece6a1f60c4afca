using System.IO.Pipelines;
using System.Runtime.ExceptionServices;

namespace Pipeline.Docker;

/// <summary>
/// Hands a tar that is still being written to a Docker.DotNet call as a stream, so a build context or a root
/// file system of hundreds of megabytes is never held in memory, and the caller's own stream is not disposed.
/// </summary>
internal static class TarUpload
{
    public static async Task<T> SendAsync<T>(
        Func<Stream, CancellationToken, Task> writeTar, Func<Stream, Task<T>> send, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = Task.Run(() => WriteAsync(pipe.Writer, writeTar, stopWriting.Token), CancellationToken.None);
        T result = default!;
        ExceptionDispatchInfo? sendError = null;
        try
        {
            result = await send(pipe.Reader.AsStream(leaveOpen: true)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            sendError = ExceptionDispatchInfo.Capture(ex);
        }

        // The engine may answer before reading everything (a refused build): the writer must not wait for it.
        await stopWriting.CancelAsync().ConfigureAwait(false);
        await pipe.Reader.CompleteAsync().ConfigureAwait(false);
        var writeError = await writing.ConfigureAwait(false);

        // A context that cannot be read is the cause; the failed request is only its consequence.
        if (writeError is not null && writeError.SourceException is not OperationCanceledException)
        {
            writeError.Throw();
        }

        sendError?.Throw();
        return result;
    }

    private static async Task<ExceptionDispatchInfo?> WriteAsync(
        PipeWriter writer, Func<Stream, CancellationToken, Task> writeTar, CancellationToken cancellationToken)
    {
        try
        {
            await using (var stream = writer.AsStream(leaveOpen: true))
            {
                await writeTar(stream, cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync().ConfigureAwait(false);
            return null;
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex).ConfigureAwait(false);
            return ExceptionDispatchInfo.Capture(ex);
        }
    }
}
