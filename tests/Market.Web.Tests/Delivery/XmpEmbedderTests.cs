using System.Buffers.Binary;
using System.Text;
using Market.Domain.Licensing;
using Market.Web.Delivery;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Xmp;
using NetVips;
using XmpCore;
using static Market.Tests.Shared.TaggedImages;
using Image = NetVips.Image;

namespace Market.Web.Tests.Delivery;

/// <summary>
/// The license goes into each format where readers look for it, and nothing else changes: MetadataExtractor
/// (what the site itself reads uploads with) and libvips find the packet, libvips decodes the same pixels as
/// from the original, an existing packet is replaced rather than joined, and other metadata stays.
/// </summary>
public sealed class XmpEmbedderTests
{
    private static readonly Guid LicenseId = Guid.Parse("0195f0c2-7a1e-7c3d-9b2a-1234567890ab");
    private static readonly Guid WorkId = Guid.Parse("0195f0c2-7a1e-7c3d-9b2a-abcdef012345");

    public static XmpLicenseFacts Facts(string title = "Harbour at dusk") => new(
        LicenseId, WorkId, title, "Ana Lima", "Ana Lima", "Ana Lima (creator, 100%)", "Lab Inc", LicenseTerms.OneYearGenerative,
        new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 11, 23, 10, 0, 0, TimeSpan.Zero),
        new string('a', 64), AiGenerated: false, "https://market.test", $"https://market.test/Verify/{LicenseId}",
        "https://market.test/.well-known/license-signing-key.pem");

    private static readonly byte[] Packet = LicenseXmp.Packet(Facts());

    private static (byte[] Bytes, EmbedPlan Plan) Embed(byte[] original, byte[]? packet = null)
    {
        using var source = new MemoryStream(original);
        var plan = XmpEmbedder.Plan(source, packet ?? Packet).ShouldNotBeNull();
        using var output = new MemoryStream();
        using (var embedded = plan.Open(new MemoryStream(original))) embedded.CopyTo(output);
        output.Length.ShouldBe(plan.Length);
        return (output.ToArray(), plan);
    }

    /// <summary>Every XMP packet MetadataExtractor finds in the file.</summary>
    private static List<IXmpMeta> XmpPackets(byte[] file) =>
        ImageMetadataReader.ReadMetadata(new MemoryStream(file)).OfType<XmpDirectory>().Select(d => d.XmpMeta).OfType<IXmpMeta>().ToList();

    private static void ShouldCarryTheLicense(byte[] file)
    {
        var xmp = XmpPackets(file).ShouldHaveSingleItem();
        xmp.GetPropertyString(LicenseXmp.Namespace, "LicenseId").ShouldBe(LicenseId.ToString());
        xmp.GetPropertyString(LicenseXmp.Namespace, "WorkId").ShouldBe(WorkId.ToString());
        xmp.GetPropertyString(LicenseXmp.Namespace, "Licensee").ShouldBe("Lab Inc");
        xmp.GetPropertyString(LicenseXmp.Namespace, "EndsAt").ShouldBe("2027-11-23T10:00:00Z");
        xmp.GetArrayItem(XmpConstants.NsDC, "creator", 1).Value.ShouldBe("Ana Lima");
        xmp.GetLocalizedText(XmpConstants.NsDC, "rights", "", "x-default").Value.ShouldContain($"Licensed to Lab Inc under license {LicenseId}");
        xmp.GetPropertyString(XmpConstants.NsXmpRights, "Marked").ShouldBe("True");
        xmp.GetPropertyString(XmpConstants.NsXmpRights, "WebStatement").ShouldBe($"https://market.test/Verify/{LicenseId}");
        xmp.GetPropertyString(LicenseXmp.PlusNamespace, "DataMining").ShouldBe(LicenseXmp.DataMiningSeeConstraint);
        xmp.GetPropertyString(LicenseXmp.PlusNamespace, "LicenseID").ShouldBe(LicenseId.ToString());
        xmp.GetStructField(LicenseXmp.PlusNamespace, "Licensee[1]", LicenseXmp.PlusNamespace, "LicenseeName").Value.ShouldBe("Lab Inc");
    }

    /// <summary>libvips decodes both to the same pixels, band for band, and sees our packet (it reads XMP only where the format puts it).</summary>
    private static void ShouldDecodeToTheSamePixels(byte[] original, byte[] embedded)
    {
        using var a = Image.NewFromBuffer(original, access: Enums.Access.Sequential);
        using var b = Image.NewFromBuffer(embedded, access: Enums.Access.Sequential);
        (b.Width, b.Height, b.Bands, b.Format).ShouldBe((a.Width, a.Height, a.Bands, a.Format));
        using var a2 = Image.NewFromBuffer(original);
        using var b2 = Image.NewFromBuffer(embedded);
        using var difference = (a2 - b2).Abs();
        difference.Max().ShouldBe(0d);
        Encoding.UTF8.GetString((byte[])b2.Get("xmp-data")).ShouldContain(LicenseId.ToString());
    }

    // JPEG

    [Fact]
    public void A_jpeg_gets_one_app1_xmp_segment_after_jfif_and_decodes_to_the_same_pixels()
    {
        // libvips writes no JFIF segment when told to keep no metadata; cameras and most editors do.
        byte[] jfif = [.. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0];
        var original = WithSegments(PlainJpeg(120, 80), (0xE0, jfif));

        var (embedded, plan) = Embed(original);

        plan.Format.ShouldBe("jpeg");
        embedded.Length.ShouldBe(original.Length + JpegXmp.Segment(Packet).Length);
        embedded.AsSpan(0, 2).ToArray().ShouldBe(new byte[] { 0xFF, 0xD8 });
        embedded[3].ShouldBe((byte)0xE0, "the JFIF APP0 segment stays first");
        ShouldCarryTheLicense(embedded);
        ShouldDecodeToTheSamePixels(original, embedded);
    }

    [Fact]
    public void A_jpeg_with_its_own_xmp_and_exif_keeps_the_exif_and_ends_with_one_packet_ours()
    {
        var original = Jpeg(exif: new ExifFields("Ana Lima", "© Ana"), xmp: new XmpFields("Old title", ["Someone Else"], "© Someone Else"));

        var (embedded, _) = Embed(original);

        XmpSegments(embedded).ShouldBe(1);
        ShouldCarryTheLicense(embedded);
        var exif = ImageMetadataReader.ReadMetadata(new MemoryStream(embedded)).OfType<ExifIfd0Directory>().ShouldHaveSingleItem();
        exif.GetDescription(ExifDirectoryBase.TagArtist).ShouldBe("Ana Lima");
        ShouldDecodeToTheSamePixels(original, embedded);
    }

    [Fact]
    public void Extended_xmp_segments_of_the_old_packet_go_with_it()
    {
        var extended = (App1, (byte[])[.. JpegXmp.ExtendedXmpSignature, .. new byte[40]]);
        var original = WithSegments(Jpeg(xmp: new XmpFields("Old")), extended);

        var (embedded, _) = Embed(original);

        XmpSegments(embedded).ShouldBe(1);
        Count(embedded, JpegXmp.ExtendedXmpSignature).ShouldBe(0);
        ShouldCarryTheLicense(embedded);
    }

    [Fact]
    public void A_packet_too_big_for_a_jpeg_segment_is_refused_so_the_caller_writes_a_sidecar()
    {
        using var source = new MemoryStream(PlainJpeg());
        XmpEmbedder.Plan(source, new byte[JpegXmp.MaxPacketBytes + 1]).ShouldBeNull();
        XmpEmbedder.Plan(new MemoryStream(PlainJpeg()), new byte[JpegXmp.MaxPacketBytes]).ShouldNotBeNull();
    }

    [Fact]
    public void A_truncated_jpeg_without_a_scan_is_refused()
    {
        var jpeg = PlainJpeg();
        var sos = IndexOf(jpeg, [0xFF, 0xDA]);
        XmpEmbedder.Plan(new MemoryStream(jpeg[..sos]), Packet).ShouldBeNull();
        XmpEmbedder.Plan(new MemoryStream(jpeg[..5]), Packet).ShouldBeNull();
    }

    // PNG

    [Fact]
    public void A_png_gets_an_itxt_chunk_before_the_image_data_with_a_correct_crc()
    {
        var original = PlainPng(90, 60, alpha: true);

        var (embedded, plan) = Embed(original);

        plan.Format.ShouldBe("png");
        var chunks = PngChunks(embedded);
        chunks.Select(c => c.Type).ShouldContain("iTXt");
        chunks.FindIndex(c => c.Type == "iTXt").ShouldBeLessThan(chunks.FindIndex(c => c.Type == "IDAT"));
        chunks.ShouldAllBe(c => c.CrcOk);
        ShouldCarryTheLicense(embedded);
        ShouldDecodeToTheSamePixels(original, embedded);
    }

    [Fact]
    public void A_png_with_an_xmp_chunk_after_its_image_data_ends_with_one_packet_ours()
    {
        var original = Png(xmp: new XmpFields("Old", ["Someone Else"]), text: [("Author", "Ana Lima")]);
        // Move nothing: add a second old packet at the end too, before IEND, where some writers put it.
        var iend = original.Length - 12;
        var late = WithChunksAt(original, iend, ("iTXt", ITxt(PngXmp.Keyword, XmpPacket(new XmpFields("Later")))));

        var (embedded, _) = Embed(late);

        PngChunks(embedded).Count(c => c.Type == "iTXt" && c.Keyword == PngXmp.Keyword).ShouldBe(1);
        PngChunks(embedded).ShouldContain(c => c.Type == "tEXt");
        ShouldCarryTheLicense(embedded);
        ShouldDecodeToTheSamePixels(late, embedded);
    }

    [Fact]
    public void A_png_with_bytes_after_iend_or_a_broken_chunk_length_is_refused()
    {
        var png = PlainPng();
        XmpEmbedder.Plan(new MemoryStream([.. png, 1, 2, 3]), Packet).ShouldBeNull();
        var broken = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(broken.AsSpan(33), 0x7FFFFFF0); // the chunk after IHDR claims 2 GB
        XmpEmbedder.Plan(new MemoryStream(broken), Packet).ShouldBeNull();
    }

    // WebP

    [Fact]
    public void A_simple_lossy_webp_becomes_extended_with_the_canvas_size_from_its_bitstream()
    {
        using var gradient = Image.NewFromBuffer(PlainJpeg(123, 77));
        var original = gradient.WebpsaveBuffer(q: 80, keep: Enums.ForeignKeep.None);
        Encoding.ASCII.GetString(original, 12, 4).ShouldBe("VP8 ");

        var (embedded, plan) = Embed(original);

        plan.Format.ShouldBe("webp");
        Encoding.ASCII.GetString(embedded, 12, 4).ShouldBe("VP8X");
        (embedded[20] & 0x04).ShouldBe(0x04, "the XMP flag");
        (embedded[20] & 0x10).ShouldBe(0, "no alpha");
        Read24(embedded, 24).ShouldBe(122);
        Read24(embedded, 27).ShouldBe(76);
        BinaryPrimitives.ReadUInt32LittleEndian(embedded.AsSpan(4)).ShouldBe((uint)(embedded.Length - 8));
        ShouldCarryTheLicense(embedded);
        ShouldDecodeToTheSamePixels(original, embedded);
    }

    [Fact]
    public void A_lossless_webp_with_alpha_keeps_its_alpha()
    {
        using var withAlpha = Image.NewFromBuffer(PlainPng(64, 40, alpha: true));
        var original = withAlpha.WebpsaveBuffer(lossless: true, keep: Enums.ForeignKeep.None);
        Encoding.ASCII.GetString(original, 12, 4).ShouldBe("VP8L");

        var (embedded, _) = Embed(original);

        (embedded[20] & 0x10).ShouldBe(0x10, "the alpha flag, from the lossless header");
        using var decoded = Image.NewFromBuffer(embedded);
        decoded.Bands.ShouldBe(4);
        ShouldCarryTheLicense(embedded);
        ShouldDecodeToTheSamePixels(original, embedded);
    }

    [Fact]
    public void An_extended_webp_with_xmp_gets_its_packet_replaced()
    {
        var original = Webp(new XmpFields("Old", ["Someone Else"]));
        Encoding.ASCII.GetString(original, 12, 4).ShouldBe("VP8X");

        var (embedded, _) = Embed(original);

        Count(embedded, "XMP "u8.ToArray()).ShouldBe(1);
        ShouldCarryTheLicense(embedded);
        ShouldDecodeToTheSamePixels(original, embedded);
    }

    [Fact]
    public void A_webp_whose_riff_size_does_not_match_is_refused()
    {
        using var gradient = Image.NewFromBuffer(PlainJpeg());
        var webp = gradient.WebpsaveBuffer(keep: Enums.ForeignKeep.None);
        XmpEmbedder.Plan(new MemoryStream(webp[..^2]), Packet).ShouldBeNull();
    }

    // TIFF

    [Fact]
    public void A_tiff_gets_a_new_first_directory_with_tag_700_appended_and_only_its_header_changes()
    {
        using var gradient = Image.NewFromBuffer(PlainJpeg(50, 30));
        var original = gradient.TiffsaveBuffer(compression: Enums.ForeignTiffCompression.None, keep: Enums.ForeignKeep.None);

        var (embedded, plan) = Embed(original);

        plan.Format.ShouldBe("tiff");
        embedded.AsSpan(8, original.Length - 8).SequenceEqual(original.AsSpan(8)).ShouldBeTrue("every byte after the header is the original's");
        embedded.AsSpan(0, 4).SequenceEqual(original.AsSpan(0, 4)).ShouldBeTrue();
        ShouldCarryTheLicense(embedded);
        ShouldDecodeToTheSamePixels(original, embedded);
    }

    [Fact]
    public void A_tiff_with_xmp_gets_its_packet_replaced()
    {
        var original = Tiff(new XmpFields("Old", ["Someone Else"], "© Someone Else"));

        var (embedded, _) = Embed(original);

        ShouldCarryTheLicense(embedded);
        XmpPackets(embedded).ShouldHaveSingleItem().GetArrayItem(XmpConstants.NsDC, "creator", 1).Value.ShouldBe("Ana Lima");
        ShouldDecodeToTheSamePixels(original, embedded);
    }

    [Fact]
    public void A_bigtiff_or_a_directory_past_the_end_is_refused()
    {
        var big = "II+\0"u8.ToArray().Concat(new byte[12]).ToArray();
        XmpEmbedder.Plan(new MemoryStream(big), Packet).ShouldBeNull();
        var tiff = Tiff(new XmpFields("x"));
        var broken = (byte[])tiff.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(broken.AsSpan(4), (uint)tiff.Length + 100);
        XmpEmbedder.Plan(new MemoryStream(broken), Packet).ShouldBeNull();
    }

    // Others

    [Fact]
    public void A_gif_or_anything_else_gets_no_plan_so_the_caller_writes_a_sidecar()
    {
        using var gradient = Image.NewFromBuffer(PlainJpeg());
        XmpEmbedder.Plan(new MemoryStream(gradient.GifsaveBuffer()), Packet).ShouldBeNull();
        XmpEmbedder.Plan(new MemoryStream(Garbage(1000, 7)), Packet).ShouldBeNull();
        XmpEmbedder.Plan(new MemoryStream([]), Packet).ShouldBeNull();
    }

    [Fact]
    public void The_embedded_stream_reads_the_same_bytes_from_any_position_so_ranges_work()
    {
        var original = Jpeg(xmp: new XmpFields("Old"));
        var (whole, plan) = Embed(original);
        var random = new Random(5);

        using var stream = plan.Open(new MemoryStream(original));
        stream.CanSeek.ShouldBeTrue();
        for (var i = 0; i < 50; i++)
        {
            var start = random.Next(0, whole.Length);
            var length = Math.Min(random.Next(1, 5000), whole.Length - start);
            stream.Position = start;
            var buffer = new byte[length];
            stream.ReadExactly(buffer);
            buffer.ShouldBe(whole.AsSpan(start, length).ToArray());
        }
        stream.Position = whole.Length;
        stream.Read(new byte[10]).ShouldBe(0);
    }

    [Fact]
    public void The_packet_is_well_formed_xmp_even_with_markup_and_control_characters_in_a_title()
    {
        var packet = LicenseXmp.Packet(Facts(title: "Tom & Jerry <script>\"x\" \u0001 ☃"));

        var xmp = XmpMetaFactory.ParseFromBuffer(packet);

        xmp.GetLocalizedText(XmpConstants.NsDC, "title", "", "x-default").Value.ShouldBe("Tom & Jerry <script>\"x\"  ☃");
    }

    // Helpers

    private static int XmpSegments(byte[] jpeg) => Count(jpeg, JpegXmp.XmpSignature);

    private static int Count(byte[] haystack, byte[] needle)
    {
        var count = 0;
        for (var at = haystack.AsSpan().IndexOf(needle); at >= 0;)
        {
            count++;
            var next = haystack.AsSpan(at + 1).IndexOf(needle);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return count;
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static int Read24(byte[] b, int at) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);

    private sealed record PngChunk(string Type, string? Keyword, bool CrcOk);

    private static List<PngChunk> PngChunks(byte[] png)
    {
        var chunks = new List<PngChunk>();
        for (var at = 8; at < png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            var keyword = type == "iTXt" ? Encoding.Latin1.GetString(png, at + 8, png.AsSpan(at + 8, length).IndexOf((byte)0)) : null;
            chunks.Add(new PngChunk(type, keyword, crc == PngXmp.Crc32(png.AsSpan(at + 4, 4 + length))));
            at += 12 + length;
        }
        return chunks;
    }

    /// <summary>Inserts chunks at a byte offset that is a chunk boundary (TaggedImages inserts only after IHDR).</summary>
    private static byte[] WithChunksAt(byte[] png, int at, params (string Type, byte[] Data)[] chunks)
    {
        using var output = new MemoryStream();
        output.Write(png, 0, at);
        foreach (var (type, data) in chunks)
        {
            var header = new byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
            Encoding.ASCII.GetBytes(type).CopyTo(header, 4);
            output.Write(header);
            output.Write(data);
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, PngXmp.Crc32([.. header[4..], .. data]));
            output.Write(crc);
        }
        output.Write(png, at, png.Length - at);
        return output.ToArray();
    }
}
