using Market.Domain.Detection;

namespace Market.Domain.Tests.Detection;

/// <summary>
/// 32×32 luminance grids drawn in code. The scenes have structure in both directions on purpose: a plain
/// gradient or flat field leaves most low-frequency coefficients at zero, and the hash of such an image
/// is decided by rounding noise (see the report on DctHash), which is not what these tests are about.
/// </summary>
internal static class LumaImages
{
    private const int Side = DctHash.Side;

    /// <summary>Lit from the top left, a bright disc upper right, a dark bar lower left.</summary>
    public static byte[] Harbour() => Draw((x, y) =>
    {
        double v = 60 + 3 * x + 2 * y;
        if ((x - 20) * (x - 20) + (y - 10) * (y - 10) < 36) v += 80;
        if (y is > 22 and < 27 && x is > 4 and < 24) v -= 50;
        return v;
    });

    /// <summary>Darkening downwards, a dark disc lower left, a bright box upper right.</summary>
    public static byte[] Fields() => Draw((x, y) =>
    {
        double v = 200 - 4 * y;
        if ((x - 8) * (x - 8) + (y - 22) * (y - 22) < 49) v -= 90;
        if (x is > 18 and < 28 && y is > 4 and < 14) v += 40;
        return v;
    });

    public static byte[] Checkerboard(int cell) => Draw((x, y) => (x / cell + y / cell) % 2 * 255);

    public static byte[] Draw(Func<int, int, double> luminance)
    {
        var grid = new byte[Side * Side];
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
                grid[y * Side + x] = Clamp(luminance(x, y));
        return grid;
    }

    public static byte[] Brightened(this byte[] grid, int by) => Map(grid, (_, _, v) => v + by);

    public static byte[] Inverted(this byte[] grid) => Map(grid, (_, _, v) => 255 - v);

    public static byte[] Mirrored(this byte[] grid) => Map(grid, (x, y, _) => grid[y * Side + (Side - 1 - x)]);

    /// <summary>Adds deterministic noise of at most ±<paramref name="amplitude"/>, like a lossy re-encode would.</summary>
    public static byte[] WithNoise(this byte[] grid, int amplitude, int seed) =>
        Map(grid, (x, y, v) => v + Noise(x, y, seed) % (amplitude + 1));

    /// <summary>A 3×3 box blur, as a resize down and up again would do.</summary>
    public static byte[] Blurred(this byte[] grid) => Map(grid, (x, y, _) =>
    {
        int sum = 0, count = 0;
        for (var dy = -1; dy <= 1; dy++)
            for (var dx = -1; dx <= 1; dx++)
            {
                int xx = x + dx, yy = y + dy;
                if (xx is < 0 or >= Side || yy is < 0 or >= Side) continue;
                sum += grid[yy * Side + xx];
                count++;
            }
        return (double)sum / count;
    });

    private static byte[] Map(byte[] grid, Func<int, int, double, double> f)
    {
        var result = new byte[Side * Side];
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
                result[y * Side + x] = Clamp(f(x, y, grid[y * Side + x]));
        return result;
    }

    // A fixed integer hash rather than Random, so every run and runtime draws the same noise.
    private static int Noise(int x, int y, int seed)
    {
        unchecked
        {
            var h = (uint)(x * 73856093 ^ y * 19349663 ^ seed * 83492791);
            h ^= h >> 13;
            h *= 0x5bd1e995;
            h ^= h >> 15;
            return (int)(h % 201) - 100;
        }
    }

    private static byte Clamp(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
