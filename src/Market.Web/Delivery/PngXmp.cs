using System.Buffers.Binary;
using System.Text;

namespace Market.Web.Delivery;

/// <summary>
/// PNG: the packet goes in an uncompressed iTXt chunk with the keyword "XML:com.adobe.xmp" (XMP part 3, 1.1.5),
/// right before the first IDAT so readers that stop at the image data still find it. Existing XMP iTXt chunks,
/// wherever they are, are left out. The chunks are walked by their headers; their data is not read.
/// </summary>
public static class PngXmp
{
    public const string Keyword = "XML:com.adobe.xmp";
    private static readonly byte[] KeywordBytes = Encoding.Latin1.GetBytes(Keyword);
    private static readonly byte[] KeywordAndNul = [.. KeywordBytes, 0];
    private const int MaxChunks = 1_000_000;

    public static EmbedPlan? Plan(Stream source, byte[] packet)
    {
        var length = source.Length;
        var pieces = new List<Piece> { new SourcePiece(0, 8) };
        var at = 8L;
        var inserted = false;
        var sawHeader = false;
        for (var count = 0; at < length; count++)
        {
            if (count >= MaxChunks || at + 12 > length) return null;
            var header = XmpEmbedder.ReadAt(source, at, 8);
            var dataLength = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (dataLength > int.MaxValue || at + 12 + dataLength > length) return null;
            var type = Encoding.ASCII.GetString(header, 4, 4);
            var chunkLength = 12 + (long)dataLength;
            if (count == 0 && type != "IHDR") return null;
            sawHeader = true;

            if (type == "IDAT" && !inserted)
            {
                pieces.Add(new BytesPiece(Chunk(packet)));
                inserted = true;
            }
            var isXmp = type == "iTXt" && dataLength > KeywordBytes.Length
                        && XmpEmbedder.ReadAt(source, at + 8, KeywordBytes.Length + 1).AsSpan().SequenceEqual(KeywordAndNul);
            if (!isXmp) pieces.Add(new SourcePiece(at, chunkLength));
            at += chunkLength;
            if (type == "IEND") break;
        }
        // No image data, or bytes after IEND: not a file we rewrite.
        if (!sawHeader || !inserted || at != length) return null;
        return new EmbedPlan("png", pieces);
    }

    /// <summary>Length, "iTXt", keyword NUL, no compression (flag and method 0), empty language and translated keyword, the packet, CRC-32.</summary>
    public static byte[] Chunk(byte[] packet)
    {
        var dataLength = KeywordBytes.Length + 5 + packet.Length;
        var chunk = new byte[12 + dataLength];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)dataLength);
        "iTXt"u8.CopyTo(chunk.AsSpan(4));
        KeywordBytes.CopyTo(chunk, 8);
        // After the keyword: NUL, compression flag 0, method 0, language tag "" NUL, translated keyword "" NUL.
        packet.CopyTo(chunk, 8 + KeywordBytes.Length + 5);
        // PNG's CRC is ISO 3309 CRC-32 over type and data, stored big-endian.
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + dataLength), Crc32(chunk.AsSpan(4, 4 + dataLength)));
        return chunk;
    }

    // CRC-32 as PNG defines it (ISO 3309: reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF). Written
    // here rather than taken from System.IO.Hashing, which this project only has as someone else's dependency.
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
