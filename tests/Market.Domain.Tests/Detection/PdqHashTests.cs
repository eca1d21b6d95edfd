using Market.Domain.Detection;

namespace Market.Domain.Tests.Detection;

public sealed class PdqHashTests
{
    // The reference's hash of its bridge photo (tests/data/pdq-reference/expected/cpp-reference-pdq.csv).
    private const string Bridge = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";

    [Fact]
    public void Hex_text_round_trips_in_the_reference_order()
    {
        var hash = PdqHash.Parse(Bridge);
        hash.ToHex().ShouldBe(Bridge);
        hash.ToString().ShouldBe(Bridge);
        PdqHash.Parse(Bridge.ToUpperInvariant()).ShouldBe(hash);
        PdqHash.TryParse($"  {Bridge}\n", out var trimmed).ShouldBeTrue();
        trimmed.ShouldBe(hash);
        // The last two hex digits are row 0's lowest bits: 0x22 = 0b0010_0010, bits 1 and 5.
        hash[0].ShouldBeFalse();
        hash[1].ShouldBeTrue();
        hash[5].ShouldBeTrue();
        // The first digit is row 15's highest: 0xd = 0b1101.
        hash[255].ShouldBeTrue();
        hash[253].ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("d8f8")]
    [InlineData("0xd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b")]
    [InlineData("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b2")]
    [InlineData("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b222")]
    [InlineData("g8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")]
    [InlineData("d8f8f0cee0f4a84f 637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")]
    [InlineData("+8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")]
    public void Parsing_refuses_anything_but_64_hex_digits(string text)
    {
        PdqHash.TryParse(text, out var hash).ShouldBeFalse();
        hash.ShouldBe(PdqHash.Zero);
        Should.Throw<FormatException>(() => PdqHash.Parse(text));
    }

    [Fact]
    public void The_stored_bytes_round_trip_and_wrong_lengths_are_refused()
    {
        var hash = PdqHash.Parse(Bridge);
        var bytes = hash.ToBytes();
        bytes.Length.ShouldBe(32);
        PdqHash.FromBytes(bytes).ShouldBe(hash);
        Should.Throw<ArgumentException>(() => PdqHash.FromBytes(new byte[31]));
    }

    [Fact]
    public void Distance_is_a_metric_on_256_bits()
    {
        var random = new Random(11);
        PdqHash Next() => new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());
        var all = new PdqHash(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);
        for (var i = 0; i < 200; i++)
        {
            PdqHash a = Next(), b = Next(), c = Next();
            a.DistanceTo(a).ShouldBe(0);
            a.DistanceTo(b).ShouldBe(b.DistanceTo(a));
            PdqHash.Distance(a, b).ShouldBe(a.DistanceTo(b));
            a.DistanceTo(c).ShouldBeLessThanOrEqualTo(a.DistanceTo(b) + b.DistanceTo(c));
            var complement = new PdqHash(~a.W0, ~a.W1, ~a.W2, ~a.W3);
            a.DistanceTo(complement).ShouldBe(PdqHash.Bits);
            a.DistanceTo(PdqHash.Zero).ShouldBe(PdqHash.Bits - a.DistanceTo(all));
        }
    }

    [Fact]
    public void FromBits_sets_bit_k_at_row_k_over_16_column_k_mod_16()
    {
        var bits = new bool[PdqHash.Bits];
        bits[0] = bits[17] = bits[255] = true;
        var hash = PdqHash.FromBits(bits);
        hash.DistanceTo(PdqHash.Zero).ShouldBe(3);
        hash[17].ShouldBeTrue();
        hash.ToHex()[0].ShouldBe('8');
        hash.ToHex()[^1].ShouldBe('1');
        hash.ToHex()[^5].ShouldBe('2');
        Should.Throw<ArgumentException>(() => PdqHash.FromBits(new bool[255]));
    }
}
