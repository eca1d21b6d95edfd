namespace Market.Web.Delivery;

/// <summary>
/// Puts an XMP packet into an image file without touching its pixels: the file's own bytes are kept and only
/// its metadata layout changes (a JPEG APP1 segment, a PNG iTXt chunk, a WebP "XMP " chunk, TIFF tag 700).
/// <para>
/// Each format reads only what it must (marker and chunk headers, the TIFF directory) from a seekable source and
/// returns an <see cref="EmbedPlan"/>: the output as a list of pieces, each either a range of the source or a few
/// new bytes. Nothing the size of the image is ever held in memory, the output's length is known before a byte is
/// sent, and the result is seekable, so HTTP range requests work on it. An existing XMP packet is replaced, never
/// joined by a second one.
/// </para>
/// Null means "not this way": a format we do not write into (GIF, BigTIFF), or a file whose layout we do not
/// trust; the caller then delivers the original with a sidecar <c>.xmp</c> file.
/// </summary>
public static class XmpEmbedder
{
    public static EmbedPlan? Plan(Stream source, byte[] packet)
    {
        if (!source.CanSeek) throw new ArgumentException("The embedder reads the file's layout by seeking.", nameof(source));
        try
        {
            source.Position = 0;
            Span<byte> head = stackalloc byte[12];
            var read = source.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (read < 8) return null;
            var plan = head switch
            {
                [0xFF, 0xD8, 0xFF, ..] => JpegXmp.Plan(source, packet),
                [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => PngXmp.Plan(source, packet),
                [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P'] => WebpXmp.Plan(source, packet),
                [(byte)'I', (byte)'I', 42, 0, ..] or [(byte)'M', (byte)'M', 0, 42, ..] => TiffXmp.Plan(source, packet),
                _ => null,
            };
            return plan;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or OverflowException or ArgumentOutOfRangeException)
        {
            // A layout we cannot follow is not worth a broken delivery: the caller falls back to a sidecar.
            return null;
        }
        finally
        {
            source.Position = 0;
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes at <paramref name="offset"/>; past the end is a damaged file.</summary>
    internal static byte[] ReadAt(Stream source, long offset, int count)
    {
        if (offset < 0 || offset > source.Length - count) throw new InvalidDataException("A structure points past the end of the file.");
        var bytes = new byte[count];
        source.Position = offset;
        source.ReadExactly(bytes);
        return bytes;
    }
}

/// <summary>One part of an embedded file: a range of the original, or new bytes.</summary>
public abstract record Piece(long Length);

public sealed record SourcePiece(long Offset, long Count) : Piece(Count);

public sealed record BytesPiece(byte[] Bytes) : Piece(Bytes.LongLength);

/// <summary>The embedded file, described as pieces; <see cref="Open"/> reads it.</summary>
public sealed class EmbedPlan
{
    public EmbedPlan(string format, IEnumerable<Piece> pieces)
    {
        Format = format;
        // Adjacent ranges of the source are merged, so a read crosses as few piece boundaries as possible.
        var merged = new List<Piece>();
        foreach (var piece in pieces)
        {
            if (piece.Length == 0) continue;
            if (piece is SourcePiece next && merged.Count > 0 && merged[^1] is SourcePiece last && last.Offset + last.Count == next.Offset)
                merged[^1] = new SourcePiece(last.Offset, last.Count + next.Count);
            else merged.Add(piece);
        }
        Pieces = merged;
        Length = merged.Sum(p => p.Length);
    }

    /// <summary>jpeg, png, webp or tiff.</summary>
    public string Format { get; }
    public IReadOnlyList<Piece> Pieces { get; }
    public long Length { get; }

    /// <summary>A read-only, seekable view of the embedded file over <paramref name="source"/>, which it disposes.</summary>
    public Stream Open(Stream source) => new SplicedStream(source, Pieces, Length);
}

/// <summary>Reads a list of pieces as one stream. Seeking is cheap: it only moves a position.</summary>
internal sealed class SplicedStream(Stream source, IReadOnlyList<Piece> pieces, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => source.CanSeek;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var (piece, within) = Locate();
        if (piece is null || buffer.Length == 0) return 0;
        int n;
        switch (piece)
        {
            case BytesPiece bytes:
                n = (int)Math.Min(buffer.Length, bytes.Length - within);
                bytes.Bytes.AsSpan((int)within, n).CopyTo(buffer);
                break;
            case SourcePiece range:
                n = (int)Math.Min(buffer.Length, range.Count - within);
                var at = range.Offset + within;
                if (source.Position != at) source.Position = at;
                n = source.Read(buffer[..n]);
                if (n == 0) throw new EndOfStreamException("The file is shorter than when it was read.");
                break;
            default:
                throw new InvalidOperationException();
        }
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var (piece, within) = Locate();
        if (piece is null || buffer.Length == 0) return 0;
        int n;
        switch (piece)
        {
            case BytesPiece bytes:
                n = (int)Math.Min(buffer.Length, bytes.Length - within);
                bytes.Bytes.AsMemory((int)within, n).CopyTo(buffer);
                break;
            case SourcePiece range:
                n = (int)Math.Min(buffer.Length, range.Count - within);
                var at = range.Offset + within;
                if (source.Position != at) source.Position = at;
                n = await source.ReadAsync(buffer[..n], cancellationToken);
                if (n == 0) throw new EndOfStreamException("The file is shorter than when it was read.");
                break;
            default:
                throw new InvalidOperationException();
        }
        _position += n;
        return n;
    }

    private (Piece? Piece, long Within) Locate()
    {
        // A handful of pieces (one more per XMP segment removed): a linear walk is as fast as a search here.
        var start = 0L;
        foreach (var piece in pieces)
        {
            if (_position < start + piece.Length) return (piece, _position - start);
            start += piece.Length;
        }
        return (null, 0);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) source.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await source.DisposeAsync();
        await base.DisposeAsync();
    }
}
