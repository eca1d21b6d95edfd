using NetVips;

namespace Market.Tests.Shared.Detection;

/// <summary>The edits a thief makes to a copy, as the recall measurement applies them (issue 6).</summary>
public enum CopyEdit
{
    Jpeg30, Scale50, Scale25, Crop80, MirrorHorizontal, Rotate90, Rotate5, Brightness, Contrast, Grayscale, Noise,
    FormatWebP, Border10, Watermark,
}

/// <summary>
/// A deterministic test set for detection: procedurally generated, photo-like-ish images (fixed seeds, so every
/// machine builds the same pixels with nothing but libvips) and the copy edits applied to them. Nothing here reads
/// the network or installed fonts: the watermark's letters are drawn from a built-in bitmap.
/// </summary>
public static class DetectionTestSet
{
    /// <summary>An original as the catalog receives it: a JPEG at quality 90.</summary>
    public static byte[] Original(int seed)
    {
        using var image = Generate(seed);
        return image.JpegsaveBuffer(q: 90);
    }

    /// <summary>
    /// One image: a few octaves of Perlin noise, sometimes Worley cells and a directional gradient, mapped through a
    /// random colour ramp; then random shapes (discs, rectangles, bars) in random colours, a soft blur and sensor-like
    /// grain. One seed in twelve makes a low-texture image (a gradient with a couple of soft blobs), the hard case
    /// for PDQ's quality and for keypoints.
    /// </summary>
    public static Image Generate(int seed)
    {
        var rng = new Random(seed * 7919 + 17);
        var (w, h) = rng.Next(6) switch
        {
            0 => (800, 600), 1 => (600, 800), 2 => (720, 720), 3 => (960, 540), 4 => (768, 512), _ => (640, 480),
        };
        var lowTexture = IsLowTexture(seed);

        // The scalar field: octaves of Perlin noise with falling weights, like terrain, cloud or foliage.
        var field = Image.Black(w, h).Cast(Enums.BandFormat.Float);
        var octaves = lowTexture ? 2 : rng.Next(3, 7);
        var cell = lowTexture ? 256 : new[] { 48, 64, 96, 128, 192 }[rng.Next(5)];
        var weight = 1.0;
        for (var o = 0; o < octaves; o++)
        {
            field += Image.Perlin(w, h, cellSize: Math.Max(4, cell), seed: rng.Next()) * weight;
            cell /= 2;
            weight *= 0.45 + rng.NextDouble() * 0.3;
        }
        // Fine texture in most images: grass, gravel, fabric.
        if (!lowTexture && rng.Next(4) != 0)
            field += Image.Perlin(w, h, cellSize: rng.Next(4, 12), seed: rng.Next()) * (0.1 + rng.NextDouble() * 0.3);
        if (!lowTexture && rng.Next(3) == 0)
            field += Image.Worley(w, h, cellSize: rng.Next(40, 160), seed: rng.Next()) / 40.0 * (rng.NextDouble() - 0.5);
        // A gradient in a random direction: light falling across a scene, a sky over land.
        var angle = rng.NextDouble() * Math.PI * 2;
        var xyz = Image.Xyz(w, h);
        var gradient = (xyz[0] * Math.Cos(angle) + xyz[1] * Math.Sin(angle)) / Math.Max(w, h);
        field += gradient * (lowTexture ? 3.0 : rng.NextDouble() * 1.5);

        var stats = field.Stats();
        double min = stats[0, 0][0], max = stats[1, 0][0];
        var grey = ((field - min) * (255.0 / Math.Max(1e-6, max - min))).Cast(Enums.BandFormat.Uchar);
        var image = grey.Maplut(ColourRamp(rng));

        image = image.Mutate(m =>
        {
            var shapes = lowTexture ? rng.Next(1, 3) : rng.Next(4, 24);
            for (var i = 0; i < shapes; i++)
            {
                double[] ink = [rng.Next(256), rng.Next(256), rng.Next(256)];
                var size = rng.Next(Math.Min(w, h) / 30, Math.Min(w, h) / (lowTexture ? 2 : 4));
                int cx = rng.Next(w), cy = rng.Next(h);
                switch (rng.Next(3))
                {
                    case 0: m.DrawCircle(ink, cx, cy, size, fill: true); break;
                    case 1: m.DrawRect(ink, cx - size, cy - size / 2, size * 2, size, fill: true); break;
                    default: m.DrawRect(ink, cx, 0, Math.Max(4, size / 4), h, fill: true); break;
                }
            }
        });
        image = image.Gaussblur(lowTexture ? 1.5 : 0.4 + rng.NextDouble() * 0.6);
        // Sensor grain, independently per channel.
        var grain = Image.Gaussnoise(w, h, sigma: 2.5, mean: 0, seed: rng.Next())
            .Bandjoin(Image.Gaussnoise(w, h, sigma: 2.5, mean: 0, seed: rng.Next()), Image.Gaussnoise(w, h, sigma: 2.5, mean: 0, seed: rng.Next()));
        return (image + grain).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>
    /// Whether <see cref="Generate"/> makes a low-texture image of this seed: one in twelve. Their PDQ quality is
    /// mostly below 50 and they have few keypoints, so the pipeline finds their copies only when the hash is usable.
    /// </summary>
    public static bool IsLowTexture(int seed) => seed % 12 == 11;

    /// <summary>A 256-entry RGB ramp through three to five random colours.</summary>
    private static Image ColourRamp(Random rng)
    {
        var stops = rng.Next(3, 6);
        var colours = Enumerable.Range(0, stops).Select(_ => new[] { rng.Next(256), rng.Next(256), rng.Next(256) }).ToArray();
        var lut = new byte[256 * 3];
        for (var i = 0; i < 256; i++)
        {
            var t = i / 255.0 * (stops - 1);
            var k = Math.Min(stops - 2, (int)t);
            var f = t - k;
            for (var c = 0; c < 3; c++) lut[i * 3 + c] = (byte)Math.Round(colours[k][c] * (1 - f) + colours[k + 1][c] * f);
        }
        return Image.NewFromMemory(lut, 256, 1, 3, Enums.BandFormat.Uchar);
    }

    /// <summary>
    /// The copy edit applied to an encoded original, returned as the file a thief would save (JPEG at quality 90
    /// unless the edit is itself an encoding). Precisely:
    /// <list type="bullet">
    /// <item>Jpeg30: re-encoded as JPEG at quality 30. FormatWebP: re-encoded as lossy WebP, quality 80.</item>
    /// <item>Scale50 / Scale25: each side halved / quartered (Lanczos).</item>
    /// <item>Crop80: a crop keeping 80% of the area (√0.8 of each side) at a random offset.</item>
    /// <item>MirrorHorizontal: left-right mirror. Rotate90: a quarter turn clockwise.</item>
    /// <item>Rotate5: 5° either way at random, the canvas enlarged to hold it and the corners filled black.</item>
    /// <item>Brightness: every level ±40 (of 255), sign at random. Contrast: levels stretched ×1.4 or squeezed ×0.7 about 128.</item>
    /// <item>Grayscale: to one-band grey. Noise: Gaussian, σ = 2% of full scale (5.1 levels), per channel.</item>
    /// <item>Border10: 10% of the width added left and right and 10% of the height top and bottom, in one solid
    /// colour (white, black or a random colour).</item>
    /// <item>Watermark: the word SAMPLE in white at 50% opacity, letters as wide as 85% of the image, turned 25°,
    /// across the centre.</item>
    /// </list>
    /// </summary>
    public static byte[] Apply(byte[] original, CopyEdit edit, int seed)
    {
        var rng = new Random(seed * 31 + (int)edit);
        using var loaded = Image.NewFromBuffer(original);
        using var image = loaded.HasAlpha() ? loaded.Flatten([255.0]) : loaded.Copy();
        int w = image.Width, h = image.Height;
        Image edited;
        switch (edit)
        {
            case CopyEdit.Jpeg30: return image.JpegsaveBuffer(q: 30);
            case CopyEdit.FormatWebP: return image.WebpsaveBuffer(q: 80);
            case CopyEdit.Scale50: edited = image.Resize(0.5); break;
            case CopyEdit.Scale25: edited = image.Resize(0.25); break;
            case CopyEdit.Crop80:
                {
                    int cw = (int)Math.Round(w * Math.Sqrt(0.8)), ch = (int)Math.Round(h * Math.Sqrt(0.8));
                    edited = image.Crop(rng.Next(w - cw + 1), rng.Next(h - ch + 1), cw, ch);
                    break;
                }
            case CopyEdit.MirrorHorizontal: edited = image.FlipHor(); break;
            case CopyEdit.Rotate90: edited = image.Rot90(); break;
            case CopyEdit.Rotate5: edited = image.Rotate(rng.Next(2) == 0 ? 5 : -5, background: [0, 0, 0]); break;
            case CopyEdit.Brightness: edited = image.Linear([1.0], [rng.Next(2) == 0 ? 40.0 : -40.0]).Cast(Enums.BandFormat.Uchar); break;
            case CopyEdit.Contrast:
                {
                    var k = rng.Next(2) == 0 ? 1.4 : 0.7;
                    edited = image.Linear([k], [128 * (1 - k)]).Cast(Enums.BandFormat.Uchar);
                    break;
                }
            case CopyEdit.Grayscale: edited = image.Colourspace(Enums.Interpretation.Bw); break;
            case CopyEdit.Noise:
                {
                    var sigma = 0.02 * 255;
                    var noise = Image.Gaussnoise(w, h, sigma, 0, rng.Next())
                        .Bandjoin(Image.Gaussnoise(w, h, sigma, 0, rng.Next()), Image.Gaussnoise(w, h, sigma, 0, rng.Next()));
                    edited = (image + noise).Cast(Enums.BandFormat.Uchar);
                    break;
                }
            case CopyEdit.Border10:
                {
                    int bx = (int)Math.Round(w * 0.1), by = (int)Math.Round(h * 0.1);
                    double[] colour = rng.Next(3) switch
                    {
                        0 => [255, 255, 255], 1 => [0, 0, 0], _ => [rng.Next(256), rng.Next(256), rng.Next(256)],
                    };
                    edited = image.Embed(bx, by, w + 2 * bx, h + 2 * by, extend: Enums.Extend.Background, background: colour);
                    break;
                }
            case CopyEdit.Watermark: edited = Watermark(image); break;
            default: throw new ArgumentOutOfRangeException(nameof(edit));
        }
        using (edited) return edited.JpegsaveBuffer(q: 90);
    }

    private static Image Watermark(Image image)
    {
        int w = image.Width, h = image.Height;
        const string word = "SAMPLE";
        var scale = Math.Max(1, (int)(w * 0.85 / (word.Length * 6 - 1)));
        var (pixels, mw, mh) = Render(word, scale);
        using var mask = Image.NewFromMemory(pixels, mw, mh, 1, Enums.BandFormat.Uchar);
        using var turned = mask.Rotate(-25);
        // Centre the turned text on the image, cutting off whatever overhangs.
        using var placed = turned.Embed((w - turned.Width) / 2, (h - turned.Height) / 2, w, h);
        using var alpha = placed.Cast(Enums.BandFormat.Float) * (0.5 / 255);
        // out = image·(1 − α) + white·α
        return (image * (1 - alpha) + alpha * 255).Cast(Enums.BandFormat.Uchar);
    }

    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        ['S'] = [".####", "#....", "#....", ".###.", "....#", "....#", "####."],
        ['A'] = [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
        ['M'] = ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"],
        ['P'] = ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
        ['L'] = ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
        ['E'] = ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
    };

    private static (byte[] Pixels, int Width, int Height) Render(string text, int scale)
    {
        var width = (text.Length * 6 - 1) * scale;
        var height = 7 * scale;
        var pixels = new byte[width * height];
        for (var i = 0; i < text.Length; i++)
            for (var row = 0; row < 7; row++)
                for (var col = 0; col < 5; col++)
                    if (Glyphs[text[i]][row][col] == '#')
                        for (var dy = 0; dy < scale; dy++)
                            Array.Fill(pixels, (byte)255, (row * scale + dy) * width + (i * 6 + col) * scale, scale);
        return (pixels, width, height);
    }

    /// <summary>
    /// The distinct photographs among the PDQ reference's test images (tests/data/pdq-reference/data) as extra,
    /// real originals: the bridge once (its other files are edits of it), the LabelMe subset, the pen and coaster.
    /// </summary>
    public static IReadOnlyList<string> ReferencePhotos(string repositoryRoot)
    {
        var dir = Path.Combine(repositoryRoot, "tests", "data", "pdq-reference", "data", "reg-test-input");
        if (!Directory.Exists(dir)) return [];
        return [Path.Combine(dir, "dih", "bridge-1-original.jpg"), Path.Combine(dir, "pen-and-coaster.png"),
            .. Directory.EnumerateFiles(Path.Combine(dir, "labelme-subset"), "*.jpg").Order(StringComparer.Ordinal)];
    }

    /// <summary>The repository root: the nearest folder above <paramref name="from"/> holding Marketplace.sln.</summary>
    public static string RepositoryRoot(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Marketplace.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Marketplace.sln above {from}.");
    }
}
