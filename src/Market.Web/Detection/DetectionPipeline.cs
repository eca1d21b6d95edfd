using System.Runtime.InteropServices;
using Market.Domain.Detection;
using Market.Web.Imaging;
using NetVips;
using OpenCvSharp;

namespace Market.Web.Detection;

/// <summary>
/// Turns an image into the <see cref="ImageFingerprint"/> detection indexes and queries with. The same code serves
/// the upload scan, the <c>match</c> command and the recall benchmark, so what an operator measures is what runs.
/// </summary>
public static class DetectionPipeline
{
    /// <summary>Images are decoded shrunk to at most this many pixels a side: PDQ works on 64×64 and ORB is stable at this size.</summary>
    public const int WorkingSize = 512;

    /// <summary>A region keeps this fraction of each side, so 80% of the area, the crop a thief most often makes.</summary>
    private static readonly double RegionSide = Math.Sqrt(0.8);

    /// <summary>How far a pixel may differ from the corner's grey level and still count as border (JPEG blurs a border's edge).</summary>
    private const double TrimThreshold = 16;

    /// <summary>
    /// Keypoints kept per image. 1,000 rather than ORB's default 500 because a large watermark's letter corners are
    /// the strongest corners of a copy and would otherwise crowd out the picture's own (about 40 KB an image).
    /// </summary>
    private const int OrbFeatures = 1000;

    /// <summary>FAST's corner threshold, below ORB's default 20 so that smooth, low-contrast pictures still yield keypoints.</summary>
    private const int FastThreshold = 10;

    /// <summary>Fingerprints an image file; throws <see cref="VipsException"/> for a file libvips cannot decode.</summary>
    public static ImageFingerprint Fingerprint(string path)
    {
        // Shrink-on-load: a JPEG decodes at 1/2, 1/4 or 1/8 scale, so a 50 MP photo costs a fraction of its full decode.
        using var image = Image.Thumbnail(path, WorkingSize, height: WorkingSize, size: Enums.Size.Down);
        return Fingerprint(image);
    }

    /// <summary>Fingerprints an encoded image held in memory.</summary>
    public static ImageFingerprint Fingerprint(byte[] encoded)
    {
        using var image = Image.ThumbnailBuffer(encoded, WorkingSize, height: WorkingSize, size: Enums.Size.Down);
        return Fingerprint(image);
    }

    /// <summary>Fingerprints a decoded image (any size; the caller keeps ownership).</summary>
    public static ImageFingerprint Fingerprint(Image image)
    {
        // Decoded once into memory: the luma and the lightness grey both read it, and a thumbnail streams only once.
        using var pixels = image.CopyMemory();
        var (luma, width, height) = Luma(pixels);
        var hashes = new List<TaggedHash>(8 + 8 + 9);
        AddDihedral(hashes, luma, width, height, HashView.Whole);

        var (x, y, w, h) = TrimRectangle(luma, width, height);
        var trimmed = Crop(luma, width, x, y, w, h);
        if (w != width || h != height) AddDihedral(hashes, trimmed, w, h, HashView.Trimmed);

        // Regions of the trimmed view on a 3×3 grid of offsets: a crop keeping 80% of the area anywhere in the
        // image lies within a quarter of the slack of one of them, close enough for PDQ or at worst a candidate.
        int rw = (int)Math.Round(w * RegionSide), rh = (int)Math.Round(h * RegionSide);
        for (var gy = 0; gy < 3; gy++)
            for (var gx = 0; gx < 3; gx++)
            {
                int ox = (w - rw) * gx / 2, oy = (h - rh) * gy / 2;
                var (hash, quality) = HashOne(Crop(trimmed, w, ox, oy, rw, rh), rw, rh);
                hashes.Add(new TaggedHash(hash, quality, HashView.Region, 0));
            }

        // A copy turned grey by lightness instead of luma (measured: 3 in 48 such copies landed past 31 bits).
        if (pixels.Bands >= 3)
        {
            using var grey = pixels.Colourspace(Enums.Interpretation.Bw);
            var (greyLuma, gw, gh) = Luma(grey);
            var (greyHash, greyQuality) = HashOne(greyLuma, gw, gh);
            hashes.Add(new TaggedHash(greyHash, greyQuality, HashView.Grey, 0));
        }
        return new ImageFingerprint(hashes, Features(luma, width, height));
    }

    private static void AddDihedral(List<TaggedHash> into, float[] luma, int width, int height, HashView view)
    {
        var (all, quality) = Pdq.HashDihedral(luma, width, height);
        for (var d = 0; d < PdqDihedral.Count; d++) into.Add(new TaggedHash(all[d], quality, view, d));
    }

    private static (PdqHash, int) HashOne(float[] luma, int width, int height)
    {
        var result = Pdq.Hash(luma, width, height);
        return (result.Hash, result.Quality);
    }

    /// <summary>PDQ's luma of the image, as <see cref="PdqImage.Luma"/> computes it for every PDQ hash we make.</summary>
    private static (float[] Luma, int Width, int Height) Luma(Image image)
    {
        var luma = PdqImage.Luma(image, out var width, out var height);
        return (luma, width, height);
    }

    /// <summary>
    /// The rectangle left after trimming a uniform border: rows and columns whose every pixel is within
    /// <see cref="TrimThreshold"/> of the corner's level are cut from each side. The whole image when nothing is
    /// uniform, or when trimming would leave less than 30% of a side (a flat sky is not a border).
    /// </summary>
    internal static (int X, int Y, int Width, int Height) TrimRectangle(float[] luma, int width, int height)
    {
        var background = luma[0];
        bool Uniform(int x0, int y0, int x1, int y1)
        {
            for (var y = y0; y < y1; y++)
                for (var x = x0; x < x1; x++)
                    if (Math.Abs(luma[y * width + x] - background) > TrimThreshold) return false;
            return true;
        }
        int top = 0, bottom = height, left = 0, right = width;
        while (top < bottom - 1 && Uniform(0, top, width, top + 1)) top++;
        while (bottom > top + 1 && Uniform(0, bottom - 1, width, bottom)) bottom--;
        while (left < right - 1 && Uniform(left, top, left + 1, bottom)) left++;
        while (right > left + 1 && Uniform(right - 1, top, right, bottom)) right--;
        var w = right - left;
        var h = bottom - top;
        // A border must be a frame: something cut from at least two opposite sides, and not a one-pixel JPEG fringe.
        var framed = (top >= 2 && height - bottom >= 2) || (left >= 2 && width - right >= 2);
        if (!framed || w < width * 0.3 || h < height * 0.3) return (0, 0, width, height);
        return (left, top, w, h);
    }

    private static float[] Crop(float[] luma, int width, int x, int y, int w, int h)
    {
        var result = new float[w * h];
        for (var row = 0; row < h; row++)
            Array.Copy(luma, (y + row) * width + x, result, row * w, w);
        return result;
    }

    /// <summary>
    /// ORB keypoints and descriptors of the grey image, enlarged to <see cref="WorkingSize"/> on its longer side
    /// when smaller, so that a copy shrunk to a quarter still has enough pixels for ORB's 31-pixel patches.
    /// </summary>
    internal static LocalFeatures Features(float[] luma, int width, int height)
    {
        var grey = new byte[luma.Length];
        for (var i = 0; i < luma.Length; i++) grey[i] = (byte)Math.Clamp(luma[i] + 0.5f, 0, 255);
        using var original = Mat.FromPixelData(height, width, MatType.CV_8UC1, grey);
        var enlarge = Math.Max(width, height) < WorkingSize;
        using var mat = enlarge ? original.Resize(new Size(0, 0), (double)WorkingSize / Math.Max(width, height),
            (double)WorkingSize / Math.Max(width, height), InterpolationFlags.Linear) : original.Clone();
        width = mat.Width;
        height = mat.Height;
        using var orb = ORB.Create(OrbFeatures, fastThreshold: FastThreshold);
        using var descriptors = new Mat();
        orb.DetectAndCompute(mat, null, out var keypoints, descriptors);
        var points = new float[keypoints.Length * 2];
        for (var i = 0; i < keypoints.Length; i++)
        {
            points[2 * i] = keypoints[i].Pt.X;
            points[2 * i + 1] = keypoints[i].Pt.Y;
        }
        var bytes = new byte[keypoints.Length * LocalFeatures.DescriptorBytes];
        if (bytes.Length > 0) Marshal.Copy(descriptors.Data, bytes, 0, bytes.Length);
        return new LocalFeatures(points, bytes, width, height);
    }
}
