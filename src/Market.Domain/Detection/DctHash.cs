namespace Market.Domain.Detection;

/// <summary>
/// A first perceptual hash: 64 bits from the low frequencies of a 32×32 grayscale thumbnail's 2-D DCT, each
/// bit set when its coefficient is above the median. Similar images give hashes a few bits apart, so it
/// survives re-encoding and resizing. It is the walking skeleton's placeholder for PDQ (issue 6), which
/// replaces it as the matching hash; the byte layout is kept simple so it can be compared by popcount.
/// </summary>
public static class DctHash
{
    public const int Side = 32;
    private const int Low = 8;

    private static readonly double[,] Cosines = BuildCosines();

    /// <summary>Hashes a 32×32 luminance grid (row-major, one byte per pixel).</summary>
    public static ulong Compute(ReadOnlySpan<byte> luma)
    {
        if (luma.Length != Side * Side)
            throw new ArgumentException($"Expected {Side * Side} luminance samples, got {luma.Length}.", nameof(luma));

        // Separable DCT-II restricted to the 8 lowest frequencies in each direction: rows first, then columns.
        var rows = new double[Side, Low];
        for (var y = 0; y < Side; y++)
            for (var u = 0; u < Low; u++)
            {
                double sum = 0;
                for (var x = 0; x < Side; x++) sum += luma[y * Side + x] * Cosines[u, x];
                rows[y, u] = sum;
            }

        Span<double> coefficients = stackalloc double[Low * Low];
        for (var v = 0; v < Low; v++)
            for (var u = 0; u < Low; u++)
            {
                double sum = 0;
                for (var y = 0; y < Side; y++) sum += rows[y, u] * Cosines[v, y];
                coefficients[v * Low + u] = sum;
            }

        // The DC term says only how bright the image is: it is left out of the median and its bit stays 0,
        // so the hash carries 63 bits of structure. Flat images have little structure and so unstable bits;
        // PDQ's quality score (issue 6) is what will keep those out of matching.
        Span<double> sorted = stackalloc double[Low * Low - 1];
        coefficients[1..].CopyTo(sorted);
        sorted.Sort();
        var median = sorted[sorted.Length / 2];

        ulong hash = 0;
        for (var i = 1; i < Low * Low; i++)
            if (coefficients[i] > median) hash |= 1UL << i;
        return hash;
    }

    public static int Distance(ulong a, ulong b) => System.Numerics.BitOperations.PopCount(a ^ b);

    public static string ToHex(ulong hash) => hash.ToString("x16");

    private static double[,] BuildCosines()
    {
        var c = new double[Low, Side];
        for (var u = 0; u < Low; u++)
            for (var x = 0; x < Side; x++)
                c[u, x] = Math.Cos((2 * x + 1) * u * Math.PI / (2 * Side));
        return c;
    }
}
