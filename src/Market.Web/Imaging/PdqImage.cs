using Market.Domain.Detection;
using NetVips;

namespace Market.Web.Imaging;

/// <summary>
/// Decodes image files for <see cref="Pdq"/>. Two paths: <see cref="Hash"/>, the production one, which lets libvips
/// shrink while decoding; and <see cref="HashLikeReference"/>, which mirrors the C++ reference's decode and
/// pre-resize so the conformance test can compare our hashing with its published vectors.
/// </summary>
public static class PdqImage
{
    /// <summary>
    /// The fast path's working size. The reference hashes a 512×512 nearest-neighbour copy and low-passes it with
    /// two 4-px box passes before taking every 8th pixel, so detail finer than about 1/64 of the picture never
    /// reaches the hash. A 256×256 thumbnail with 2-px boxes keeps the same filter relative to the picture, and
    /// lets the JPEG decoder skip most of the work by decoding at 1/2, 1/4 or 1/8 scale.
    /// </summary>
    public const int FastSide = 256;

    private const int ReferenceSide = 512;

    static PdqImage()
    {
        // Each hash opens a different file, so the operation cache would only hold on to recent decodes.
        Cache.Max = 0;
    }

    /// <summary>
    /// The production hash: a shrink-on-load thumbnail forced to 256×256 (aspect ratio ignored, as the reference's
    /// pre-resize ignores it) and the reference's filter scaled to that size. EXIF orientation is ignored, as the
    /// reference ignores it, so our hash of a file compares with the hash a rights holder computes with the
    /// reference tool. Images no larger than 512 on a side are hashed at full size, exactly like the reference.
    /// Throws <see cref="VipsException"/> for a file libvips cannot read.
    /// </summary>
    public static PdqResult Hash(string path)
    {
        using var header = Image.NewFromFile(path, access: Enums.Access.Sequential);
        if (header.Width <= ReferenceSide && header.Height <= ReferenceSide)
        {
            var full = Luma(header, out var w, out var h);
            return Pdq.Hash(full, w, h);
        }
        using var thumb = Image.Thumbnail(path, FastSide, height: FastSide, size: Enums.Size.Force, noRotate: true);
        var luma = Luma(thumb, out var width, out var height);
        var window = Pdq.JaroszWindow(ReferenceSide) * FastSide / ReferenceSide;
        return Pdq.Hash(luma, width, height, window, window);
    }

    /// <summary>
    /// Mirrors the reference: the whole file decoded, EXIF orientation ignored, and when a side is over 512 a
    /// nearest-neighbour resize to exactly 512×512 (pixel (x, y) from (⌊x·W/512⌋, ⌊y·H/512⌋)). Slow on big files.
    /// </summary>
    public static PdqResult HashLikeReference(string path)
    {
        var (luma, width, height) = ReferenceLuma(path);
        return Pdq.Hash(luma, width, height);
    }

    /// <summary>The reference's eight dihedral hashes of the file, decoded as <see cref="HashLikeReference"/> does.</summary>
    public static (PdqDihedral Hashes, int Quality) HashDihedralLikeReference(string path)
    {
        var (luma, width, height) = ReferenceLuma(path);
        return Pdq.HashDihedral(luma, width, height);
    }

    private static (float[] Luma, int Width, int Height) ReferenceLuma(string path)
    {
        using var image = Image.NewFromFile(path, access: Enums.Access.Sequential);
        var full = Luma(image, out var w, out var h);
        if (w <= ReferenceSide && h <= ReferenceSide) return (full, w, h);
        var resized = new float[ReferenceSide * ReferenceSide];
        for (var y = 0; y < ReferenceSide; y++)
        {
            var sourceRow = (int)((long)y * h / ReferenceSide) * w;
            for (var x = 0; x < ReferenceSide; x++)
                resized[y * ReferenceSide + x] = full[sourceRow + (int)((long)x * w / ReferenceSide)];
        }
        return (resized, ReferenceSide, ReferenceSide);
    }

    /// <summary>
    /// Luma 0..255 as floats, Y = 0.299 R + 0.587 G + 0.114 B, row-major. Grey images give their grey value; alpha is
    /// dropped without compositing (the reference hashes the stored colour of transparent pixels); CMYK, Lab and
    /// other spaces are converted to sRGB first; 16-bit samples are scaled to 0..255 rather than truncated (the
    /// reference mishandles those, and we do not copy that).
    /// </summary>
    public static float[] Luma(Image image, out int width, out int height)
    {
        width = image.Width;
        height = image.Height;
        var grey = image.Interpretation is Enums.Interpretation.Bw or Enums.Interpretation.Grey16 || image.Bands < 3;
        var wide = image.Format == Enums.BandFormat.Ushort || image.Interpretation is Enums.Interpretation.Rgb16 or Enums.Interpretation.Grey16;
        Image? converted = null;
        if (!grey && image.Interpretation is not (Enums.Interpretation.Srgb or Enums.Interpretation.Rgb or Enums.Interpretation.Rgb16))
        {
            // CMYK (with its profile when the file has one), Lab, XYZ... all come out as 8-bit sRGB.
            converted = image.Colourspace(Enums.Interpretation.Srgb);
            wide = converted.Format == Enums.BandFormat.Ushort;
        }
        var source = converted ?? image;
        var scale = wide ? 255.0 / 65535.0 : 1.0;
        try
        {
            using var y = grey
                ? source.ExtractBand(0).Cast(Enums.BandFormat.Float).Linear(new[] { scale }, new[] { 0.0 })
                : source.ExtractBand(0, n: 3).Recomb(Image.NewFromArray(new[] { new[] { 0.299 * scale, 0.587 * scale, 0.114 * scale } }));
            using var flat = y.Format == Enums.BandFormat.Float ? y.Copy() : y.Cast(Enums.BandFormat.Float);
            return flat.WriteToMemory<float>();
        }
        finally
        {
            converted?.Dispose();
        }
    }
}
