using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Market.Web.Imaging;

/// <summary>
/// The text-bearing chunks of a PNG (tEXt, zTXt, iTXt and eXIf), read with bounds. MetadataExtractor's own PNG
/// reader allocates whatever length a chunk header claims (1.5 GB for a 60-byte file that lies) and inflates
/// compressed text without limit (a 200 KB zTXt chunk becomes 200 MB), and it decodes iTXt as Latin-1 and
/// cannot inflate compressed iTXt. Walking the chunks here keeps the cost to reading the headers, seeking past
/// image data, and at most <see cref="MaxChunkBytes"/> per metadata chunk.
/// </summary>
internal static class PngTextChunks
{
    /// <summary>A text chunk (compressed or inflated) larger than this is skipped; real XMP packets are a few KB.</summary>
    public const int MaxChunkBytes = 1024 * 1024;

    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <param name="Keyword">The chunk's keyword; "eXIf" for the EXIF chunk, which has none.</param>
    /// <param name="Text">The text, decoded as the PNG standard says (Latin-1 for tEXt and zTXt, UTF-8 for iTXt); null for eXIf.</param>
    /// <param name="Bytes">The chunk's text bytes after inflation (for XMP, the packet; for eXIf, the TIFF data).</param>
    public sealed record Chunk(string Keyword, string? Text, byte[] Bytes);

    public static bool IsPng(Stream stream)
    {
        Span<byte> start = stackalloc byte[8];
        var isPng = stream.ReadAtLeast(start, 8, throwOnEndOfStream: false) == 8 && start.SequenceEqual(Signature);
        stream.Position = 0;
        return isPng;
    }

    /// <summary>All metadata chunks together are read up to this much; the rest of the file is not looked at.</summary>
    public const int MaxTotalBytes = 8 * MaxChunkBytes;

    /// <summary>The chunks in file order. A damaged or truncated file ends the walk; what was read is kept.</summary>
    public static List<Chunk> Read(Stream stream)
    {
        var chunks = new List<Chunk>();
        long total = 0;
        stream.Position = Signature.Length;
        Span<byte> header = stackalloc byte[8];
        while (stream.ReadAtLeast(header, 8, throwOnEndOfStream: false) == 8)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = Encoding.ASCII.GetString(header[4..]);
            if (type == "IEND" || length > int.MaxValue || stream.Position + length + 4 > stream.Length) break;

            if (type is "tEXt" or "zTXt" or "iTXt" or "eXIf" && length <= MaxChunkBytes)
            {
                // Compressed bytes read and inflated bytes made both count against the budget, so neither many
                // small chunks nor many small bombs add up to much.
                if ((total += length) > MaxTotalBytes) break;
                var data = new byte[length];
                stream.ReadExactly(data);
                var chunk = Parse(type, data, (int)Math.Min(MaxChunkBytes, MaxTotalBytes - total));
                if (chunk is not null)
                {
                    chunks.Add(chunk);
                    total += chunk.Bytes.Length;
                }
                stream.Seek(4, SeekOrigin.Current); // CRC
            }
            else
            {
                stream.Seek(length + 4L, SeekOrigin.Current);
            }
        }
        return chunks;
    }

    private static Chunk? Parse(string type, byte[] data, int maxInflated)
    {
        if (type == "eXIf") return new Chunk("eXIf", null, data);

        var keywordEnd = Array.IndexOf(data, (byte)0);
        if (keywordEnd is < 1 or > 79) return null;
        var keyword = Encoding.Latin1.GetString(data, 0, keywordEnd);
        var rest = data.AsSpan(keywordEnd + 1);

        switch (type)
        {
            case "tEXt":
                return new Chunk(keyword, Encoding.Latin1.GetString(rest), rest.ToArray());
            case "zTXt":
            {
                if (rest.Length < 1 || rest[0] != 0) return null;
                var text = Inflate(rest[1..], maxInflated);
                return text is null ? null : new Chunk(keyword, Encoding.Latin1.GetString(text), text);
            }
            default: // iTXt: compression flag, method, language tag NUL, translated keyword NUL, text
            {
                if (rest.Length < 2) return null;
                var compressed = rest[0] == 1;
                if (rest[0] > 1 || (compressed && rest[1] != 0)) return null;
                rest = rest[2..];
                for (var skip = 0; skip < 2; skip++)
                {
                    var end = rest.IndexOf((byte)0);
                    if (end < 0) return null;
                    rest = rest[(end + 1)..];
                }
                var text = compressed ? Inflate(rest, maxInflated) : rest.ToArray();
                return text is null ? null : new Chunk(keyword, Encoding.UTF8.GetString(text), text);
            }
        }
    }

    /// <summary>The zlib stream inflated, or null when it is damaged or would inflate past <paramref name="max"/> bytes.</summary>
    private static byte[]? Inflate(ReadOnlySpan<byte> compressed, int max)
    {
        try
        {
            using var input = new MemoryStream(compressed.ToArray());
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                if (output.Length + read > max) return null;
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
