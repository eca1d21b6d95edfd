using System.Buffers.Binary;

namespace Market.Web.Delivery;

/// <summary>
/// TIFF: the packet is the value of tag 700 (XMP part 3, 1.1.6) in the first image directory. Rewriting a
/// directory in place could shift the pixels' offsets, so the file is kept whole: a copy of IFD0 with tag 700
/// added (or replaced) and the packet are appended at the end, and the header's first-IFD offset, the only bytes
/// of the original that change, points to the copy. The copy keeps every other entry and the link to the next
/// directory as they were; the old IFD0 stays behind unreferenced. Streaming: the 8-byte header is written first,
/// then the rest of the original, then the appended part. Classic TIFF only (BigTIFF's offsets are 64-bit).
/// </summary>
public static class TiffXmp
{
    public const ushort XmpTag = 700;
    private const ushort ByteType = 1;
    private const int MaxEntries = 4096;

    public static EmbedPlan? Plan(Stream source, byte[] packet)
    {
        var length = source.Length;
        var header = XmpEmbedder.ReadAt(source, 0, 8);
        var little = header[0] == 'I';
        if (U16(header.AsSpan(2), little) != 42) return null;
        var ifdOffset = U32(header.AsSpan(4), little);
        if (ifdOffset < 8 || ifdOffset % 2 != 0 || ifdOffset + 2 > length) return null;

        var count = U16(XmpEmbedder.ReadAt(source, ifdOffset, 2), little);
        if (count == 0 || count > MaxEntries) return null;
        var entries = XmpEmbedder.ReadAt(source, ifdOffset + 2, 12 * count + 4);
        var nextIfd = entries.AsSpan(12 * count, 4).ToArray();

        var kept = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var entry = entries.AsSpan(12 * i, 12).ToArray();
            if (U16(entry, little) != XmpTag) kept.Add(entry);
        }

        // Appended at an even offset (TIFF wants word-aligned directories): padding, the new IFD0, the packet.
        var appendAt = length + (length & 1);
        var newCount = kept.Count + 1;
        var ifdLength = 2 + 12L * newCount + 4;
        var packetAt = appendAt + ifdLength;
        var end = packetAt + packet.Length;
        if (end > uint.MaxValue) return null;

        var xmpEntry = new byte[12];
        W16(xmpEntry, XmpTag, little);
        W16(xmpEntry.AsSpan(2), ByteType, little);
        W32(xmpEntry.AsSpan(4), (uint)packet.Length, little);
        if (packet.Length <= 4) packet.CopyTo(xmpEntry, 8);
        else W32(xmpEntry.AsSpan(8), (uint)packetAt, little);
        kept.Add(xmpEntry);
        // Entries in ascending tag order, as TIFF 6.0 requires.
        kept.Sort((a, b) => U16(a, little).CompareTo(U16(b, little)));

        var appended = new byte[(appendAt - length) + ifdLength + (packet.Length <= 4 ? 0 : packet.Length)];
        var ifd = appended.AsSpan((int)(appendAt - length));
        W16(ifd, (ushort)newCount, little);
        for (var i = 0; i < kept.Count; i++) kept[i].CopyTo(ifd[(2 + 12 * i)..]);
        nextIfd.CopyTo(ifd[(2 + 12 * newCount)..]);
        if (packet.Length > 4) packet.CopyTo(ifd[(int)ifdLength..]);

        var newHeader = (byte[])header.Clone();
        W32(newHeader.AsSpan(4), (uint)appendAt, little);
        return new EmbedPlan("tiff", [new BytesPiece(newHeader), new SourcePiece(8, length - 8), new BytesPiece(appended)]);
    }

    private static ushort U16(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);
    private static uint U32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    private static void W16(Span<byte> b, ushort v, bool little)
    {
        if (little) BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        else BinaryPrimitives.WriteUInt16BigEndian(b, v);
    }

    private static void W32(Span<byte> b, uint v, bool little)
    {
        if (little) BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        else BinaryPrimitives.WriteUInt32BigEndian(b, v);
    }
}
