namespace Market.Domain.Detection.Index;

/// <summary>Every pair within a threshold inside one set of hashes (bundle dedup, catalog-wide sweeps), on the CPU.</summary>
public static class AllPairs
{
    /// <summary>
    /// Rows are taken in blocks of this many: one block's hashes (2 KiB) stay in L1 while the rest of the array
    /// streams past once per block, so memory traffic is n²/64 hashes rather than n²/2.
    /// </summary>
    private const int RowBlock = 64;

    /// <summary>Pairs (i, j), i &lt; j, with distance ≤ threshold, sorted by i then j.</summary>
    public static IReadOnlyList<PairMatch> Cpu(ReadOnlySpan<PdqHash> hashes, int threshold)
    {
        if (threshold is < 0 or > PdqHash.Bits)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"A threshold is 0 to {PdqHash.Bits} bits.");
        var all = hashes.ToArray();
        var blocks = (all.Length + RowBlock - 1) / RowBlock;
        var parts = new List<PairMatch>?[blocks];
        // Early blocks have the most pairs (j runs from i + 1 to n): hand them out first, one at a time.
        Parallel.For(0, blocks, new ParallelOptions(), b =>
        {
            var from = b * RowBlock;
            var to = Math.Min(from + RowBlock, all.Length);
            List<PairMatch>? local = null;
            Span<PdqHash> rows = stackalloc PdqHash[RowBlock];
            all.AsSpan(from, to - from).CopyTo(rows);
            var rowCount = to - from;
            // Pairs inside the block.
            for (var i = 0; i < rowCount; i++)
                for (var j = i + 1; j < rowCount; j++)
                {
                    var d = Hamming.Distance(rows[i], rows[j]);
                    if (d <= threshold) (local ??= []).Add(new PairMatch(from + i, from + j, d));
                }
            // Every later hash against the block.
            for (var j = to; j < all.Length; j++)
            {
                var h = all[j];
                for (var i = 0; i < rowCount; i++)
                {
                    var d = Hamming.Distance(rows[i], h);
                    if (d <= threshold) (local ??= []).Add(new PairMatch(from + i, j, d));
                }
            }
            parts[b] = local;
        });
        var result = new List<PairMatch>();
        foreach (var part in parts)
            if (part is not null) result.AddRange(part);
        result.Sort();
        return result;
    }
}
