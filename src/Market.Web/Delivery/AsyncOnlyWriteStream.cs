namespace Market.Web.Delivery;

/// <summary>
/// Lets <see cref="System.IO.Compression.ZipArchive"/> write to a response body that refuses synchronous IO
/// (Kestrel's default, which we keep). In .NET 10, creating a ZIP through the async APIs still writes each
/// entry's data descriptor synchronously when the entry's stream is disposed (16 or 24 bytes). Those few bytes
/// are held here and sent ahead of the next asynchronous write or flush, which always follows (the next entry's
/// header, the central directory). Anything larger than that arriving synchronously is a change in the library we
/// want to hear about, not silently buffer, so it throws. Whoever writes through it ends with <see cref="FlushAsync"/>.
/// </summary>
public sealed class AsyncOnlyWriteStream(Stream inner) : Stream
{
    public const int MaxPendingBytes = 64 * 1024;

    private readonly MemoryStream _pending = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_pending.Length + buffer.Length > MaxPendingBytes)
            throw new InvalidOperationException($"{buffer.Length} bytes written synchronously; only small trailers are expected.");
        _pending.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await SendPendingAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    /// <summary>Nothing is sent synchronously; pending bytes go with the next asynchronous call.</summary>
    public override void Flush() { }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendPendingAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    private async ValueTask SendPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0) return;
        await inner.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken);
        _pending.SetLength(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    // Disposing sends nothing: the writer ends with FlushAsync, and after a failure there is nothing worth sending
    // (and a second error would hide the first).
    protected override void Dispose(bool disposing)
    {
        if (disposing) _pending.Dispose();
        base.Dispose(disposing);
    }
}
