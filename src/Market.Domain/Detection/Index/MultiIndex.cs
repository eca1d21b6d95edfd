using System.Numerics;
using System.Runtime.CompilerServices;

namespace Market.Domain.Detection.Index;

/// <summary>
/// Multi-index hashing (Norouzi, Punjani and Fleet) over an immutable array of hashes. The 256 bits are cut into
/// <see cref="Substrings"/> contiguous substrings, one lookup table per substring. If two hashes differ in at most r
/// bits, the differing bits are shared out among the m substrings, so at least one substring differs in at most
/// ⌊r/m⌋ bits (pigeonhole). A query therefore probes, in every table, the buckets of all keys within ⌊r/m⌋ bits
/// of its own substring and verifies each candidate with the full 256-bit distance: exact, no false negatives.
/// With m = 16 (16-bit substrings, 65,536 buckets a table) and r = 31 the radius is 1: 17 probes a table.
/// Tables are CSR arrays (bucket start offsets + positions) built by counting sort: compact, no per-bucket objects.
/// </summary>
public sealed class MultiIndex
{
    /// <summary>Beyond this per-substring radius the probes outnumber what a scan costs; callers scan instead.</summary>
    public const int MaxRadius = 2;

    private readonly int[] offsets;
    private readonly int[] widths;
    private readonly int[][] bucketStarts;
    private readonly int[][] positions;

    public int Substrings { get; }

    /// <summary>Bytes held by the tables (not the hashes).</summary>
    public long TableBytes { get; }

    /// <param name="hashes">Indexed by position; the caller must not change them afterwards.</param>
    /// <param name="substrings">m, from 12 (22-bit substrings) to 32 (8-bit).</param>
    public MultiIndex(ReadOnlyMemory<PdqHash> hashes, int substrings = 16)
    {
        if (substrings is < 12 or > 32)
            throw new ArgumentOutOfRangeException(nameof(substrings), "Multi-index hashing here uses 12 to 32 substrings.");
        Substrings = substrings;
        (offsets, widths) = Split(substrings);
        bucketStarts = new int[substrings][];
        positions = new int[substrings][];
        Parallel.For(0, substrings, t =>
        {
            var (o, w) = (offsets[t], widths[t]);
            var starts = new int[(1 << w) + 1];
            var copy = hashes.Span;
            var keys = new int[copy.Length];
            for (var i = 0; i < copy.Length; i++)
            {
                var key = (int)Extract(copy[i], o, w);
                keys[i] = key;
                starts[key + 1]++;
            }
            for (var b = 0; b < 1 << w; b++) starts[b + 1] += starts[b];
            var next = starts.AsSpan(0, 1 << w).ToArray();
            var slots = new int[copy.Length];
            // Positions go in ascending order within each bucket, which keeps verification reads moving forward.
            for (var i = 0; i < copy.Length; i++) slots[next[keys[i]]++] = i;
            bucketStarts[t] = starts;
            positions[t] = slots;
        });
        TableBytes = bucketStarts.Sum(s => 4L * s.Length) + positions.Sum(p => 4L * p.Length);
    }

    /// <summary>The per-substring radius a threshold needs: ⌊threshold / m⌋.</summary>
    public int RadiusFor(int threshold) => threshold / Substrings;

    /// <summary>Whether <see cref="Search"/> takes the threshold (else probing costs more than a scan).</summary>
    public bool Supports(int threshold) => threshold >= 0 && RadiusFor(threshold) <= MaxRadius;

    /// <summary>
    /// Appends (position, distance) once for every position of <paramref name="hashes"/> (the array the tables were
    /// built from) within <paramref name="threshold"/> of <paramref name="query"/>, in no particular order.
    /// </summary>
    public void Search(ReadOnlySpan<PdqHash> hashes, PdqHash query, int threshold, List<(int Position, int Distance)> into)
    {
        if (threshold < 0) return;
        var radius = RadiusFor(threshold);
        if (radius > MaxRadius)
            throw new ArgumentOutOfRangeException(nameof(threshold), $"Threshold {threshold} needs radius {radius}; scan instead.");
        Span<uint> queryKeys = stackalloc uint[Substrings];
        for (var t = 0; t < Substrings; t++) queryKeys[t] = Extract(query, offsets[t], widths[t]);

        for (var t = 0; t < Substrings; t++)
        {
            var w = widths[t];
            var key = queryKeys[t];
            Probe(hashes, query, threshold, radius, t, key, queryKeys, into);
            if (radius == 0) continue;
            for (var a = 0; a < w; a++)
            {
                var k1 = key ^ (1u << a);
                Probe(hashes, query, threshold, radius, t, k1, queryKeys, into);
                if (radius == 1) continue;
                for (var b = a + 1; b < w; b++)
                    Probe(hashes, query, threshold, radius, t, k1 ^ (1u << b), queryKeys, into);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Probe(ReadOnlySpan<PdqHash> hashes, PdqHash query, int threshold, int radius, int table, uint key,
        ReadOnlySpan<uint> queryKeys, List<(int, int)> into)
    {
        var starts = bucketStarts[table];
        var slots = positions[table];
        for (var s = starts[key]; s < starts[key + 1]; s++)
        {
            var position = slots[s];
            ref readonly var h = ref hashes[position];
            var d = Hamming.Distance(h, query);
            if (d > threshold) continue;
            // A match is found in every table where its substring is within the radius; report it only from the
            // first such table instead of de-duplicating through a set.
            if (FoundEarlier(h, table, radius, queryKeys)) continue;
            into.Add((position, d));
        }
    }

    private bool FoundEarlier(in PdqHash h, int table, int radius, ReadOnlySpan<uint> queryKeys)
    {
        for (var t = 0; t < table; t++)
            if (BitOperations.PopCount(Extract(h, offsets[t], widths[t]) ^ queryKeys[t]) <= radius) return true;
        return false;
    }

    /// <summary>Bit offsets and widths of m contiguous substrings; the first 256 mod m are one bit wider.</summary>
    private static (int[] Offsets, int[] Widths) Split(int m)
    {
        var offsets = new int[m];
        var widths = new int[m];
        var at = 0;
        for (var t = 0; t < m; t++)
        {
            widths[t] = PdqHash.Bits / m + (t < PdqHash.Bits % m ? 1 : 0);
            offsets[t] = at;
            at += widths[t];
        }
        return (offsets, widths);
    }

    /// <summary>Bits [offset, offset + width) of the 256-bit number, width ≤ 32; may straddle two words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Extract(in PdqHash h, int offset, int width)
    {
        var word = offset >> 6;
        var bit = offset & 63;
        var value = Word(h, word) >> bit;
        if (bit + width > 64) value |= Word(h, word + 1) << (64 - bit);
        return (uint)(value & ((1UL << width) - 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(in PdqHash h, int k) => k switch { 0 => h.W0, 1 => h.W1, 2 => h.W2, _ => h.W3 };
}
