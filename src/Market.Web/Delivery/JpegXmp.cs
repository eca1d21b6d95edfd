using System.Buffers.Binary;

namespace Market.Web.Delivery;

/// <summary>
/// JPEG: the packet goes in an APP1 segment whose payload starts with the XMP namespace and a NUL (XMP part 3,
/// 1.1.3), placed after SOI and the leading JFIF APP0 / EXIF APP1 segments, where editors put it. Every existing
/// XMP APP1 segment, and the extended-XMP segments that belong to it, is left out: a file has one packet.
/// Only the marker segments before the first scan are walked; the entropy-coded data is copied as it is.
/// </summary>
public static class JpegXmp
{
    public static readonly byte[] XmpSignature = "http://ns.adobe.com/xap/1.0/\0"u8.ToArray();
    public static readonly byte[] ExtendedXmpSignature = "http://ns.adobe.com/xmp/extension/\0"u8.ToArray();
    private static readonly byte[] ExifSignature = "Exif\0\0"u8.ToArray();

    /// <summary>A segment's length field counts itself and holds at most 65,535.</summary>
    public static readonly int MaxPacketBytes = ushort.MaxValue - 2 - XmpSignature.Length;

    private const byte App0 = 0xE0, App1 = 0xE1, Sos = 0xDA, Eoi = 0xD9;
    private const int MaxSegments = 10_000;

    public static EmbedPlan? Plan(Stream source, byte[] packet)
    {
        if (packet.Length > MaxPacketBytes) return null;
        var segments = Segments(source);
        if (segments is null) return null;

        // Keep APP0 (JFIF) and an EXIF APP1 first, as their specifications ask; ours follows them.
        var insertAt = 0;
        while (insertAt < segments.Count && segments[insertAt] is { } s
               && (s.Marker == App0 || (s.Marker == App1 && s.Kind == SegmentKind.Exif)))
            insertAt++;

        var pieces = new List<Piece> { new SourcePiece(0, 2) };
        for (var i = 0; i < segments.Count; i++)
        {
            if (i == insertAt) pieces.Add(new BytesPiece(Segment(packet)));
            var segment = segments[i];
            if (segment.Kind is SegmentKind.Xmp or SegmentKind.ExtendedXmp) continue;
            pieces.Add(new SourcePiece(segment.Offset, segment.Length));
        }
        if (insertAt == segments.Count) pieces.Add(new BytesPiece(Segment(packet)));
        var scan = segments.Count == 0 ? 2 : segments[^1].Offset + segments[^1].Length;
        pieces.Add(new SourcePiece(scan, source.Length - scan));
        return new EmbedPlan("jpeg", pieces);
    }

    /// <summary>FF E1, the length, the XMP signature, the packet.</summary>
    public static byte[] Segment(byte[] packet)
    {
        var segment = new byte[4 + XmpSignature.Length + packet.Length];
        segment[0] = 0xFF;
        segment[1] = App1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + XmpSignature.Length + packet.Length));
        XmpSignature.CopyTo(segment, 4);
        packet.CopyTo(segment, 4 + XmpSignature.Length);
        return segment;
    }

    private enum SegmentKind { Other, Exif, Xmp, ExtendedXmp }

    private sealed record MarkerSegment(long Offset, long Length, byte Marker, SegmentKind Kind);

    /// <summary>The marker segments between SOI and the first SOS (exclusive); null if there is no scan to find.</summary>
    private static List<MarkerSegment>? Segments(Stream source)
    {
        var segments = new List<MarkerSegment>();
        var at = 2L;
        var length = source.Length;
        while (segments.Count < MaxSegments)
        {
            if (at + 2 > length) return null;
            var marker = XmpEmbedder.ReadAt(source, at, 2);
            if (marker[0] != 0xFF) return null;
            if (marker[1] == 0xFF)
            {
                // A fill byte before a marker; the segment starts at the next FF.
                at++;
                continue;
            }
            var type = marker[1];
            if (type == Sos) return segments;
            if (type == Eoi || type == 0x00) return null;
            if (type is >= 0xD0 and <= 0xD7 or 0x01)
            {
                // Standalone markers carry no length.
                segments.Add(new MarkerSegment(at, 2, type, SegmentKind.Other));
                at += 2;
                continue;
            }
            var size = BinaryPrimitives.ReadUInt16BigEndian(XmpEmbedder.ReadAt(source, at + 2, 2));
            if (size < 2 || at + 2 + size > length) return null;
            var kind = SegmentKind.Other;
            if (type == App1)
            {
                var probe = XmpEmbedder.ReadAt(source, at + 4, Math.Min(size - 2, ExtendedXmpSignature.Length));
                if (probe.AsSpan().StartsWith(XmpSignature)) kind = SegmentKind.Xmp;
                else if (probe.AsSpan().StartsWith(ExtendedXmpSignature)) kind = SegmentKind.ExtendedXmp;
                else if (probe.AsSpan().StartsWith(ExifSignature)) kind = SegmentKind.Exif;
            }
            segments.Add(new MarkerSegment(at, 2 + size, type, kind));
            at += 2 + size;
        }
        return null;
    }
}
