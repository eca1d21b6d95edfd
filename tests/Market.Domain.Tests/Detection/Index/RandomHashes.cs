using Market.Domain.Detection;

namespace Market.Domain.Tests.Detection.Index;

/// <summary>Seeded random catalogs with near neighbours planted at known distances.</summary>
internal static class RandomHashes
{
    public static PdqHash Next(Random random) =>
        new((ulong)random.NextInt64() ^ ((ulong)random.Next() << 40), (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40),
            (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40), (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40));

    /// <summary><paramref name="hash"/> with exactly <paramref name="distance"/> distinct bits flipped.</summary>
    public static PdqHash Flip(PdqHash hash, int distance, Random random)
    {
        var bits = Enumerable.Range(0, PdqHash.Bits).OrderBy(_ => random.Next()).Take(distance);
        var w = new[] { hash.W0, hash.W1, hash.W2, hash.W3 };
        foreach (var bit in bits) w[bit >> 6] ^= 1UL << (bit & 63);
        return new PdqHash(w[0], w[1], w[2], w[3]);
    }

    /// <summary>
    /// <paramref name="size"/> random hashes, and for each of <paramref name="queries"/> random queries a neighbour
    /// at every distance 0..40 (so the 31/32 edge is crossed), some planted twice under different ids.
    /// </summary>
    public static (List<(PdqHash Hash, int Id)> Entries, PdqHash[] Queries) Catalog(int seed, int size, int queries)
    {
        var random = new Random(seed);
        var entries = new List<(PdqHash, int)>();
        var id = 0;
        for (var i = 0; i < size; i++) entries.Add((Next(random), id++));
        var qs = new PdqHash[queries];
        for (var q = 0; q < queries; q++)
        {
            qs[q] = Next(random);
            for (var d = 0; d <= 40; d++)
            {
                var near = Flip(qs[q], d, random);
                entries.Add((near, id++));
                if (d % 7 == 0) entries.Add((near, id++)); // the same hash under a second id
            }
        }
        // Shuffle so planted entries are spread over base and delta and over buckets.
        return (entries.OrderBy(_ => random.Next()).ToList(), qs);
    }

    /// <summary>The definition: every id within the threshold, its nearest entry, nearest first then by id.</summary>
    public static List<(int Id, int Distance)> Naive(IEnumerable<(PdqHash Hash, int Id)> entries, PdqHash query, int threshold) =>
        entries.Select(e => (e.Id, Distance: e.Hash.DistanceTo(query)))
            .Where(m => m.Distance <= threshold)
            .GroupBy(m => m.Id, (id, ms) => (Id: id, Distance: ms.Min(m => m.Distance)))
            .OrderBy(m => m.Distance).ThenBy(m => m.Id)
            .ToList();
}
