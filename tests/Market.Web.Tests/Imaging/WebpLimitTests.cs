using Market.Web.Imaging;
using NetVips;

namespace Market.Web.Tests.Imaging;

/// <summary>WebP is decoded whole rather than streamed, so it has its own, lower pixel ceiling.</summary>
public sealed class WebpLimitTests
{
    [Fact]
    public void A_webp_over_its_own_pixel_limit_is_refused_from_the_header_while_a_smaller_one_passes()
    {
        var big = Path.Combine(Path.GetTempPath(), $"big-{Guid.NewGuid():N}.webp");
        var small = Path.Combine(Path.GetTempPath(), $"small-{Guid.NewGuid():N}.webp");
        try
        {
            using (var black = Image.Black(7000, 6000).Cast(Enums.BandFormat.Uchar))
                black.Webpsave(big, lossless: true, effort: 0);
            using (var black = Image.Black(640, 480).Cast(Enums.BandFormat.Uchar))
                black.Webpsave(small, lossless: true, effort: 0);
            var inspector = new ImageInspector();

            Should.Throw<BadImageException>(() => inspector.Inspect(big))
                .Message.ShouldBe("The WebP image is 7000×6000 pixels; WebP files are limited to 40 megapixels. Upload it as PNG, TIFF or JPEG instead.");
            inspector.Inspect(small).Format.ShouldBe("WebP");
        }
        finally
        {
            File.Delete(big);
            File.Delete(small);
        }
    }
}
