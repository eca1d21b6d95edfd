using Market.Domain.Detection;

namespace Market.Domain.Tests.Detection;

public class DctHashTests
{
    private const int Near = 8;
    private const int Far = 20;

    public static TheoryData<string, byte[], byte[]> NearCopies => new()
    {
        { "harbour brightened", LumaImages.Harbour(), LumaImages.Harbour().Brightened(30) },
        { "harbour darkened", LumaImages.Harbour(), LumaImages.Harbour().Brightened(-25) },
        { "harbour with noise", LumaImages.Harbour(), LumaImages.Harbour().WithNoise(4, seed: 1) },
        { "harbour blurred", LumaImages.Harbour(), LumaImages.Harbour().Blurred() },
        { "harbour blurred and brightened", LumaImages.Harbour(), LumaImages.Harbour().Blurred().Brightened(20) },
        { "fields with noise", LumaImages.Fields(), LumaImages.Fields().WithNoise(4, seed: 2) },
        { "fields blurred", LumaImages.Fields(), LumaImages.Fields().Blurred() },
        { "fields brightened", LumaImages.Fields(), LumaImages.Fields().Brightened(15) },
    };

    public static TheoryData<string, byte[], byte[]> DifferentImages => new()
    {
        { "harbour and fields", LumaImages.Harbour(), LumaImages.Fields() },
        { "harbour and a checkerboard", LumaImages.Harbour(), LumaImages.Checkerboard(4) },
        { "fields and a checkerboard", LumaImages.Fields(), LumaImages.Checkerboard(8) },
        { "two checkerboards of different cells", LumaImages.Checkerboard(4), LumaImages.Checkerboard(8) },
        { "harbour and its mirror image", LumaImages.Harbour(), LumaImages.Harbour().Mirrored() },
        { "harbour and its negative", LumaImages.Harbour(), LumaImages.Harbour().Inverted() },
    };

    [Theory]
    [MemberData(nameof(NearCopies))]
    public void A_lightly_altered_copy_hashes_close_to_its_original(string _, byte[] original, byte[] copy)
    {
        original.ShouldNotBe(copy);

        DctHash.Distance(DctHash.Compute(original), DctHash.Compute(copy)).ShouldBeLessThanOrEqualTo(Near);
    }

    [Theory]
    [MemberData(nameof(DifferentImages))]
    public void Structurally_different_images_hash_far_apart(string _, byte[] first, byte[] second) =>
        DctHash.Distance(DctHash.Compute(first), DctHash.Compute(second)).ShouldBeGreaterThanOrEqualTo(Far);

    [Fact]
    public void A_negative_differs_in_nearly_every_bit() =>
        DctHash.Distance(DctHash.Compute(LumaImages.Harbour()), DctHash.Compute(LumaImages.Harbour().Inverted()))
            .ShouldBeGreaterThanOrEqualTo(56);

    [Fact]
    public void The_same_pixels_always_give_the_same_hash()
    {
        var first = DctHash.Compute(LumaImages.Harbour());
        var second = DctHash.Compute(LumaImages.Harbour());

        second.ShouldBe(first);
        DctHash.Distance(first, second).ShouldBe(0);
    }

    [Fact]
    public void A_hash_of_a_structured_image_sets_about_half_its_bits()
    {
        var hash = DctHash.Compute(LumaImages.Harbour());

        System.Numerics.BitOperations.PopCount(hash).ShouldBeInRange(28, 36);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(32 * 32 - 1)]
    [InlineData(32 * 32 + 1)]
    [InlineData(64 * 64)]
    public void A_grid_of_the_wrong_size_is_refused(int length)
    {
        var exception = Should.Throw<ArgumentException>(() => DctHash.Compute(new byte[length]));

        exception.ParamName.ShouldBe("luma");
        exception.Message.ShouldContain($"Expected 1024 luminance samples, got {length}.");
    }

    [Theory]
    [InlineData(0UL, 0UL, 0)]
    [InlineData(0UL, ulong.MaxValue, 64)]
    [InlineData(0b1011UL, 0b0001UL, 2)]
    [InlineData(0x8000_0000_0000_0001UL, 0x0000_0000_0000_0001UL, 1)]
    [InlineData(0xF0F0_F0F0_F0F0_F0F0UL, 0x0F0F_0F0F_0F0F_0F0FUL, 64)]
    public void Distance_counts_the_differing_bits_either_way_round(ulong a, ulong b, int expected)
    {
        DctHash.Distance(a, b).ShouldBe(expected);
        DctHash.Distance(b, a).ShouldBe(expected);
    }

    [Fact]
    public void Distance_between_real_hashes_is_symmetric_and_zero_only_for_equal_hashes()
    {
        ulong[] hashes =
        [
            DctHash.Compute(LumaImages.Harbour()),
            DctHash.Compute(LumaImages.Fields()),
            DctHash.Compute(LumaImages.Checkerboard(4)),
            DctHash.Compute(LumaImages.Harbour().Mirrored()),
        ];

        foreach (var a in hashes)
            foreach (var b in hashes)
            {
                DctHash.Distance(a, b).ShouldBe(DctHash.Distance(b, a));
                (DctHash.Distance(a, b) == 0).ShouldBe(a == b);
            }
    }

    [Theory]
    [InlineData(0UL, "0000000000000000")]
    [InlineData(0xABUL, "00000000000000ab")]
    [InlineData(ulong.MaxValue, "ffffffffffffffff")]
    public void A_hash_prints_as_sixteen_lowercase_hex_digits(ulong hash, string expected) =>
        DctHash.ToHex(hash).ShouldBe(expected);
}
