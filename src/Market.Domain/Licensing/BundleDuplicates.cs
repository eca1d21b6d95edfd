using Market.Domain.Detection;

namespace Market.Domain.Licensing;

/// <summary>One work of a bundle with its stored perceptual hash (null or not PDQ: it takes no part).</summary>
public sealed record HashedItem(Guid WorkId, string? PerceptualHash);

/// <summary>A set of near-duplicate works, in the bundle's order; <see cref="MaxDistance"/> is the largest pair distance that joined it.</summary>
public sealed record DuplicateGroup(IReadOnlyList<Guid> WorkIds, int MaxDistance)
{
    /// <summary>The work kept by "remove duplicates": the first one the buyer added.</summary>
    public Guid Keep => WorkIds[0];
    public IEnumerable<Guid> Remove => WorkIds.Skip(1);
}

/// <summary>
/// Near-duplicates inside a bundle. Training on the same image twice makes a model more likely to memorise it,
/// so the buyer is shown them before paying. Near-duplicate is transitive here on purpose (union-find over every
/// pair within the threshold): if A is near B and B near C, all three are one group, because keeping A and C
/// would still put two near-copies of B's picture in the data.
/// </summary>
public static class BundleDuplicates
{
    /// <param name="items">In the bundle's order (first added first): that order decides which work each group keeps.</param>
    public static IReadOnlyList<DuplicateGroup> Find(IReadOnlyList<HashedItem> items, int threshold = PdqHash.MatchThreshold)
    {
        var hashed = new List<(Guid Id, PdqHash Hash)>();
        var seen = new HashSet<Guid>();
        foreach (var item in items)
            // Hashes that are not PDQ (the old 16-hex placeholder, or none yet) cannot be compared; they are ignored.
            if (item.PerceptualHash is { } text && PdqHash.TryParse(text, out var hash) && seen.Add(item.WorkId))
                hashed.Add((item.WorkId, hash));

        var parent = Enumerable.Range(0, hashed.Count).ToArray();
        int Root(int i)
        {
            while (parent[i] != i) i = parent[i] = parent[parent[i]];
            return i;
        }
        var maxDistance = new Dictionary<int, int>();
        // All pairs: a bundle of 10,000 works is 50 million popcounts, well under a second; an index would only pay
        // for itself beyond that, and bundles are capped at Bundle.MaxItems.
        var edges = new List<(int A, int B, int Distance)>();
        for (var a = 0; a < hashed.Count; a++)
        for (var b = a + 1; b < hashed.Count; b++)
        {
            var d = hashed[a].Hash.DistanceTo(hashed[b].Hash);
            if (d > threshold) continue;
            edges.Add((a, b, d));
            var (ra, rb) = (Root(a), Root(b));
            // The earlier item's root wins, so a group's root is always its first-added member.
            if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
        foreach (var (a, _, d) in edges)
        {
            var r = Root(a);
            maxDistance[r] = Math.Max(maxDistance.GetValueOrDefault(r), d);
        }
        return Enumerable.Range(0, hashed.Count)
            .GroupBy(Root)
            .Where(g => g.Count() > 1)
            .OrderBy(g => g.Key)
            .Select(g => new DuplicateGroup(g.OrderBy(i => i).Select(i => hashed[i].Id).ToList(), maxDistance[g.Key]))
            .ToList();
    }
}
