using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Serving.Server.Http;

/// <summary>
/// A growable byte buffer over pooled arrays. Responses are assembled here first so their length is known:
/// the server then sends a Content-Length (and, for binary responses, the JSON header's length) and writes once.
/// </summary>
internal sealed class PooledBufferWriter(int initialCapacity) : IBufferWriter<byte>, IDisposable
{
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int _written;

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => Buffer.AsMemory(0, _written);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PooledBufferWriter));

    public void Advance(int count)
    {
        if (count < 0 || _written + count > Buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return Buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return Buffer.AsSpan(_written);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _written += bytes.Length;
    }

    /// <summary>Sets Content-Length and sends the written bytes as the whole response body.</summary>
    public Task CopyToAsync(HttpResponse response)
    {
        response.ContentLength = _written;
        return response.Body.WriteAsync(WrittenMemory).AsTask();
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= Buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Buffer.Length * 2));
        Buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(Buffer);
        _buffer = larger;
    }
}
