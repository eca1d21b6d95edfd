using NetVips;

namespace Market.Web.Imaging;

public sealed record ImageFacts(string Format, string ContentType, int Width, int Height);

/// <summary>
/// Looks at image files with libvips. The format comes from the bytes (libvips sniffs the content), never
/// from the file name, and limits are checked on the header before any pixel is decoded, so a
/// decompression bomb is refused for the price of reading a few hundred bytes.
/// </summary>
public sealed class ImageInspector
{
    public const long MaxPixels = 100_000_000;
    public const int MaxSide = 30_000;

    /// <summary>
    /// WebP is decoded whole, not in strips (about 10 bytes a pixel while it is checked, measured: a 60 MP WebP
    /// took 530 MB), so it gets a lower ceiling than formats libvips streams.
    /// </summary>
    public const long MaxWebpPixels = 40_000_000;

    static ImageInspector()
    {
        // Every upload and scan opens a different file, so libvips' operation cache never hits; it only keeps the
        // memory of recent large decodes alive (measured: +36 MB after three 500 MB TIFFs).
        Cache.Max = 0;
    }

    // libvips names the loader it picked from the content, e.g. VipsForeignLoadJpegFile or VipsForeignLoadNsgifFile.
    private static readonly (string Marker, string Format, string ContentType)[] Loaders =
    [
        ("jpeg", "JPEG", "image/jpeg"),
        ("png", "PNG", "image/png"),
        ("webp", "WebP", "image/webp"),
        ("tiff", "TIFF", "image/tiff"),
        ("gif", "GIF", "image/gif"),
    ];

    /// <summary>Returns the facts, or throws <see cref="BadImageException"/> with a message for the uploader.</summary>
    public ImageFacts Inspect(string path)
    {
        if (new FileInfo(path).Length == 0) throw new BadImageException("The file is empty.");
        var loader = Image.FindLoad(path)?.ToLowerInvariant();
        var kind = Loaders.FirstOrDefault(l => loader is not null && loader.Contains(l.Marker, StringComparison.Ordinal));
        if (kind.Marker is null)
            throw new BadImageException("This is not an image we accept. Upload a JPEG, PNG, WebP, TIFF or GIF file.");
        try
        {
            using var header = Image.NewFromFile(path, access: Enums.Access.Sequential);
            if (header.Width > MaxSide || header.Height > MaxSide || (long)header.Width * header.Height > MaxPixels)
                throw new BadImageException($"The image is {header.Width}×{header.Height} pixels; the limit is {MaxPixels / 1_000_000} megapixels and {MaxSide:N0} pixels a side.");
            if (kind.Format == "WebP" && (long)header.Width * header.Height > MaxWebpPixels)
                throw new BadImageException($"The WebP image is {header.Width}×{header.Height} pixels; WebP files are limited to {MaxWebpPixels / 1_000_000} megapixels. Upload it as PNG, TIFF or JPEG instead.");
            // Decode every pixel once, streaming, to prove the file is whole: a truncated file fails here, at
            // upload, instead of surprising the scan job. The header check above has bounded the cost.
            using var probe = Image.NewFromFile(path, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated);
            _ = probe.Avg();
            return new ImageFacts(kind.Format, kind.ContentType, header.Width, header.Height);
        }
        catch (VipsException)
        {
            throw new BadImageException($"The file looks like a {kind.Format} but is damaged or incomplete.");
        }
    }

    /// <summary>
    /// The catalog preview that buyers see: bounded by <paramref name="previewMaxSide"/>, alpha flattened on white,
    /// visibly marked, metadata stripped; originals are never served. Detection fingerprints the original itself
    /// (see Detection/DetectionPipeline), so nothing here depends on the mark.
    /// </summary>
    public byte[] Preview(string path, int previewMaxSide = 640)
    {
        using var preview = UnmarkedPreview(path, previewMaxSide);
        using var marked = PreviewMark.Apply(preview);
        return marked.JpegsaveBuffer(q: 82, keep: Enums.ForeignKeep.None);
    }

    /// <summary>
    /// The decoded preview before the mark: at most <paramref name="maxSide"/> a side (never enlarged), 8-bit grey
    /// or sRGB, alpha flattened on white, held in memory.
    /// </summary>
    private static Image UnmarkedPreview(string path, int maxSide)
    {
        using var thumb = Image.Thumbnail(path, maxSide, height: maxSide, size: Enums.Size.Down);
        using var flat = thumb.HasAlpha() ? thumb.Flatten(background: Enumerable.Repeat(255.0, thumb.Bands - 1).ToArray()) : thumb.Copy();
        // Thumbnail hands back 8-bit sRGB or grey for every format we accept (16-bit, CMYK and float TIFF
        // included); the mark relies on that, so anything else is made so rather than failing the scan.
        using var eightBit = flat.Format == Enums.BandFormat.Uchar && flat.Bands is 1 or 3
            ? flat.Copy()
            : flat.Colourspace(Enums.Interpretation.Srgb).Cast(Enums.BandFormat.Uchar);
        return eightBit.CopyMemory();
    }
}

public sealed class BadImageException(string message) : Exception(message);
