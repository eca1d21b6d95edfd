using NetVips;

namespace Market.Web.Imaging;

/// <summary>
/// The visible mark on catalog previews, so a screenshot of a preview is plainly not the licensed original:
/// "MARKETPLACE PREVIEW" repeated in rows across the whole image on a diagonal, half-transparent white with a
/// faint dark halo (so it shows on dark and light pictures alike), and the same words on a small solid label in
/// the bottom-right corner.
/// <para>
/// The letters come from a bitmap font defined here rather than from libvips' text renderer: <c>Image.Text</c>
/// finds its font through fontconfig, and on a machine with no fonts installed (a slim container) it draws a
/// row of empty boxes instead of letters, with no error to notice.
/// </para>
/// </summary>
public static class PreviewMark
{
    public const string Words = "MARKETPLACE PREVIEW";
    private const string ShortWords = "PREVIEW";

    // Opacity of the diagonal text (white) and of its halo (black). Enough to read on any picture and to spoil
    // it as a copy, little enough to judge the picture through.
    private const double TextOpacity = 0.40;
    private const double HaloOpacity = 0.25;
    private const double Angle = 30;

    private const byte LabelBackground = 24;
    private const byte LabelInk = 255;

    /// <summary>
    /// The marked image: same size and bands as <paramref name="preview"/>, which must be 8-bit grey or sRGB
    /// without alpha (the preview after flattening).
    /// </summary>
    public static Image Apply(Image preview)
    {
        if (preview.Format != Enums.BandFormat.Uchar || preview.Bands is not (1 or 3))
            throw new ArgumentException("The preview must be 8-bit grey or RGB without alpha.", nameof(preview));

        // Font pixels grow with the image: 3× on a 640-pixel preview, never below 1×.
        var scale = Math.Max(1, (int)Math.Round(Math.Max(preview.Width, preview.Height) / 213.0));
        using var masks = DiagonalText(preview.Width, preview.Height, scale);
        using var text = masks[0];
        using var halo = masks[1];
        using var textAlpha = text * (TextOpacity / 255);
        using var haloAlpha = halo * (HaloOpacity / 255);
        using var haloKeep = 1 - haloAlpha;
        using var textKeep = 1 - textAlpha;
        using var whiteInk = textAlpha * 255;
        // Darken under the halo, then lighten towards white under the letters.
        using var darkened = preview * haloKeep;
        using var kept = darkened * textKeep;
        using var lit = kept + whiteInk;
        using var marked = lit.Cast(Enums.BandFormat.Uchar);
        using var tagged = marked.Copy(interpretation: preview.Interpretation);
        return WithLabel(tagged, scale);
    }

    /// <summary>
    /// Two masks the size of the image, as bands: 0, the words (255 = letter) tiled in offset rows and turned by
    /// <see cref="Angle"/>; 1, their halo, the letters grown by a pixel all round.
    /// </summary>
    private static Image DiagonalText(int width, int height, int scale)
    {
        var (letters, textWidth, textHeight) = BitmapFont.Render(Words, scale);
        var tileWidth = textWidth + 24 * scale;
        var rowHeight = textHeight + 24 * scale;
        var tileHeight = 2 * rowHeight;
        // Two rows per tile, the second shifted by half a tile (wrapping), so repeated rows do not line up
        // into columns.
        var tile = new byte[tileWidth * tileHeight];
        for (var y = 0; y < textHeight; y++)
            for (var x = 0; x < textWidth; x++)
            {
                var ink = letters[y * textWidth + x];
                tile[y * tileWidth + x] = ink;
                tile[(rowHeight + y) * tileWidth + (x + tileWidth / 2) % tileWidth] = ink;
            }

        // Cover the image's diagonal, so once turned the field still covers every corner, then cut out the
        // middle with a margin, so the blur and the 3×3 window below have pixels to work with even on a
        // preview only a pixel or two across. libvips computes only the pixels the cut asks for.
        var sigma = 0.4 * scale;
        var margin = 2 + (int)Math.Ceiling(3 * sigma);
        var diagonal = (int)Math.Ceiling(Math.Sqrt((double)width * width + (double)height * height)) + 2 * margin;
        using var tileImage = Image.NewFromMemory(tile, tileWidth, tileHeight, 1, Enums.BandFormat.Uchar);
        using var field = tileImage.Replicate(diagonal / tileWidth + 2, diagonal / tileHeight + 2);
        using var bilinear = Interpolate.NewFromName("bilinear");
        using var turned = field.Rotate(-Angle, interpolate: bilinear);
        using var middle = turned.Crop((turned.Width - width) / 2 - margin, (turned.Height - height) / 2 - margin, width + 2 * margin, height + 2 * margin);
        // A slight blur rounds off the stair steps that turning a pixel font leaves on its strokes.
        using var soft = middle.Gaussblur(sigma, precision: Enums.Precision.Integer);
        using var grown = soft.Rank(3, 3, 8); // the maximum of each 3×3 neighbourhood
        using var text = soft.Crop(margin, margin, width, height);
        using var halo = grown.Crop(margin, margin, width, height);
        using var both = text.Bandjoin(halo);
        return both.CopyMemory();
    }

    /// <summary>
    /// The solid label in the bottom-right corner: the full words when they fit in half the width, else
    /// "PREVIEW", else (a tiny image) none, the diagonal text being mark enough.
    /// </summary>
    private static Image WithLabel(Image image, int scale)
    {
        foreach (var words in new[] { Words, ShortWords })
            for (var labelScale = Math.Max(1, scale - 1); labelScale >= 1; labelScale--)
            {
                var (letters, textWidth, textHeight) = BitmapFont.Render(words, labelScale);
                var padding = 3 * labelScale;
                var labelWidth = textWidth + 2 * padding;
                var labelHeight = textHeight + 2 * padding;
                if (labelWidth > image.Width / 2 && words != ShortWords) continue;
                if (labelWidth + padding > image.Width || labelHeight + padding > image.Height / 3) continue;

                var pixels = new byte[labelWidth * labelHeight];
                Array.Fill(pixels, LabelBackground);
                for (var y = 0; y < textHeight; y++)
                    for (var x = 0; x < textWidth; x++)
                        if (letters[y * textWidth + x] != 0) pixels[(padding + y) * labelWidth + padding + x] = LabelInk;

                using var grey = Image.NewFromMemory(pixels, labelWidth, labelHeight, 1, Enums.BandFormat.Uchar);
                using var label = image.Bands == 1 ? grey.Copy() : grey.Bandjoin(grey, grey);
                return image.Insert(label, image.Width - labelWidth - padding, image.Height - labelHeight - padding);
            }
        return image.Copy();
    }
}
