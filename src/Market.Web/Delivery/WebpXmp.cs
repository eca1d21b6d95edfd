using System.Buffers.Binary;
using System.Text;

namespace Market.Web.Delivery;

/// <summary>
/// WebP: metadata lives in the extended format only, as an "XMP " chunk after the image data, announced by the
/// XMP flag of the VP8X chunk (WebP container specification). An extended file gets the flag set, its old XMP
/// chunks left out and ours appended. A simple file (one VP8 or VP8L chunk) is turned into an extended one by a
/// VP8X chunk in front, whose canvas size (and, for lossless, alpha flag) comes from the bitstream's header.
/// The RIFF size is rewritten to the new length; the image chunks are copied as they are.
/// </summary>
public static class WebpXmp
{
    private const byte XmpFlag = 0x04, AlphaFlag = 0x10;
    private const int MaxChunks = 100_000;

    public static EmbedPlan? Plan(Stream source, byte[] packet)
    {
        var length = source.Length;
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(XmpEmbedder.ReadAt(source, 4, 4));
        // A RIFF file is its 8-byte header plus the size it declares; anything else is damaged or has a trailer.
        if (8 + (long)riffSize != length || length % 2 != 0) return null;

        var chunks = new List<(long Offset, long Length, string FourCc)>();
        for (var at = 12L; at < length;)
        {
            if (chunks.Count >= MaxChunks || at + 8 > length) return null;
            var header = XmpEmbedder.ReadAt(source, at, 8);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            var chunkLength = 8 + (long)size + (size & 1);
            if (at + chunkLength > length) return null;
            chunks.Add((at, chunkLength, Encoding.ASCII.GetString(header, 0, 4)));
            at += chunkLength;
        }
        if (chunks.Count == 0) return null;

        var xmpChunk = Chunk(packet);
        var kept = chunks.Where(c => c.FourCc != "XMP ").ToList();
        byte[] vp8x;
        IEnumerable<(long Offset, long Length, string FourCc)> body;
        if (chunks[0].FourCc == "VP8X")
        {
            if (chunks[0].Length != 18) return null;
            vp8x = XmpEmbedder.ReadAt(source, chunks[0].Offset, 18);
            vp8x[8] |= XmpFlag;
            body = kept.Skip(1);
        }
        else if (chunks[0].FourCc is "VP8 " or "VP8L")
        {
            var canvas = chunks[0].FourCc == "VP8 " ? LossyCanvas(source, chunks[0].Offset) : LosslessCanvas(source, chunks[0].Offset);
            if (canvas is not { } found) return null;
            var (width, height, alpha) = found;
            vp8x = Vp8x(width, height, (byte)(XmpFlag | (alpha ? AlphaFlag : 0)));
            body = kept;
        }
        else return null;

        var newLength = 12 + vp8x.Length + body.Sum(c => c.Length) + xmpChunk.Length;
        if (newLength - 8 > uint.MaxValue) return null;
        var riff = new byte[12];
        "RIFF"u8.CopyTo(riff);
        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), (uint)(newLength - 8));
        "WEBP"u8.CopyTo(riff.AsSpan(8));

        var pieces = new List<Piece> { new BytesPiece([.. riff, .. vp8x]) };
        pieces.AddRange(body.Select(c => new SourcePiece(c.Offset, c.Length)));
        pieces.Add(new BytesPiece(xmpChunk));
        return new EmbedPlan("webp", pieces);
    }

    /// <summary>"XMP ", little-endian size, the packet, a pad byte when the size is odd.</summary>
    public static byte[] Chunk(byte[] packet)
    {
        var chunk = new byte[8 + packet.Length + (packet.Length & 1)];
        "XMP "u8.CopyTo(chunk);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)packet.Length);
        packet.CopyTo(chunk, 8);
        return chunk;
    }

    /// <summary>"VP8X", size 10, flags, three reserved bytes, canvas width − 1 and height − 1 in 24 bits each.</summary>
    private static byte[] Vp8x(int width, int height, byte flags)
    {
        var chunk = new byte[18];
        "VP8X"u8.CopyTo(chunk);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), 10);
        chunk[8] = flags;
        Write24(chunk.AsSpan(12), width - 1);
        Write24(chunk.AsSpan(15), height - 1);
        return chunk;

        static void Write24(Span<byte> to, int value)
        {
            to[0] = (byte)value;
            to[1] = (byte)(value >> 8);
            to[2] = (byte)(value >> 16);
        }
    }

    /// <summary>
    /// A lossy key frame (RFC 6386, 9.1): a 3-byte frame tag whose lowest bit is 0, the start code 9D 01 2A, then
    /// width and height in 14 bits each (the top two bits are a scale we do not need).
    /// </summary>
    private static (int, int, bool)? LossyCanvas(Stream source, long chunkOffset)
    {
        var head = XmpEmbedder.ReadAt(source, chunkOffset + 8, 10);
        if ((head[0] & 1) != 0 || head[3] != 0x9D || head[4] != 0x01 || head[5] != 0x2A) return null;
        var width = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6)) & 0x3FFF;
        var height = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(8)) & 0x3FFF;
        return width == 0 || height == 0 ? null : (width, height, false);
    }

    /// <summary>
    /// A lossless bitstream (WebP lossless specification, 3.2): the signature 0x2F, then, least significant bit
    /// first, width − 1 and height − 1 in 14 bits each, the alpha-is-used hint, and a 3-bit version that must be 0.
    /// </summary>
    private static (int, int, bool)? LosslessCanvas(Stream source, long chunkOffset)
    {
        var head = XmpEmbedder.ReadAt(source, chunkOffset + 8, 5);
        if (head[0] != 0x2F) return null;
        var bits = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(1));
        var width = (int)(bits & 0x3FFF) + 1;
        var height = (int)((bits >> 14) & 0x3FFF) + 1;
        var alpha = ((bits >> 28) & 1) != 0;
        return (bits >> 29) != 0 ? null : (width, height, alpha);
    }
}
