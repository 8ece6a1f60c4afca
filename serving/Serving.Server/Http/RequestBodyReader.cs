using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Serving.Server.Inference;

namespace Serving.Server.Http;

/// <summary>Reads a whole request body into one pooled array, refusing bodies over the size limit with 413.</summary>
internal static class RequestBodyReader
{
    private const int UnknownLengthCapacity = 16 * 1024;

    /// <summary>Refuses a body whose declared Content-Length is over the limit, before any of it is read.</summary>
    public static void RejectDeclaredOversize(HttpRequest request, long limit)
    {
        if (request.ContentLength is { } length && length > limit)
        {
            throw ServingException.PayloadTooLarge(InferenceMessages.BodyTooLarge(length, limit));
        }
    }

    public static async ValueTask<PooledBytes> ReadAsync(HttpRequest request, long limit)
    {
        RejectDeclaredOversize(request, limit);
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and var declared ? (int)declared : UnknownLengthCapacity);
        var length = 0;
        try
        {
            var reader = request.BodyReader;
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync();
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    // Kestrel enforces the same limit on bodies of unknown length; say what the limit is.
                    throw TooLarge(limit);
                }

                var received = result.Buffer;
                if (length + received.Length > limit)
                {
                    reader.AdvanceTo(received.End);
                    throw TooLarge(limit);
                }

                if (length + received.Length > buffer.Length) buffer = Grow(buffer, length, length + (int)received.Length);
                received.CopyTo(buffer.AsSpan(length));
                length += (int)received.Length;
                reader.AdvanceTo(received.End);
                if (result.IsCompleted) break;
            }

            return new PooledBytes(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static ServingException TooLarge(long limit) =>
        ServingException.PayloadTooLarge($"The request body exceeds this server's limit of {limit} bytes; send fewer rows per request.");

    private static byte[] Grow(byte[] buffer, int used, int needed)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}

/// <summary>Bytes in a pooled array; dispose exactly once to return it.</summary>
internal readonly struct PooledBytes(byte[] array, int length) : IDisposable
{
    public ReadOnlySpan<byte> Span => array.AsSpan(0, length);

    public int Length => length;

    public void Dispose() => ArrayPool<byte>.Shared.Return(array);
}
