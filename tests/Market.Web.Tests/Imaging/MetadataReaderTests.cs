using Market.Domain.Catalog;
using Market.Web.Imaging;
using static Market.Tests.Shared.TaggedImages;

namespace Market.Web.Tests.Imaging;

public sealed class MetadataReaderTests : IDisposable
{
    private const string AiUri = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    private readonly MetadataReader reader = new();
    private readonly List<string> files = [];

    public void Dispose()
    {
        foreach (var file in files) File.Delete(file);
    }

    private EmbeddedMetadata Read(byte[] bytes, string extension = ".jpg")
    {
        var path = ToTempFile(bytes, extension);
        files.Add(path);
        return reader.Read(path);
    }

    // Each source alone

    [Fact]
    public void Exif_alone_gives_artist_copyright_and_description()
    {
        var read = Read(Jpeg(exif: new ExifFields("Ada Lovelace", "© 2024 Ada Lovelace", "Harbour at dusk")));

        read.ShouldBe(new EmbeddedMetadata(null, "Ada Lovelace", "© 2024 Ada Lovelace", "Harbour at dusk", null));
    }

    [Fact]
    public void Iptc_alone_gives_object_name_by_line_copyright_and_caption()
    {
        var read = Read(Jpeg(iptc: new IptcFields(["Ada Lovelace"], "© Ada Lovelace", "Harbour", "Boats at dusk")));

        read.ShouldBe(new EmbeddedMetadata("Harbour", "Ada Lovelace", "© Ada Lovelace", "Boats at dusk", null));
    }

    [Fact]
    public void Xmp_alone_gives_every_field()
    {
        var read = Read(Jpeg(xmp: new XmpFields("Harbour", ["Ada Lovelace"], "© Ada Lovelace", "Boats at dusk", "digitalCapture")));

        read.ShouldBe(new EmbeddedMetadata("Harbour", "Ada Lovelace", "© Ada Lovelace", "Boats at dusk", "digitalCapture"));
    }

    [Fact]
    public void Png_text_chunks_are_read_when_nothing_else_is_there()
    {
        var read = Read(Png(
            text: [("Title", "Harbour"), ("Author", "Ada Lovelace"), ("Copyright", "© Ada")],
            internationalText: [("Description", "Båtar i skymningen")]), ".png");

        read.ShouldBe(new EmbeddedMetadata("Harbour", "Ada Lovelace", "© Ada", "Båtar i skymningen", null));
    }

    [Fact]
    public void Xmp_in_a_png_itxt_chunk_is_read()
    {
        var read = Read(Png(xmp: new XmpFields("Harbour", ["Zoë Åkesson"], DigitalSourceType: AiUri)), ".png");

        read.Title.ShouldBe("Harbour");
        read.Creator.ShouldBe("Zoë Åkesson");
        read.DigitalSourceType.ShouldBe("trainedAlgorithmicMedia");
    }

    [Fact]
    public void Compressed_png_text_is_inflated()
    {
        var png = WithChunks(PlainPng(),
            ("iTXt", ITxt("XML:com.adobe.xmp", XmpPacket(new XmpFields("Harbour", ["Zoë Åkesson"])), compressed: true)),
            ("zTXt", ZTxt("Copyright", "© Zoë")));

        var read = Read(png, ".png");

        read.Title.ShouldBe("Harbour");
        read.Creator.ShouldBe("Zoë Åkesson");
        read.CopyrightNotice.ShouldBe("© Zoë");
    }

    [Fact]
    public void Exif_in_a_png_exif_chunk_is_read()
    {
        var tiff = ExifSegment(new ExifFields("Ada Lovelace", ImageDescription: "Harbour at dusk"))[6..]; // without "Exif\0\0"

        var read = Read(WithChunks(PlainPng(), ("eXIf", tiff)), ".png");

        read.Creator.ShouldBe("Ada Lovelace");
        read.Description.ShouldBe("Harbour at dusk");
    }

    [Fact]
    public void Xmp_in_webp_and_tiff_is_read()
    {
        var xmp = new XmpFields("Harbour", ["Ada Lovelace"]);

        Read(Webp(xmp), ".webp").Title.ShouldBe("Harbour");
        Read(Tiff(xmp), ".tif").Creator.ShouldBe("Ada Lovelace");
    }

    // Precedence

    [Fact]
    public void Xmp_wins_over_iptc_which_wins_over_exif()
    {
        var read = Read(Jpeg(
            exif: new ExifFields("Exif Artist", "Exif Copyright", "Exif Description"),
            iptc: new IptcFields(["Iptc By-line"], "Iptc Copyright", "Iptc Title", "Iptc Caption"),
            xmp: new XmpFields("Xmp Title", ["Xmp Creator"], "Xmp Rights", "Xmp Description")));

        read.ShouldBe(new EmbeddedMetadata("Xmp Title", "Xmp Creator", "Xmp Rights", "Xmp Description", null));
    }

    [Fact]
    public void Iptc_wins_over_exif_when_there_is_no_xmp()
    {
        var read = Read(Jpeg(
            exif: new ExifFields("Exif Artist", "Exif Copyright", "Exif Description"),
            iptc: new IptcFields(["Iptc By-line"], "Iptc Copyright", "Iptc Title", "Iptc Caption")));

        read.ShouldBe(new EmbeddedMetadata("Iptc Title", "Iptc By-line", "Iptc Copyright", "Iptc Caption", null));
    }

    [Fact]
    public void Precedence_is_per_field_so_a_field_only_a_lower_source_has_still_comes_through()
    {
        var read = Read(Jpeg(
            exif: new ExifFields(Copyright: "Exif Copyright"),
            iptc: new IptcFields(Caption: "Iptc Caption"),
            xmp: new XmpFields(Title: "Xmp Title")));

        read.ShouldBe(new EmbeddedMetadata("Xmp Title", null, "Exif Copyright", "Iptc Caption", null));
    }

    [Fact]
    public void A_blank_xmp_value_does_not_hide_the_iptc_one()
    {
        var read = Read(Jpeg(iptc: new IptcFields(ObjectName: "Iptc Title"), xmp: new XmpFields(Title: "  \t ")));

        read.Title.ShouldBe("Iptc Title");
    }

    // Creators

    [Fact]
    public void Several_xmp_creators_are_joined_in_order()
    {
        var read = Read(Jpeg(xmp: new XmpFields(Creators: ["Ada Lovelace", "Charles Babbage", "ada lovelace"])));

        read.Creator.ShouldBe("Ada Lovelace; Charles Babbage");
    }

    [Fact]
    public void Several_iptc_by_lines_are_joined_in_order()
    {
        var read = Read(Jpeg(iptc: new IptcFields(ByLines: ["Ada Lovelace", "Charles Babbage"])));

        read.Creator.ShouldBe("Ada Lovelace; Charles Babbage");
    }

    // Language alternatives

    [Fact]
    public void The_x_default_title_is_taken_over_other_languages()
    {
        var read = Read(Jpeg(xmp: new XmpFields("Harbour") { TitleAlternatives = [("de", "Hafen"), ("sv", "Hamn")] }));

        read.Title.ShouldBe("Harbour");
    }

    [Fact]
    public void Without_x_default_the_first_language_is_taken()
    {
        var read = Read(Jpeg(xmp: new XmpFields { TitleAlternatives = [("de", "Hafen"), ("sv", "Hamn")] }));

        read.Title.ShouldBe("Hafen");
    }

    [Fact]
    public void A_title_written_as_a_plain_value_instead_of_a_language_alternative_is_still_read()
    {
        var packet = XmpPacket("<dc:title>Harbour</dc:title>\n");

        Read(WithSegments(PlainJpeg(), (App1, XmpSegment(packet)))).Title.ShouldBe("Harbour");
    }

    // Digital source type

    [Theory]
    [InlineData(AiUri)]
    [InlineData("https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia/")]
    [InlineData("trainedAlgorithmicMedia")]
    public void An_ai_source_type_is_read_as_the_iptc_term_whether_written_as_uri_or_term(string written)
    {
        var read = Read(Jpeg(xmp: new XmpFields(DigitalSourceType: written)));

        read.DigitalSourceType.ShouldBe("trainedAlgorithmicMedia");
        DigitalSourceTypes.IsAiGenerated(read.DigitalSourceType).ShouldBeTrue();
    }

    [Fact]
    public void An_unknown_source_type_is_kept_as_written()
    {
        Read(Jpeg(xmp: new XmpFields(DigitalSourceType: "http://example.com/made-by-hand"))).DigitalSourceType
            .ShouldBe("http://example.com/made-by-hand");
    }

    // Text hygiene

    [Fact]
    public void Unicode_survives_every_source()
    {
        const string name = "Zoë Åkesson 山田";

        Read(Jpeg(exif: new ExifFields(Artist: name))).Creator.ShouldBe(name);
        Read(Jpeg(iptc: new IptcFields(ByLines: [name]))).Creator.ShouldBe(name);
        Read(Jpeg(xmp: new XmpFields(Creators: [name]))).Creator.ShouldBe(name);
        Read(Png(internationalText: [("Author", name)]), ".png").Creator.ShouldBe(name);
    }

    [Fact]
    public void Latin_1_png_text_is_decoded_as_latin_1()
    {
        Read(Png(text: [("Author", "Zoë Åkesson")]), ".png").Creator.ShouldBe("Zoë Åkesson");
    }

    [Fact]
    public void Overlong_fields_are_capped_at_the_field_length()
    {
        var longText = string.Concat(Enumerable.Repeat("word ", 300));

        var read = Read(Jpeg(
            iptc: new IptcFields(Caption: longText),
            xmp: new XmpFields(Title: longText, Creators: Enumerable.Range(1, 100).Select(i => $"Creator number {i}").ToList())));

        read.Title!.Length.ShouldBeLessThanOrEqualTo(EmbeddedMetadata.MaxFieldLength);
        read.Title.ShouldStartWith("word word");
        read.Title.ShouldNotEndWith(" ");
        read.Creator!.Length.ShouldBeLessThanOrEqualTo(EmbeddedMetadata.MaxFieldLength);
        read.Creator.ShouldStartWith("Creator number 1; Creator number 2;");
        read.Description!.Length.ShouldBeLessThanOrEqualTo(EmbeddedMetadata.MaxFieldLength);
    }

    [Fact]
    public void Control_characters_are_removed_and_whitespace_collapsed()
    {
        var read = Read(Jpeg(
            exif: new ExifFields(Artist: "Ada\u0007 Love\u001Blace", Copyright: "\u0000\u0001"),
            iptc: new IptcFields(Caption: "Boats\r\n\tat\u007F  dusk\u0085"),
            xmp: new XmpFields(Title: "  Har\u202Ebour  ")));

        read.Creator.ShouldBe("Ada Lovelace");
        read.CopyrightNotice.ShouldBeNull();
        read.Description.ShouldBe("Boats at dusk");
        read.Title.ShouldBe("Harbour");
    }

    [Fact]
    public void Capping_never_splits_a_surrogate_pair()
    {
        var text = new string('a', EmbeddedMetadata.MaxFieldLength - 1) + "😀😀";

        var read = Read(Jpeg(xmp: new XmpFields(Title: text)));

        read.Title.ShouldBe(new string('a', EmbeddedMetadata.MaxFieldLength - 1));
    }

    // Nothing, or broken

    [Fact]
    public void A_file_without_metadata_reads_as_none()
    {
        Read(PlainJpeg()).IsEmpty.ShouldBeTrue();
        Read(PlainPng(), ".png").IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void A_file_that_is_no_image_reads_as_none()
    {
        Read(Garbage(4096, seed: 7), ".bin").IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Garbage_exif_and_iptc_segments_do_not_hide_valid_xmp()
    {
        var jpeg = WithSegments(PlainJpeg(),
            (App1, [.. "Exif\0\0"u8, .. Garbage(400, seed: 1)]),
            (App13, [.. "Photoshop 3.0\08BIM"u8, .. Garbage(400, seed: 2)]),
            (App1, XmpSegment(XmpPacket(new XmpFields("Harbour", ["Ada Lovelace"])))));

        var read = Read(jpeg);

        read.Title.ShouldBe("Harbour");
        read.Creator.ShouldBe("Ada Lovelace");
    }

    [Fact]
    public void Garbage_xmp_does_not_hide_valid_iptc_and_exif()
    {
        var jpeg = WithSegments(PlainJpeg(),
            (App1, [.. "http://ns.adobe.com/xap/1.0/\0"u8, .. Garbage(400, seed: 3)]),
            (App1, XmpSegment("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><unclosed>")),
            (App13, IptcSegment(new IptcFields(ObjectName: "Harbour"))),
            (App1, ExifSegment(new ExifFields(Artist: "Ada Lovelace"))));

        var read = Read(jpeg);

        read.Title.ShouldBe("Harbour");
        read.Creator.ShouldBe("Ada Lovelace");
    }

    [Fact]
    public void Exif_with_offsets_pointing_outside_the_segment_does_not_throw()
    {
        var exif = ExifSegment(new ExifFields(Artist: "Ada Lovelace, a long enough name to be stored out of line"));
        exif[6 + 8 + 2 + 8] = 0xFF; // the entry's value offset, now far past the end
        exif[6 + 8 + 2 + 9] = 0xFF;

        var read = Read(WithSegments(PlainJpeg(), (App1, exif), (App13, IptcSegment(new IptcFields(ObjectName: "Harbour")))));

        read.Title.ShouldBe("Harbour");
    }

    [Fact]
    public void A_png_chunk_that_claims_more_bytes_than_the_file_has_ends_the_walk_without_allocating_them()
    {
        // A tEXt chunk header claiming 1.5 GB, then the file ends. The library's own PNG reader allocates the 1.5 GB.
        var png = WithChunks(PlainPng(), ("tEXt", TExt("Title", "Harbour")));
        byte[] liar = [.. png.AsSpan(0, png.Length - 12), 0x59, 0x68, 0x2F, 0x00, .. "tEXt"u8, .. "Author\0x"u8];

        var path = ToTempFile(liar, ".png");
        files.Add(path);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = reader.Read(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        read.Title.ShouldBe("Harbour");
        allocated.ShouldBeLessThan(16L * 1024 * 1024);
    }

    [Fact]
    public void A_compressed_png_text_chunk_that_inflates_past_the_limit_is_skipped_without_inflating_it_all()
    {
        // 64 MB of zeros compress to about 64 KB: a small file, a large bomb.
        var bomb = new byte[64 * 1024 * 1024];
        var png = WithChunks(PlainPng(),
            ("zTXt", [.. "Description\0\0"u8, .. Zlib(bomb)]),
            ("tEXt", TExt("Title", "Harbour")));

        var path = ToTempFile(png, ".png");
        files.Add(path);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = reader.Read(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        read.Title.ShouldBe("Harbour");
        read.Description.ShouldBeNull();
        allocated.ShouldBeLessThan(16L * 1024 * 1024);
    }

    [Fact]
    public void Garbage_png_xmp_does_not_hide_png_text()
    {
        var png = WithChunks(PlainPng(),
            ("iTXt", [.. "XML:com.adobe.xmp\0\0\0\0\0"u8, .. Garbage(300, seed: 5)]),
            ("tEXt", TExt("Author", "Ada Lovelace")));

        Read(png, ".png").Creator.ShouldBe("Ada Lovelace");
    }

    [Fact]
    public void An_xmp_packet_with_an_entity_expansion_is_not_expanded()
    {
        // "Billion laughs": eight levels of ten references each would expand to about 2 GB of text.
        var entities = string.Concat(Enumerable.Range(1, 8).Select(i =>
            $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        var doctype = $"<!DOCTYPE x:xmpmeta [<!ENTITY lol0 \"lololololololololol\">{entities}]>";
        var packet = XmpPacket("<dc:title>&lol8;</dc:title>\n").Replace("<x:xmpmeta", doctype + "<x:xmpmeta");

        var read = Read(WithSegments(PlainJpeg(), (App1, XmpSegment(packet)), (App13, IptcSegment(new IptcFields(ObjectName: "Harbour")))));

        read.Title.ShouldBe("Harbour");
    }

    // The files stay acceptable uploads

    [Fact]
    public void Tagged_files_still_pass_the_upload_inspection()
    {
        var everything = Jpeg(
            exif: new ExifFields("Ada", "© Ada", "Harbour"),
            iptc: new IptcFields(["Ada"], "© Ada", "Harbour", "Boats"),
            xmp: new XmpFields("Harbour", ["Ada", "Zoë Åkesson"], "© Ada", "Boats", AiUri),
            width: 120, height: 80);
        var png = Png(xmp: new XmpFields("Harbour"), text: [("Author", "Ada")], width: 120, height: 80);
        var inspector = new ImageInspector();

        var jpegPath = ToTempFile(everything, ".jpg");
        var pngPath = ToTempFile(png, ".png");
        files.AddRange([jpegPath, pngPath]);

        inspector.Inspect(jpegPath).ShouldBe(new ImageFacts("JPEG", "image/jpeg", 120, 80));
        inspector.Inspect(pngPath).ShouldBe(new ImageFacts("PNG", "image/png", 120, 80));
        reader.Read(jpegPath).Creator.ShouldBe("Ada; Zoë Åkesson");
        reader.Read(pngPath).Title.ShouldBe("Harbour");
    }
}
