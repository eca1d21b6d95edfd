using System.Buffers.Binary;
using System.IO.Compression;
using System.Security;
using System.Text;
using NetVips;

namespace Market.Tests.Shared;

/// <summary>
/// Image files that carry embedded metadata, built byte by byte from the format specifications (EXIF/TIFF 6.0,
/// IPTC IIM 4.2 in a Photoshop image resource block, XMP part 3, PNG 1.2), so tests can hand the metadata reader
/// exactly the layouts real cameras and editors write, including broken ones. The pixels come from libvips;
/// every segment and chunk around them is written here.
/// </summary>
public static class TaggedImages
{
    /// <summary>EXIF IFD0 text tags (ASCII by the standard; written as UTF-8 as most software does).</summary>
    public sealed record ExifFields(string? Artist = null, string? Copyright = null, string? ImageDescription = null);

    /// <summary>IPTC IIM application record (record 2) datasets; By-line repeats, one dataset per creator.</summary>
    public sealed record IptcFields(IReadOnlyList<string>? ByLines = null, string? CopyrightNotice = null, string? ObjectName = null, string? Caption = null);

    /// <summary>
    /// XMP properties: dc:title, dc:rights and dc:description as language alternatives (x-default), dc:creator as
    /// an ordered list, Iptc4xmpExt:DigitalSourceType as a simple value. <see cref="TitleAlternatives"/>, when
    /// set, are written as dc:title's items in the given order, after the x-default item if there is a Title.
    /// </summary>
    public sealed record XmpFields(
        string? Title = null,
        IReadOnlyList<string>? Creators = null,
        string? Rights = null,
        string? Description = null,
        string? DigitalSourceType = null)
    {
        public IReadOnlyList<(string Lang, string Text)>? TitleAlternatives { get; init; }
    }

    public const byte App1 = 0xE1;
    public const byte App13 = 0xED;

    private const string IptcExtNamespace = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
    private static readonly byte[] ExifHeader = "Exif\0\0"u8.ToArray();
    private static readonly byte[] XmpHeader = "http://ns.adobe.com/xap/1.0/\0"u8.ToArray();
    private static readonly byte[] PhotoshopHeader = "Photoshop 3.0\0"u8.ToArray();
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // Pixels

    /// <summary>A gradient (not a flat colour, so hashes and previews have something to work on) as a JPEG.</summary>
    public static byte[] PlainJpeg(int width = 64, int height = 48)
    {
        using var image = Gradient(width, height);
        return image.JpegsaveBuffer(q: 90, keep: Enums.ForeignKeep.None);
    }

    /// <summary>The same gradient as a PNG, optionally with an alpha band (opaque on the left, clear on the right).</summary>
    public static byte[] PlainPng(int width = 64, int height = 48, bool alpha = false)
    {
        using var image = Gradient(width, height);
        if (!alpha) return image.PngsaveBuffer(keep: Enums.ForeignKeep.None);
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var fade = 255 - x * (255.0 / Math.Max(1, width - 1));
        using var a = fade.Cast(Enums.BandFormat.Uchar);
        using var withAlpha = image.Bandjoin(a);
        return withAlpha.PngsaveBuffer(keep: Enums.ForeignKeep.None);
    }

    /// <summary>A flat image of one grey level (0 black, 255 white).</summary>
    public static Image Flat(int width, int height, double level)
    {
        using var black = Image.Black(width, height, bands: 3);
        using var grey = black + level;
        using var rgb = grey.Cast(Enums.BandFormat.Uchar);
        return rgb.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    // JPEG

    /// <summary>A JPEG carrying any combination of EXIF (APP1), IPTC (APP13) and XMP (APP1) metadata.</summary>
    public static byte[] Jpeg(ExifFields? exif = null, IptcFields? iptc = null, XmpFields? xmp = null, int width = 64, int height = 48)
    {
        var segments = new List<(byte, byte[])>();
        if (exif is not null) segments.Add((App1, ExifSegment(exif)));
        if (xmp is not null) segments.Add((App1, XmpSegment(XmpPacket(xmp))));
        if (iptc is not null) segments.Add((App13, IptcSegment(iptc)));
        return WithSegments(PlainJpeg(width, height), [.. segments]);
    }

    /// <summary>
    /// Inserts marker segments (each FF, marker, big-endian length that counts itself, payload) after SOI and the
    /// JFIF APP0 segment libvips writes, where cameras and editors put their metadata.
    /// </summary>
    public static byte[] WithSegments(byte[] jpeg, params (byte Marker, byte[] Payload)[] segments)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) throw new ArgumentException("Not a JPEG.", nameof(jpeg));
        var at = 2;
        if (jpeg[2] == 0xFF && jpeg[3] == 0xE0) at = 4 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(4));

        using var output = new MemoryStream();
        output.Write(jpeg, 0, at);
        foreach (var (marker, payload) in segments)
        {
            if (payload.Length > ushort.MaxValue - 2) throw new ArgumentException("A JPEG segment holds at most 65,533 bytes.", nameof(segments));
            output.WriteByte(0xFF);
            output.WriteByte(marker);
            WriteUInt16(output, (ushort)(payload.Length + 2));
            output.Write(payload);
        }
        output.Write(jpeg, at, jpeg.Length - at);
        return output.ToArray();
    }

    /// <summary>
    /// An APP1 EXIF payload: "Exif\0\0", then a little-endian TIFF header and IFD0 with the text tags in ascending
    /// tag order, each value NUL-terminated, values over four bytes stored after the IFD at even offsets.
    /// </summary>
    public static byte[] ExifSegment(ExifFields fields)
    {
        var entries = new List<(ushort Tag, byte[] Value)>();
        if (fields.ImageDescription is not null) entries.Add((0x010E, Ascii(fields.ImageDescription)));
        if (fields.Artist is not null) entries.Add((0x013B, Ascii(fields.Artist)));
        if (fields.Copyright is not null) entries.Add((0x8298, Ascii(fields.Copyright)));

        using var tiff = new MemoryStream();
        tiff.Write("II"u8);
        WriteUInt16Le(tiff, 42);
        WriteUInt32Le(tiff, 8);
        WriteUInt16Le(tiff, (ushort)entries.Count);
        var dataOffset = 8 + 2 + 12 * entries.Count + 4;
        var data = new MemoryStream();
        foreach (var (tag, value) in entries)
        {
            WriteUInt16Le(tiff, tag);
            WriteUInt16Le(tiff, 2); // ASCII
            WriteUInt32Le(tiff, (uint)value.Length);
            if (value.Length <= 4)
            {
                var inline = new byte[4];
                value.CopyTo(inline, 0);
                tiff.Write(inline);
            }
            else
            {
                WriteUInt32Le(tiff, (uint)(dataOffset + data.Length));
                data.Write(value);
                if (data.Length % 2 == 1) data.WriteByte(0);
            }
        }
        WriteUInt32Le(tiff, 0); // no IFD1
        data.Position = 0;
        data.CopyTo(tiff);
        return [.. ExifHeader, .. tiff.ToArray()];

        static byte[] Ascii(string text) => [.. Encoding.UTF8.GetBytes(text), 0];
    }

    /// <summary>
    /// An APP13 payload: "Photoshop 3.0\0" and one image resource block (8BIM, id 0x0404 = IPTC-NAA, empty
    /// padded name, big-endian size, data padded to even) holding IIM datasets (1C, record, dataset, big-endian
    /// length, data). Record 1 declares UTF-8 (1:90 = ESC % G); record 2 holds the fields.
    /// </summary>
    public static byte[] IptcSegment(IptcFields fields)
    {
        using var iim = new MemoryStream();
        Dataset(iim, 1, 0, [0x00, 0x04]);
        Dataset(iim, 1, 90, [0x1B, 0x25, 0x47]);
        Dataset(iim, 2, 0, [0x00, 0x04]);
        if (fields.ObjectName is not null) Dataset(iim, 2, 5, Encoding.UTF8.GetBytes(fields.ObjectName));
        foreach (var byLine in fields.ByLines ?? []) Dataset(iim, 2, 80, Encoding.UTF8.GetBytes(byLine));
        if (fields.CopyrightNotice is not null) Dataset(iim, 2, 116, Encoding.UTF8.GetBytes(fields.CopyrightNotice));
        if (fields.Caption is not null) Dataset(iim, 2, 120, Encoding.UTF8.GetBytes(fields.Caption));
        return PhotoshopResource(0x0404, iim.ToArray());

        static void Dataset(Stream s, byte record, byte number, byte[] value)
        {
            if (value.Length > 0x7FFF) throw new ArgumentException("Extended IIM datasets are not written here.", nameof(value));
            s.WriteByte(0x1C);
            s.WriteByte(record);
            s.WriteByte(number);
            WriteUInt16(s, (ushort)value.Length);
            s.Write(value);
        }
    }

    /// <summary>An APP13 payload with one Photoshop image resource of the given id.</summary>
    public static byte[] PhotoshopResource(ushort resourceId, byte[] data)
    {
        using var s = new MemoryStream();
        s.Write(PhotoshopHeader);
        s.Write("8BIM"u8);
        WriteUInt16(s, resourceId);
        s.Write([0x00, 0x00]); // Pascal name: length 0, padded to an even size
        WriteUInt32(s, (uint)data.Length);
        s.Write(data);
        if (data.Length % 2 == 1) s.WriteByte(0);
        return s.ToArray();
    }

    /// <summary>An APP1 XMP payload: the XMP namespace, NUL, then the packet in UTF-8.</summary>
    public static byte[] XmpSegment(string packet) => [.. XmpHeader, .. Encoding.UTF8.GetBytes(packet)];

    /// <summary>A complete XMP packet (xpacket wrapper, x:xmpmeta, one rdf:Description) for the fields.</summary>
    public static string XmpPacket(XmpFields fields)
    {
        var body = new StringBuilder();
        var titles = new List<(string Lang, string Text)>();
        if (fields.Title is not null) titles.Add(("x-default", fields.Title));
        titles.AddRange(fields.TitleAlternatives ?? []);
        if (titles.Count > 0) body.Append(AltText("dc:title", titles));
        if (fields.Creators is { Count: > 0 } creators)
            body.Append("<dc:creator><rdf:Seq>")
                .AppendJoin("", creators.Select(c => $"<rdf:li>{Escape(c)}</rdf:li>"))
                .Append("</rdf:Seq></dc:creator>\n");
        if (fields.Rights is not null) body.Append(AltText("dc:rights", [("x-default", fields.Rights)]));
        if (fields.Description is not null) body.Append(AltText("dc:description", [("x-default", fields.Description)]));
        if (fields.DigitalSourceType is not null)
            body.Append($"<Iptc4xmpExt:DigitalSourceType>{Escape(fields.DigitalSourceType)}</Iptc4xmpExt:DigitalSourceType>\n");
        return XmpPacket(body.ToString());

        static string AltText(string name, IEnumerable<(string Lang, string Text)> items) =>
            $"<{name}><rdf:Alt>{string.Concat(items.Select(i => $"<rdf:li xml:lang=\"{Escape(i.Lang)}\">{Escape(i.Text)}</rdf:li>"))}</rdf:Alt></{name}>\n";
    }

    /// <summary>A packet around the given property elements, with the dc and Iptc4xmpExt prefixes declared.</summary>
    public static string XmpPacket(string propertyElements) =>
        "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n" +
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n" +
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n" +
        $"<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:Iptc4xmpExt=\"{IptcExtNamespace}\">\n" +
        propertyElements +
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";

    /// <summary>Bytes that are no valid anything, the same for the same seed.</summary>
    public static byte[] Garbage(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // PNG

    /// <summary>
    /// A PNG with an optional XMP packet in an iTXt chunk (keyword "XML:com.adobe.xmp", uncompressed) and
    /// optional text: <paramref name="text"/> as tEXt (Latin-1) and <paramref name="internationalText"/> as iTXt (UTF-8).
    /// </summary>
    public static byte[] Png(
        XmpFields? xmp = null,
        IReadOnlyList<(string Keyword, string Text)>? text = null,
        IReadOnlyList<(string Keyword, string Text)>? internationalText = null,
        int width = 64,
        int height = 48)
    {
        var chunks = new List<(string, byte[])>();
        if (xmp is not null) chunks.Add(("iTXt", ITxt("XML:com.adobe.xmp", XmpPacket(xmp))));
        foreach (var (keyword, value) in text ?? []) chunks.Add(("tEXt", TExt(keyword, value)));
        foreach (var (keyword, value) in internationalText ?? []) chunks.Add(("iTXt", ITxt(keyword, value)));
        return WithChunks(PlainPng(width, height), [.. chunks]);
    }

    /// <summary>Inserts chunks (big-endian length, type, data, CRC-32 of type and data) right after IHDR.</summary>
    public static byte[] WithChunks(byte[] png, params (string Type, byte[] Data)[] chunks)
    {
        if (!png.AsSpan().StartsWith(PngSignature)) throw new ArgumentException("Not a PNG.", nameof(png));
        var ihdrEnd = PngSignature.Length + 4 + 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(PngSignature.Length)) + 4;

        using var output = new MemoryStream();
        output.Write(png, 0, ihdrEnd);
        foreach (var (type, data) in chunks)
        {
            var typeBytes = Encoding.ASCII.GetBytes(type);
            if (typeBytes.Length != 4) throw new ArgumentException("A chunk type is four letters.", nameof(chunks));
            WriteUInt32(output, (uint)data.Length);
            output.Write(typeBytes);
            output.Write(data);
            WriteUInt32(output, Crc32([.. typeBytes, .. data]));
        }
        output.Write(png, ihdrEnd, png.Length - ihdrEnd);
        return output.ToArray();
    }

    /// <summary>tEXt data: Latin-1 keyword, NUL, Latin-1 text.</summary>
    public static byte[] TExt(string keyword, string text) => [.. Encoding.Latin1.GetBytes(keyword), 0, .. Encoding.Latin1.GetBytes(text)];

    /// <summary>zTXt data: Latin-1 keyword, NUL, compression method 0 (zlib), the zlib-compressed Latin-1 text.</summary>
    public static byte[] ZTxt(string keyword, string text) => [.. Encoding.Latin1.GetBytes(keyword), 0, 0, .. Zlib(Encoding.Latin1.GetBytes(text))];

    /// <summary>
    /// iTXt data: Latin-1 keyword, NUL, compression flag (1 when compressed), compression method 0, empty language
    /// tag and NUL, empty translated keyword and NUL, then the UTF-8 text, zlib-compressed when asked.
    /// </summary>
    public static byte[] ITxt(string keyword, string text, bool compressed = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return [.. Encoding.Latin1.GetBytes(keyword), 0, compressed ? (byte)1 : (byte)0, 0, 0, 0, .. compressed ? Zlib(bytes) : bytes];
    }

    /// <summary>A zlib stream (RFC 1950: header, deflate data, Adler-32) of the bytes.</summary>
    public static byte[] Zlib(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(bytes);
        return output.ToArray();
    }

    // WebP and TIFF, through libvips, which writes the XMP it is given into the format's own place for it
    // (the RIFF "XMP " chunk, TIFF tag 700).

    public static byte[] Webp(XmpFields xmp)
    {
        using var image = WithXmp(xmp);
        return image.WebpsaveBuffer(keep: Enums.ForeignKeep.Xmp);
    }

    public static byte[] Tiff(XmpFields xmp)
    {
        using var image = WithXmp(xmp);
        return image.TiffsaveBuffer(keep: Enums.ForeignKeep.Xmp);
    }

    /// <summary>Writes bytes to a new temporary file whose name ends with the extension; the caller deletes it.</summary>
    public static string ToTempFile(byte[] bytes, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tagged-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static Image WithXmp(XmpFields xmp)
    {
        using var image = Gradient(64, 48);
        return image.Mutate(m => m.Set(GValue.BlobType, "xmp-data", Encoding.UTF8.GetBytes(XmpPacket(xmp))));
    }

    private static Image Gradient(int width, int height)
    {
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        using var red = x * (255.0 / Math.Max(1, width - 1));
        using var green = y * (255.0 / Math.Max(1, height - 1));
        using var blue = Image.Black(width, height) + 96;
        using var rgb = red.Bandjoin(green, blue);
        using var bytes = rgb.Cast(Enums.BandFormat.Uchar);
        return bytes.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static void WriteUInt16(Stream s, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        s.Write(b);
    }

    private static void WriteUInt32(Stream s, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        s.Write(b);
    }

    private static void WriteUInt16Le(Stream s, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        s.Write(b);
    }

    private static void WriteUInt32Le(Stream s, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        s.Write(b);
    }

    // CRC-32 as PNG defines it (ISO 3309: polynomial 0xEDB88320 reflected, initial and final XOR 0xFFFFFFFF).
    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint Crc32(ReadOnlySpan<byte> bytes)
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
