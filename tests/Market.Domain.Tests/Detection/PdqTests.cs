using Market.Domain.Detection;

namespace Market.Domain.Tests.Detection;

/// <summary>
/// Pdq on float buffers drawn in code. Conformance with the C++ reference's own vectors is tested where images
/// can be decoded (Market.Web.Tests, PdqConformanceTests); these pin the rules that need no decoder.
/// </summary>
public sealed class PdqTests
{
    // 320 px: the Jarosz window is 3 (centred on its pixel) and each of the 64 cells is 5 px with a centre pixel,
    // so the filter and the sampling are symmetric and a turned picture should hash like the turned DCT block.
    private const int Side = 320;

    [Theory]
    [InlineData(4, 100)]
    [InlineData(100, 4)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    public void An_image_smaller_than_5_pixels_on_a_side_gets_the_zero_hash_and_quality_0(int width, int height)
    {
        var luma = Scene(Math.Max(width, 1), Math.Max(height, 1), seed: 1);
        Pdq.Hash(luma, width, height).ShouldBe(new PdqResult(PdqHash.Zero, 0));
        var (hashes, quality) = Pdq.HashDihedral(luma, width, height);
        quality.ShouldBe(0);
        hashes.ToArray().ShouldAllBe(h => h == PdqHash.Zero);
    }

    [Fact]
    public void A_5_pixel_image_is_hashed()
    {
        var luma = Scene(5, 5, seed: 2);
        Pdq.Hash(luma, 5, 5).Hash.ShouldNotBe(PdqHash.Zero);
    }

    [Fact]
    public void A_flat_image_has_quality_0()
    {
        var flat = new float[200 * 150];
        Array.Fill(flat, 128f);
        Pdq.Hash(flat, 200, 150).Quality.ShouldBe(0);
    }

    [Fact]
    public void A_detailed_image_has_quality_100_and_half_its_bits_set()
    {
        var result = Pdq.Hash(Scene(Side, Side, seed: 3), Side, Side);
        result.Quality.ShouldBe(100);
        // Bits are set above the lower median of 256 distinct coefficients: exactly 128 of them.
        result.Hash.DistanceTo(PdqHash.Zero).ShouldBe(128);
    }

    [Fact]
    public void Hashing_is_deterministic_and_leaves_the_input_alone()
    {
        var luma = Scene(333, 211, seed: 4);
        var copy = luma.ToArray();
        var first = Pdq.Hash(luma, 333, 211);
        var second = Pdq.Hash(luma, 333, 211);
        second.ShouldBe(first);
        luma.ShouldBe(copy);
        Pdq.HashDihedral(luma, 333, 211).Hashes.Original.ShouldBe(first.Hash);
        Pdq.HashDihedral(luma, 333, 211).Quality.ShouldBe(first.Quality);
    }

    [Fact]
    public void A_buffer_shorter_than_the_image_is_refused()
    {
        Should.Throw<ArgumentException>(() => Pdq.Hash(new float[99], 10, 10));
    }

    [Fact]
    public void A_slightly_changed_copy_matches_and_a_different_picture_does_not()
    {
        var luma = Scene(Side, Side, seed: 5);
        var original = Pdq.Hash(luma, Side, Side).Hash;
        var random = new Random(6);
        var noisy = luma.Select(v => Math.Clamp(v * 1.1f + 10 + (float)(random.NextDouble() * 16 - 8), 0, 255)).ToArray();
        Pdq.Hash(noisy, Side, Side).Hash.DistanceTo(original).ShouldBeLessThanOrEqualTo(PdqHash.MatchThreshold);
        Pdq.Hash(Scene(Side, Side, seed: 7), Side, Side).Hash.DistanceTo(original).ShouldBeGreaterThan(PdqHash.MatchThreshold * 2);
    }

    public static TheoryData<PdqTransform> Transforms() => new(Enum.GetValues<PdqTransform>());

    [Theory]
    [MemberData(nameof(Transforms))]
    public void Each_dihedral_hash_agrees_with_hashing_the_physically_turned_picture(PdqTransform transform)
    {
        var luma = Scene(Side, Side, seed: 8);
        var (hashes, _) = Pdq.HashDihedral(luma, Side, Side);
        var turned = Turn(luma, Side, Side, transform, out var width, out var height);
        var direct = Pdq.Hash(turned, width, height).Hash;
        hashes[transform].DistanceTo(direct).ShouldBeLessThanOrEqualTo(2, $"{transform}");
        if (transform != PdqTransform.Original)
            hashes[transform].DistanceTo(hashes.Original).ShouldBeGreaterThan(PdqHash.MatchThreshold, "a turned picture is not a match unturned");
    }

    [Fact]
    public void The_dihedral_set_finds_a_turned_copy_whichever_way_it_was_turned()
    {
        var luma = Scene(Side, Side, seed: 9);
        var (hashes, _) = Pdq.HashDihedral(luma, Side, Side);
        var copy = Pdq.Hash(Turn(luma, Side, Side, PdqTransform.FlipMinus, out var w, out var h), w, h).Hash;
        hashes.MinDistanceTo(copy).ShouldBeLessThanOrEqualTo(2);
        default(PdqDihedral).Original.ShouldBe(PdqHash.Zero);
        Should.Throw<ArgumentException>(() => new PdqDihedral(new PdqHash[7]));
    }

    [Fact]
    public void The_jarosz_window_is_the_side_over_128_rounded_up()
    {
        Pdq.JaroszWindow(5).ShouldBe(1);
        Pdq.JaroszWindow(128).ShouldBe(1);
        Pdq.JaroszWindow(129).ShouldBe(2);
        Pdq.JaroszWindow(512).ShouldBe(4);
        Pdq.JaroszWindow(513).ShouldBe(5);
    }

    /// <summary>Smooth shading plus a few dozen soft-edged discs and bars: structure at every scale the hash sees.</summary>
    internal static float[] Scene(int width, int height, int seed)
    {
        var random = new Random(seed);
        var luma = new float[width * height];
        var gx = random.NextDouble() * 2 - 1;
        var gy = random.NextDouble() * 2 - 1;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                luma[y * width + x] = (float)(128 + 60 * (gx * x / width + gy * y / height));
        for (var s = 0; s < 40; s++)
        {
            double cx = random.NextDouble() * width, cy = random.NextDouble() * height;
            var r = (0.03 + random.NextDouble() * 0.15) * Math.Min(width, height);
            var delta = (float)(random.NextDouble() * 160 - 80);
            var bar = random.Next(2) == 0;
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    var inside = bar ? Math.Abs(x - cx) < r && Math.Abs(y - cy) < r / 3 : (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
                    if (inside) luma[y * width + x] += delta;
                }
        }
        for (var i = 0; i < luma.Length; i++) luma[i] = Math.Clamp(luma[i], 0, 255);
        return luma;
    }

    /// <summary>Turns or mirrors a row-major buffer; rotations counter-clockwise, as <see cref="PdqTransform"/> names them.</summary>
    internal static float[] Turn(float[] luma, int width, int height, PdqTransform transform, out int outWidth, out int outHeight)
    {
        var swaps = transform is PdqTransform.Rotate90 or PdqTransform.Rotate270 or PdqTransform.FlipPlus or PdqTransform.FlipMinus;
        outWidth = swaps ? height : width;
        outHeight = swaps ? width : height;
        var result = new float[luma.Length];
        for (var r = 0; r < outHeight; r++)
            for (var c = 0; c < outWidth; c++)
            {
                var (row, col) = transform switch
                {
                    PdqTransform.Original => (r, c),
                    PdqTransform.Rotate90 => (c, width - 1 - r),
                    PdqTransform.Rotate180 => (height - 1 - r, width - 1 - c),
                    PdqTransform.Rotate270 => (height - 1 - c, r),
                    PdqTransform.FlipX => (height - 1 - r, c),
                    PdqTransform.FlipY => (r, width - 1 - c),
                    PdqTransform.FlipPlus => (c, r),
                    PdqTransform.FlipMinus => (height - 1 - c, width - 1 - r),
                    _ => throw new ArgumentOutOfRangeException(nameof(transform)),
                };
                result[r * outWidth + c] = luma[row * width + col];
            }
        return result;
    }
}
