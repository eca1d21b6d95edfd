using Market.Domain.Detection;
using Market.Web.Imaging;
using NetVips;
using static Market.Tests.Shared.TaggedImages;

namespace Market.Web.Tests.Imaging;

public sealed class PreviewTests : IDisposable
{
    // The diagonal text covers roughly a sixth of the image at 40% opacity, which moves a black or white image
    // by about 7 levels (of 255) on average; re-encoding an unmarked image as JPEG at the preview's quality
    // moves it by less than 1. A mean difference of 4 sits between the two with room on both sides.
    private const double VisibleMeanDifference = 4;

    private readonly ImageInspector inspector = new();
    private readonly List<string> files = [];

    public void Dispose()
    {
        foreach (var file in files) File.Delete(file);
    }

    private string Save(byte[] bytes, string extension)
    {
        var path = ToTempFile(bytes, extension);
        files.Add(path);
        return path;
    }

    private string FlatPng(double level, int width = 400, int height = 300)
    {
        using var flat = Flat(width, height, level);
        return Save(flat.PngsaveBuffer(), ".png");
    }

    [Theory]
    [InlineData(1200, 800, 640, 640, 427)]
    [InlineData(800, 1200, 200, 133, 200)]
    [InlineData(64, 48, 640, 64, 48)]
    public void The_preview_is_a_jpeg_within_the_max_side_and_never_enlarged(int width, int height, int maxSide, int expectedWidth, int expectedHeight)
    {
        var path = Save(PlainJpeg(width, height), ".jpg");

        var preview = inspector.Preview(path, maxSide);

        preview.AsSpan(0, 3).ToArray().ShouldBe(new byte[] { 0xFF, 0xD8, 0xFF });
        using var image = Image.NewFromBuffer(preview);
        image.Get("vips-loader").ShouldBe("jpegload_buffer");
        (image.Width, image.Height).ShouldBe((expectedWidth, expectedHeight));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(1, 500)]
    public void A_preview_only_a_pixel_or_two_across_is_still_made(int width, int height)
    {
        var preview = inspector.Preview(FlatPng(100, width, height));

        using var image = Image.NewFromBuffer(preview);
        (image.Width, image.Height).ShouldBe((width, height));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    public void The_diagonal_mark_is_visible_on_black_and_on_white(double level)
    {
        var preview = inspector.Preview(FlatPng(level));

        using var marked = Image.NewFromBuffer(preview);
        using var original = Flat(marked.Width, marked.Height, level);
        MeanDifference(marked, original).ShouldBeGreaterThan(VisibleMeanDifference);
        // The top two thirds hold no label, so this is the diagonal text alone.
        using var markedTop = marked.Crop(0, 0, marked.Width, marked.Height * 2 / 3);
        using var originalTop = original.Crop(0, 0, marked.Width, marked.Height * 2 / 3);
        MeanDifference(markedTop, originalTop).ShouldBeGreaterThan(VisibleMeanDifference);
    }

    [Fact]
    public void The_mark_stands_out_from_a_picture_far_more_than_jpeg_noise_does()
    {
        var path = Save(PlainJpeg(1200, 800), ".jpg");
        using var thumbnail = Image.Thumbnail(path, 640, height: 640, size: Enums.Size.Down);
        using var unmarked = thumbnail.CopyMemory(); // read twice below, and the file is read sequentially
        using var reencoded = Image.NewFromBuffer(unmarked.JpegsaveBuffer(q: 82));

        var preview = inspector.Preview(path);

        using var marked = Image.NewFromBuffer(preview);
        var noise = MeanDifference(reencoded, unmarked);
        MeanDifference(marked, unmarked).ShouldBeGreaterThan(Math.Max(VisibleMeanDifference, 5 * noise));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    public void A_solid_label_with_light_letters_on_dark_sits_in_the_bottom_right_corner(double level)
    {
        var preview = inspector.Preview(FlatPng(level));

        using var marked = Image.NewFromBuffer(preview);
        using var corner = marked.Crop(marked.Width * 65 / 100, marked.Height * 92 / 100, marked.Width * 35 / 100, marked.Height * 8 / 100);
        // The diagonal text alone never gets this dark on white (its halo is 25%) nor this light on black (40%).
        corner.Min().ShouldBeLessThan(40);
        corner.Max().ShouldBeGreaterThan(215);
    }

    [Fact]
    public void The_preview_carries_none_of_the_original_metadata()
    {
        var path = Save(Jpeg(
            exif: new ExifFields("Ada Lovelace", "© Ada Lovelace", "Harbour"),
            iptc: new IptcFields(["Ada Lovelace"], "© Ada Lovelace", "Harbour", "Boats"),
            xmp: new XmpFields("Harbour", ["Ada Lovelace"], "© Ada Lovelace", "Boats", "digitalCapture"),
            width: 300, height: 200), ".jpg");
        new MetadataReader().Read(path).IsEmpty.ShouldBeFalse();

        var preview = inspector.Preview(path);

        new MetadataReader().Read(Save(preview, ".jpg")).IsEmpty.ShouldBeTrue();
        using var image = Image.NewFromBuffer(preview);
        image.GetFields().ShouldNotContain(f => f == "exif-data" || f == "xmp-data" || f == "iptc-data" || f == "icc-profile-data");
    }

    [Fact]
    public void Transparency_is_flattened_on_white()
    {
        using var clear = Image.Black(300, 200, bands: 4).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        var path = Save(clear.PngsaveBuffer(), ".png");

        var preview = inspector.Preview(path);

        using var image = Image.NewFromBuffer(preview);
        image.Bands.ShouldBe(3);
        using var top = image.Crop(0, 0, image.Width, image.Height * 2 / 3);
        // White with the mark's grey letters; flattened on black it would be near 0.
        top.Avg().ShouldBeGreaterThan(200);
    }

    private static double MeanDifference(Image a, Image b)
    {
        using var difference = a - b;
        using var absolute = difference.Abs();
        return absolute.Avg();
    }
}
