using System.Diagnostics;
using Market.Web.Imaging;
using NetVips;

/// <summary>
/// <c>make-large-image PATH MEGAPIXELS [tiff|png|jpeg|webp] [--bits 8|16]</c>: writes a valid 3:2 RGB image of about that
/// many megapixels. The pixels come from libvips generators (<see cref="Image.Xyz"/> arithmetic and Gaussian noise)
/// and stream to the file strip by strip, so memory stays small whatever the size. TIFF is uncompressed: 3 bytes a
/// pixel at 8 bits, 6 at 16, so 80 MP at 16 bits is about 480 MB. Refuses sizes the upload check would refuse.
/// </summary>
internal static class LargeImage
{
    public static int Run(string[] args)
    {
        var bits = 8;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--bits" && i + 1 < args.Length && int.TryParse(args[i + 1], out bits)) i++;
            else positional.Add(args[i]);
        }
        if (positional.Count is < 2 or > 3 || !double.TryParse(positional[1], System.Globalization.CultureInfo.InvariantCulture, out var megapixels)
            || megapixels <= 0 || bits is not (8 or 16))
        {
            Console.Error.WriteLine("usage: make-large-image PATH MEGAPIXELS [tiff|png|jpeg|webp] [--bits 8|16]");
            return 2;
        }
        var (path, format) = (positional[0], positional.Count == 3 ? positional[2].ToLowerInvariant() : "tiff");
        if (format is not ("tiff" or "png" or "jpeg" or "webp") || (format is "jpeg" or "webp" && bits == 16))
        {
            Console.Error.WriteLine("make-large-image: format is tiff, png, jpeg or webp (jpeg and webp are 8-bit only).");
            return 2;
        }

        var width = (int)Math.Round(Math.Sqrt(megapixels * 1e6 * 3 / 2));
        var height = (int)Math.Round(megapixels * 1e6 / width);
        if ((long)width * height > ImageInspector.MaxPixels || width > ImageInspector.MaxSide || height > ImageInspector.MaxSide)
        {
            Console.Error.WriteLine($"make-large-image: {width}×{height} is over the upload limit ({ImageInspector.MaxPixels / 1_000_000} MP, {ImageInspector.MaxSide} px a side).");
            return 2;
        }

        var watch = Stopwatch.StartNew();
        var max = bits == 16 ? 65535.0 : 255.0;
        using var xy = Image.Xyz(width, height);
        using var x = xy.ExtractBand(0);
        using var y = xy.ExtractBand(1);
        // Smooth gradients in red and green, a fine pattern plus noise in blue: not a flat image, so PNG and JPEG
        // have real work to do, and every pixel is computed, never cached whole.
        using var red = x * (max / width);
        using var green = y * (max / height);
        using var pattern = (x ^ y) & 255;
        using var noise = Image.Gaussnoise(width, height, sigma: 12, mean: 0);
        using var blue = (pattern + noise) * (max / 255.0);
        using var rgb = red.Bandjoin(green, blue);
        // Clamped here: casting float to an integer format would otherwise wrap or clip by version.
        using var clamped = Clamp(rgb, max);
        using var cast = clamped.Cast(bits == 16 ? Enums.BandFormat.Ushort : Enums.BandFormat.Uchar);
        using var typed = cast.Copy(interpretation: bits == 16 ? Enums.Interpretation.Rgb16 : Enums.Interpretation.Srgb);
        // An XMP title, as photo software writes one: the upload reads it (MetadataReader), so that path is measured too.
        // libtiff writes it in the directory, which follows the pixels.
        var title = Path.GetFileNameWithoutExtension(path);
        using var image = typed.Mutate(m => m.Set(GValue.BlobType, "xmp-data", System.Text.Encoding.UTF8.GetBytes(Xmp(title))));
        switch (format)
        {
            case "tiff":
                image.Tiffsave(path, compression: Enums.ForeignTiffCompression.None);
                break;
            case "png":
                image.Pngsave(path, compression: 1, bitdepth: bits);
                break;
            case "webp":
                // Lossless, so the file is big; WebP allows 16383 px a side.
                image.Webpsave(path, lossless: true, effort: 0);
                break;
            default:
                image.Jpegsave(path, q: 90);
                break;
        }
        watch.Stop();
        var size = new FileInfo(path).Length;
        Console.WriteLine($"{path}: {width}×{height} ({(long)width * height / 1e6:N1} MP) {bits}-bit {format}, {size:N0} bytes ({size / 1048576.0:N1} MiB), written in {watch.Elapsed.TotalSeconds:N1} s");
        return 0;
    }

    private static string Xmp(string title) =>
        $"""
        <?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{System.Security.SecurityElement.Escape(title)}</rdf:li></rdf:Alt></dc:title>
        </rdf:Description></rdf:RDF></x:xmpmeta>
        <?xpacket end="w"?>
        """;

    private static Image Clamp(Image image, double max)
    {
        using var low = image < 0.0;
        using var high = image > max;
        using var notLow = low.Ifthenelse(0.0, image);
        return high.Ifthenelse(max, notLow);
    }
}
