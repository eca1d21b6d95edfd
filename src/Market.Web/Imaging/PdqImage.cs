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
    /// The fast path's working size. The reference hashes a 512×512 nearest-neighbour copy, low-passes it with two
    /// 4-px box passes (about a 7-px triangle) and keeps every 8th pixel, so detail finer than about 1/64 of the
    /// picture never reaches the hash. A linear (triangle) reduction to 128×128 is nearly the same low-pass, so
    /// the Jarosz window there is 1 (no further filtering), and the JPEG decoder can skip most of the work by
    /// decoding at 1/4 or 1/8 scale. Measured against the reference's vectors (benchmark <c>pdq-hash --variants</c>):
    /// 128 px linear is at most 14 bits away (mean 3.6) and the fastest; 256 px is worse (22 bits, the 2-px box
    /// is off-centre by half a pixel per pass); 512 px is closest (8 bits) but cannot shrink while decoding.
    /// </summary>
    public const int FastSide = 128;

    private const int ReferenceSide = 512;

    /// <summary>
    /// How small the JPEG decoder may shrink the shorter side before the resize to the working size (scaled with
    /// it). Settable for the benchmark's experiments (<c>pdq-hash --min-decoded N</c>): a lower value lets a
    /// 1600×1004 photo decode at 1/8, unmeasured against the reference vectors so far.
    /// </summary>
    public static int MinimumDecodedSide { get; set; } = FastSide;

    static PdqImage()
    {
        // Each hash opens a different file, so the operation cache would only hold on to recent decodes.
        Cache.Max = 0;
    }

    /// <summary>
    /// The production hash: the file decoded small (JPEG shrinks while decoding, by 2, 4 or 8, never below
    /// the working size), luma resized to 128×128 (linear kernel) ignoring the aspect ratio as the reference's pre-resize does, and
    /// the reference's filter scaled to that size. EXIF orientation is ignored and CMYK converted as the reference
    /// does, so our hash of a file compares with the hash a rights holder computes with the reference tool. Images
    /// no larger than 512 on a side are hashed at full size, exactly like the reference.
    /// Throws <see cref="VipsException"/> for a file libvips cannot read.
    /// </summary>
    public static PdqResult Hash(string path) => Hash(path, FastSide);

    /// <summary>The fast path at another working size or kernel (for measurements; production uses the defaults).</summary>
    public static PdqResult Hash(string path, int workingSide, Enums.Kernel kernel = Enums.Kernel.Linear)
    {
        var fast = FastLuma(path, workingSide, kernel);
        return Pdq.Hash(fast.Luma, fast.Width, fast.Height, fast.WindowAlongRows, fast.WindowAlongCols);
    }

    /// <summary>What the fast path hands to <see cref="Pdq.Hash(ReadOnlySpan{float}, int, int, int, int)"/>.</summary>
    public readonly record struct FastInput(float[] Luma, int Width, int Height, int WindowAlongRows, int WindowAlongCols);

    /// <summary>The decode half of the fast path, apart so the benchmark can time it.</summary>
    public static FastInput FastLuma(string path, int workingSide = FastSide, Enums.Kernel kernel = Enums.Kernel.Linear)
    {
        using var header = Image.NewFromFile(path, access: Enums.Access.Sequential);
        int w, h;
        if (header.Width <= ReferenceSide && header.Height <= ReferenceSide)
        {
            var full = Luma(header, out w, out h);
            return new FastInput(full, w, h, Pdq.JaroszWindow(w), Pdq.JaroszWindow(h));
        }
        // libjpeg can decode at 1/2, 1/4 or 1/8 of the size for a fraction of the work (at 1/8 it skips the inverse
        // DCT entirely). Take the largest shrink that leaves both sides at least MinimumDecodedSide, so the resize
        // after it reduces (the measured 14-bit bound holds for that); a 1600×1004 photo decodes at 1/4.
        var shrink = 1;
        var loader = header.Contains("vips-loader") ? header.Get("vips-loader") as string : null;
        if (loader is not null && loader.StartsWith("jpeg", StringComparison.Ordinal))
            while (shrink < 8 && Math.Min(header.Width, header.Height) / (shrink * 2) >= MinimumDecodedSide * workingSide / FastSide) shrink *= 2;
        using var decoded = shrink == 1
            ? header.Copy()
            : Image.NewFromFile(path, access: Enums.Access.Sequential, kwargs: new VOption { { "shrink", shrink } });
        using var luma = LumaImage(decoded);
        using var small = luma.Resize((double)workingSide / luma.Width, kernel: kernel, vscale: (double)workingSide / luma.Height);
        var window = Math.Max(1, Pdq.JaroszWindow(ReferenceSide) * workingSide / ReferenceSide);
        return new FastInput(small.WriteToMemory<float>(), small.Width, small.Height, window, window);
    }

    /// <summary>
    /// The site executable's <c>hash FILE...</c> verb: one <c>hash_hex,quality,file</c> line per file, as the reference's
    /// CLI prints (hash first), through <see cref="Hash(string)"/>, the code path the server uses, so a rights holder
    /// can check what the marketplace will compute. A file that cannot be read is named on <paramref name="error"/> and
    /// the rest are still hashed (unlike the reference, which prints a zero hash for it). Returns the exit code:
    /// 0 when every file was hashed, 1 when one was not, 2 for no files.
    /// </summary>
    public static int HashCommand(IReadOnlyList<string> files, TextWriter output, TextWriter error)
    {
        if (files.Count == 0)
        {
            error.WriteLine("usage: Market.Web hash FILE...   prints hash_hex,quality,file per image (PDQ, 256 bits as 64 hex digits)");
            return 2;
        }
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                if (!File.Exists(file)) throw new FileNotFoundException("no such file");
                var result = Hash(file);
                output.WriteLine($"{result.Hash.ToHex()},{result.Quality},{file}");
            }
            catch (Exception e) when (e is VipsException or IOException or UnauthorizedAccessException)
            {
                failed++;
                var reason = e is VipsException ? "not an image libvips can read" : e.Message;
                error.WriteLine($"cannot hash {file}: {reason}");
            }
        }
        return failed == 0 ? 0 : 1;
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
        using var luma = LumaImage(image);
        return luma.WriteToMemory<float>();
    }

    /// <summary>The same as a one-band float libvips image, so a resize can follow without a copy through managed memory.</summary>
    private static Image LumaImage(Image image)
    {
        var grey = image.Interpretation is Enums.Interpretation.Bw or Enums.Interpretation.Grey16 || image.Bands < 3;
        var wide = image.Format == Enums.BandFormat.Ushort || image.Interpretation is Enums.Interpretation.Rgb16 or Enums.Interpretation.Grey16;
        Image? converted = null;
        if (image.Interpretation == Enums.Interpretation.Cmyk && image.Bands >= 4)
        {
            // ImageMagick, which decodes for the reference, turns CMYK into RGB with the naive formula
            // R = (1 − C)(1 − K), ignoring any ICC profile; libvips would use the profile and land about 12 bits
            // away on the reference's own CMYK test image. Matching the reference's hash matters more here.
            var max = image.Format == Enums.BandFormat.Ushort ? 65535.0 : 255.0;
            using var cmy = image.ExtractBand(0, n: 3).Cast(Enums.BandFormat.Float);
            using var k = image.ExtractBand(3).Cast(Enums.BandFormat.Float);
            using var inkFree = max - cmy;
            using var light = max - k;
            using var product = inkFree * light;
            converted = product / max;
            grey = false;
        }
        else if (!grey && image.Interpretation is not (Enums.Interpretation.Srgb or Enums.Interpretation.Rgb or Enums.Interpretation.Rgb16))
        {
            // Lab, XYZ, scRGB and the like come out as sRGB (8-bit, or 16-bit from a 16-bit space).
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
            return y.Format == Enums.BandFormat.Float ? y.Copy() : y.Cast(Enums.BandFormat.Float);
        }
        finally
        {
            converted?.Dispose();
        }
    }
}
