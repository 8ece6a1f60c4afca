using System.Security.Cryptography;

namespace Pipeline.ModelRegistry.Storage;

/// <summary>A read-only stream that hashes everything read through it and, on reaching the end, throws when the
/// SHA-256 or length differ from what was recorded. Tampering is therefore detected by whoever reads to the end.</summary>
internal sealed class HashVerifyingStream(Stream inner, string expectedSha256, long expectedSize, Func<string, long, Exception> mismatch)
    : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private bool _verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException("A verifying stream is read once, start to end.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Account(buffer, inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = await inner.ReadAsync(buffer, cancellationToken);
        return Account(buffer.Span, count);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A verifying stream cannot seek.");
    public override void SetLength(long value) => throw new NotSupportedException("A verifying stream is read-only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A verifying stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> buffer, int count)
    {
        if (count > 0 && buffer.Length > 0)
        {
            _hash.AppendData(buffer[..count]);
            _read += count;
        }
        else if (buffer.Length > 0 && !_verified)
        {
            _verified = true;
            var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (actual != expectedSha256 || _read != expectedSize) throw mismatch(actual, _read);
        }
        return count;
    }
}
