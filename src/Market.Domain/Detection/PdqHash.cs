using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Market.Domain.Detection;

/// <summary>
/// A 256-bit PDQ hash as four 64-bit words. Bit k (k = 16·row + col of the 16×16 DCT block) lives in word k / 64 at
/// position k % 64, which is exactly the reference's printed form read as one big-endian 256-bit integer: the hex
/// text is <see cref="W3"/>, <see cref="W2"/>, <see cref="W1"/>, <see cref="W0"/>. Keeping the words in that order
/// lets hashes computed by the reference tool (a rights holder's own machine) and by us be compared as they are.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct PdqHash(ulong W0, ulong W1, ulong W2, ulong W3)
{
    public const int Bits = 256;
    public const int HexLength = 64;

    /// <summary>The reference's recommended match threshold: distance ≤ 31 of 256 bits.</summary>
    public const int MatchThreshold = 31;

    /// <summary>The reference's advice: hashes of quality below 50 are too unstable to match on.</summary>
    public const int MinimumQuality = 50;

    public static PdqHash Zero => default;

    public bool this[int bit] => bit switch
    {
        < 0 or >= Bits => throw new ArgumentOutOfRangeException(nameof(bit)),
        < 64 => ((W0 >> bit) & 1) != 0,
        < 128 => ((W1 >> (bit - 64)) & 1) != 0,
        < 192 => ((W2 >> (bit - 128)) & 1) != 0,
        _ => ((W3 >> (bit - 192)) & 1) != 0,
    };

    /// <summary>Hamming distance: how many of the 256 bits differ.</summary>
    public int DistanceTo(PdqHash other) =>
        BitOperations.PopCount(W0 ^ other.W0) + BitOperations.PopCount(W1 ^ other.W1) +
        BitOperations.PopCount(W2 ^ other.W2) + BitOperations.PopCount(W3 ^ other.W3);

    public static int Distance(PdqHash a, PdqHash b) => a.DistanceTo(b);

    /// <summary>Builds a hash from the bit predicate the DCT step computes, bit k for k in 0..255.</summary>
    public static PdqHash FromBits(ReadOnlySpan<bool> bits)
    {
        if (bits.Length != Bits) throw new ArgumentException($"A PDQ hash has {Bits} bits, not {bits.Length}.", nameof(bits));
        Span<ulong> w = stackalloc ulong[4];
        for (var k = 0; k < Bits; k++)
            if (bits[k]) w[k >> 6] |= 1UL << (k & 63);
        return new PdqHash(w[0], w[1], w[2], w[3]);
    }

    /// <summary>64 lowercase hex digits, as the reference prints a hash.</summary>
    public string ToHex() => string.Create(HexLength, this, static (span, h) =>
    {
        h.W3.TryFormat(span[..16], out _, "x16", CultureInfo.InvariantCulture);
        h.W2.TryFormat(span[16..32], out _, "x16", CultureInfo.InvariantCulture);
        h.W1.TryFormat(span[32..48], out _, "x16", CultureInfo.InvariantCulture);
        h.W0.TryFormat(span[48..], out _, "x16", CultureInfo.InvariantCulture);
    });

    public override string ToString() => ToHex();

    /// <summary>Reads 64 hex digits (either case, surrounding white space allowed); false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out PdqHash hash)
    {
        hash = default;
        text = text.Trim();
        if (text.Length != HexLength) return false;
        foreach (var c in text)
            if (!char.IsAsciiHexDigit(c)) return false;
        const NumberStyles hex = NumberStyles.AllowHexSpecifier;
        var ok = ulong.TryParse(text[..16], hex, CultureInfo.InvariantCulture, out var w3)
                 & ulong.TryParse(text[16..32], hex, CultureInfo.InvariantCulture, out var w2)
                 & ulong.TryParse(text[32..48], hex, CultureInfo.InvariantCulture, out var w1)
                 & ulong.TryParse(text[48..], hex, CultureInfo.InvariantCulture, out var w0);
        if (!ok) return false;
        hash = new PdqHash(w0, w1, w2, w3);
        return true;
    }

    public static PdqHash Parse(string text) =>
        TryParse(text, out var hash) ? hash : throw new FormatException("A PDQ hash is 64 hexadecimal digits.");

    /// <summary>The 32 bytes, least significant word first, each word little-endian: the stored (bytea) form.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[32];
        MemoryMarshal.Write(bytes.AsSpan(0, 8), W0);
        MemoryMarshal.Write(bytes.AsSpan(8, 8), W1);
        MemoryMarshal.Write(bytes.AsSpan(16, 8), W2);
        MemoryMarshal.Write(bytes.AsSpan(24, 8), W3);
        return bytes;
    }

    public static PdqHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32) throw new ArgumentException($"A PDQ hash is 32 bytes, not {bytes.Length}.", nameof(bytes));
        return new PdqHash(
            MemoryMarshal.Read<ulong>(bytes[..8]), MemoryMarshal.Read<ulong>(bytes[8..16]),
            MemoryMarshal.Read<ulong>(bytes[16..24]), MemoryMarshal.Read<ulong>(bytes[24..]));
    }
}
