using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Market.Domain.Detection;

/// <summary>A PDQ hash and its quality, 0..100 (the reference advises not matching on quality below 50).</summary>
public readonly record struct PdqResult(PdqHash Hash, int Quality);

/// <summary>
/// PDQ (Meta's 256-bit perceptual hash), written from the published description of the C++ reference, starting
/// where the reference has a float luma buffer: Jarosz filter, decimation to 64×64, quality from gradients,
/// 64→16 DCT in each direction, one bit per coefficient above the median. Decoding and the reference's
/// 512×512 pre-resize live with the caller (Market.Web's PdqImage), because they depend on the image library.
/// </summary>
public static class Pdq
{
    /// <summary>The decimated grid's side.</summary>
    public const int GridSide = 64;

    private const int DctSide = 16;
    private const int JaroszPasses = 2;

    /// <summary>Below this many pixels on either side the reference gives up: zero hash, quality 0.</summary>
    public const int MinimumSide = 5;

    // Row i holds basis frequency i + 1: the reference skips the DC term, which would only say how bright the
    // picture is and be the same sign for every image.
    private static readonly float[] DctMatrix = BuildDctMatrix();

    /// <summary>Hashes a row-major float luma buffer (0..255) exactly as the reference does after decode and pre-resize.</summary>
    public static PdqResult Hash(ReadOnlySpan<float> luma, int width, int height) =>
        Hash(luma, width, height, JaroszWindow(width), JaroszWindow(height));

    /// <summary>
    /// The same with the Jarosz windows given: a caller that has already shrunk the image (the fast path decodes
    /// a 256-px thumbnail) passes the window the reference would use at its own 512-px scale, scaled down, so
    /// the low-pass filter covers the same share of the picture.
    /// </summary>
    public static PdqResult Hash(ReadOnlySpan<float> luma, int width, int height, int windowAlongRows, int windowAlongCols)
    {
        Span<float> coefficients = stackalloc float[DctSide * DctSide];
        var quality = Coefficients(luma, width, height, windowAlongRows, windowAlongCols, coefficients);
        return quality < 0 ? new PdqResult(PdqHash.Zero, 0) : new PdqResult(BitsAboveMedian(coefficients), quality);
    }

    /// <summary>
    /// The eight dihedral hashes from one image, as the reference computes them: each is the original's 16×16
    /// DCT block with rows and columns swapped and odd-frequency signs flipped, which is what rotating or
    /// mirroring the picture does to a cosine basis. Close to, not equal to, hashing a rotated copy.
    /// </summary>
    public static (PdqDihedral Hashes, int Quality) HashDihedral(ReadOnlySpan<float> luma, int width, int height) =>
        HashDihedral(luma, width, height, JaroszWindow(width), JaroszWindow(height));

    public static (PdqDihedral Hashes, int Quality) HashDihedral(ReadOnlySpan<float> luma, int width, int height, int windowAlongRows, int windowAlongCols)
    {
        Span<float> a = stackalloc float[DctSide * DctSide];
        var quality = Coefficients(luma, width, height, windowAlongRows, windowAlongCols, a);
        if (quality < 0) return (default, 0);
        Span<float> b = stackalloc float[DctSide * DctSide];
        var hashes = new PdqHash[PdqDihedral.Count];
        for (var t = 0; t < PdqDihedral.Count; t++)
        {
            Transform((PdqTransform)t, a, b);
            hashes[t] = BitsAboveMedian(b);
        }
        return (new PdqDihedral(hashes), quality);
    }

    /// <summary>The reference's window for a side: ceil(side / 128), so two passes span about one 64th of the side.</summary>
    public static int JaroszWindow(int side) => (side + 2 * GridSide - 1) / (2 * GridSide);

    /// <summary>Fills the 16×16 DCT block and returns the quality, or −1 for an image too small to hash.</summary>
    private static int Coefficients(ReadOnlySpan<float> luma, int width, int height, int windowAlongRows, int windowAlongCols, Span<float> coefficients)
    {
        if (width < MinimumSide || height < MinimumSide) return -1;
        if (luma.Length < (long)width * height)
            throw new ArgumentException($"A {width}×{height} image needs {(long)width * height} luma samples, got {luma.Length}.", nameof(luma));
        ArgumentOutOfRangeException.ThrowIfLessThan(windowAlongRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowAlongCols, 1);
        windowAlongRows = Math.Min(windowAlongRows, width);
        windowAlongCols = Math.Min(windowAlongCols, height);

        var size = width * height;
        var one = ArrayPool<float>.Shared.Rent(size);
        var two = ArrayPool<float>.Shared.Rent(size);
        Span<float> grid = stackalloc float[GridSide * GridSide];
        try
        {
            luma[..size].CopyTo(one);
            var a = one.AsSpan(0, size);
            var b = two.AsSpan(0, size);
            for (var pass = 0; pass < JaroszPasses; pass++)
            {
                for (var y = 0; y < height; y++)
                    BoxAlongRow(a.Slice(y * width, width), b.Slice(y * width, width), windowAlongRows);
                BoxAlongColumns(b, a, width, height, windowAlongCols);
            }
            Decimate(a, width, height, grid);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(one);
            ArrayPool<float>.Shared.Return(two);
        }
        var quality = Quality(grid);
        Dct64To16(grid, coefficients);
        return quality;
    }

    /// <summary>
    /// A box filter whose window is clipped at the ends, written as the reference's four phases so the float
    /// sums round the same way: output i averages input i − (w − h) … i + h − 1 with h = (w + 2) / 2.
    /// </summary>
    private static void BoxAlongRow(ReadOnlySpan<float> input, Span<float> output, int window)
    {
        var half = (window + 2) / 2;
        int li = 0, ri = 0, oi = 0, count = 0;
        var sum = 0f;
        for (var i = 0; i < half - 1; i++) { sum += input[ri++]; count++; }
        for (var i = 0; i < window - half + 1; i++) { sum += input[ri++]; count++; output[oi++] = sum / count; }
        for (var i = 0; i < input.Length - window; i++) { sum += input[ri++]; sum -= input[li++]; output[oi++] = sum / count; }
        for (var i = 0; i < half - 1; i++) { sum -= input[li++]; count--; output[oi++] = sum / count; }
    }

    /// <summary>
    /// The same filter down every column at once: one running sum per column, advanced a row at a time, so the
    /// memory is read in rows (a column walk would miss the cache on every sample) and the arithmetic per column
    /// is exactly the reference's.
    /// </summary>
    private static void BoxAlongColumns(ReadOnlySpan<float> input, Span<float> output, int width, int height, int window)
    {
        var half = (window + 2) / 2;
        var sums = ArrayPool<float>.Shared.Rent(width);
        try
        {
            var sum = sums.AsSpan(0, width);
            sum.Clear();
            int li = 0, ri = 0, oi = 0, count = 0;
            for (var i = 0; i < half - 1; i++) { Add(sum, Row(input, ri++, width)); count++; }
            for (var i = 0; i < window - half + 1; i++) { Add(sum, Row(input, ri++, width)); count++; Divide(sum, count, Row(output, oi++, width)); }
            for (var i = 0; i < height - window; i++)
            {
                Add(sum, Row(input, ri++, width));
                Subtract(sum, Row(input, li++, width));
                Divide(sum, count, Row(output, oi++, width));
            }
            for (var i = 0; i < half - 1; i++) { Subtract(sum, Row(input, li++, width)); count--; Divide(sum, count, Row(output, oi++, width)); }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sums);
        }
    }

    private static ReadOnlySpan<float> Row(ReadOnlySpan<float> image, int y, int width) => image.Slice(y * width, width);
    private static Span<float> Row(Span<float> image, int y, int width) => image.Slice(y * width, width);

    private static void Add(Span<float> sum, ReadOnlySpan<float> row)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = MemoryMarshal.Cast<float, Vector<float>>(sum);
            var r = MemoryMarshal.Cast<float, Vector<float>>(row);
            for (var v = 0; v < s.Length; v++) s[v] += r[v];
            i = s.Length * Vector<float>.Count;
        }
        for (; i < sum.Length; i++) sum[i] += row[i];
    }

    private static void Subtract(Span<float> sum, ReadOnlySpan<float> row)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = MemoryMarshal.Cast<float, Vector<float>>(sum);
            var r = MemoryMarshal.Cast<float, Vector<float>>(row);
            for (var v = 0; v < s.Length; v++) s[v] -= r[v];
            i = s.Length * Vector<float>.Count;
        }
        for (; i < sum.Length; i++) sum[i] -= row[i];
    }

    private static void Divide(ReadOnlySpan<float> sum, int count, Span<float> output)
    {
        var i = 0;
        float n = count;
        if (Vector.IsHardwareAccelerated)
        {
            var s = MemoryMarshal.Cast<float, Vector<float>>(sum);
            var o = MemoryMarshal.Cast<float, Vector<float>>(output);
            var d = new Vector<float>(n);
            for (var v = 0; v < s.Length; v++) o[v] = s[v] / d;
            i = s.Length * Vector<float>.Count;
        }
        for (; i < sum.Length; i++) output[i] = sum[i] / n;
    }

    /// <summary>Samples the pixel at each of the 64×64 cells' centres: index floor((i + ½) · side / 64).</summary>
    private static void Decimate(ReadOnlySpan<float> image, int width, int height, Span<float> grid)
    {
        Span<int> columns = stackalloc int[GridSide];
        for (var j = 0; j < GridSide; j++) columns[j] = (int)((j + 0.5) * width / GridSide);
        for (var i = 0; i < GridSide; i++)
        {
            var row = image.Slice((int)((i + 0.5) * height / GridSide) * width, width);
            for (var j = 0; j < GridSide; j++) grid[i * GridSide + j] = row[columns[j]];
        }
    }

    /// <summary>
    /// The reference's quality: the sum of absolute differences between neighbouring cells of the 64×64 grid,
    /// each scaled to percent of full range and truncated, divided by 90 and capped at 100. A flat or nearly
    /// flat picture scores low, and its hash is mostly noise.
    /// </summary>
    private static int Quality(ReadOnlySpan<float> grid)
    {
        var sum = 0;
        for (var i = 0; i < GridSide - 1; i++)
            for (var j = 0; j < GridSide; j++)
                sum += Math.Abs((int)((grid[i * GridSide + j] - grid[(i + 1) * GridSide + j]) * 100 / 255));
        for (var i = 0; i < GridSide; i++)
            for (var j = 0; j < GridSide - 1; j++)
                sum += Math.Abs((int)((grid[i * GridSide + j] - grid[i * GridSide + j + 1]) * 100 / 255));
        return Math.Min(100, sum / 90);
    }

    /// <summary>C = D · A · Dᵀ with D the 16×64 DCT matrix, done as two small products with vector row updates.</summary>
    private static void Dct64To16(ReadOnlySpan<float> grid, Span<float> coefficients)
    {
        Span<float> partial = stackalloc float[DctSide * GridSide];
        partial.Clear();
        var d = DctMatrix.AsSpan();
        // partial[i, ·] = Σk D[i, k] · A[k, ·]: a row-times-scalar accumulation, contiguous in memory.
        for (var i = 0; i < DctSide; i++)
        {
            var target = partial.Slice(i * GridSide, GridSide);
            for (var k = 0; k < GridSide; k++)
                MultiplyAdd(target, grid.Slice(k * GridSide, GridSide), d[i * GridSide + k]);
        }
        // coefficients[i, j] = partial[i, ·] · D[j, ·]: dot products of contiguous rows.
        for (var i = 0; i < DctSide; i++)
            for (var j = 0; j < DctSide; j++)
                coefficients[i * DctSide + j] = Dot(partial.Slice(i * GridSide, GridSide), d.Slice(j * GridSide, GridSide));
    }

    private static void MultiplyAdd(Span<float> target, ReadOnlySpan<float> row, float factor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = MemoryMarshal.Cast<float, Vector<float>>(target);
            var r = MemoryMarshal.Cast<float, Vector<float>>(row);
            var f = new Vector<float>(factor);
            for (var v = 0; v < t.Length; v++) t[v] += r[v] * f;
            i = t.Length * Vector<float>.Count;
        }
        for (; i < target.Length; i++) target[i] += row[i] * factor;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var acc = Vector<float>.Zero;
            for (var v = 0; v < va.Length; v++) acc += va[v] * vb[v];
            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>
    /// One bit per coefficient, set when it is above the median. The reference's Torben median of 256 values is
    /// the lower middle one (the 128th smallest), so exactly half the bits are set when the values are distinct.
    /// </summary>
    private static PdqHash BitsAboveMedian(ReadOnlySpan<float> coefficients)
    {
        Span<float> sorted = stackalloc float[DctSide * DctSide];
        coefficients.CopyTo(sorted);
        sorted.Sort();
        var median = sorted[(sorted.Length + 1) / 2 - 1];
        Span<ulong> words = stackalloc ulong[4];
        for (var k = 0; k < coefficients.Length; k++)
            if (coefficients[k] > median) words[k >> 6] |= 1UL << (k & 63);
        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    /// <summary>
    /// What a rotation or mirror does to the 16×16 block. Row i of the block is vertical frequency i + 1, so
    /// mirroring top-bottom negates the rows of odd frequency (even i); a quarter turn also swaps the axes.
    /// </summary>
    private static void Transform(PdqTransform transform, ReadOnlySpan<float> a, Span<float> b)
    {
        for (var i = 0; i < DctSide; i++)
            for (var j = 0; j < DctSide; j++)
            {
                var v = a[i * DctSide + j];
                bool iOdd = (i & 1) != 0, jOdd = (j & 1) != 0;
                switch (transform)
                {
                    case PdqTransform.Original: b[i * DctSide + j] = v; break;
                    case PdqTransform.Rotate90: b[j * DctSide + i] = jOdd ? v : -v; break;
                    case PdqTransform.Rotate180: b[i * DctSide + j] = iOdd ^ jOdd ? -v : v; break;
                    case PdqTransform.Rotate270: b[j * DctSide + i] = iOdd ? v : -v; break;
                    case PdqTransform.FlipX: b[i * DctSide + j] = iOdd ? v : -v; break;
                    case PdqTransform.FlipY: b[i * DctSide + j] = jOdd ? v : -v; break;
                    case PdqTransform.FlipPlus: b[j * DctSide + i] = v; break;
                    case PdqTransform.FlipMinus: b[j * DctSide + i] = iOdd ^ jOdd ? -v : v; break;
                    default: throw new ArgumentOutOfRangeException(nameof(transform));
                }
            }
    }

    private static float[] BuildDctMatrix()
    {
        var matrix = new float[DctSide * GridSide];
        var scale = Math.Sqrt(2.0 / GridSide);
        for (var i = 0; i < DctSide; i++)
            for (var j = 0; j < GridSide; j++)
                matrix[i * GridSide + j] = (float)(scale * Math.Cos(Math.PI / 2 / GridSide * (i + 1) * (2 * j + 1)));
        return matrix;
    }
}
