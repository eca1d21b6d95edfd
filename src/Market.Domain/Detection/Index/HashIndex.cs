using System.Collections.Immutable;

namespace Market.Domain.Detection.Index;

/// <summary>
/// The match index: entries (PDQ hash, the caller's int id), searched for every entry within a Hamming threshold of
/// a query. The web layer holds one for the whole catalog (works and registry entries, each variant its own id), so
/// it is built for many concurrent readers and a trickle of writes as works are listed and delisted:
/// <list type="bullet">
/// <item>Readers never lock. Every search reads one immutable <see cref="Snapshot"/> reference and works on it; a
/// write publishes a new snapshot with one reference store, so a reader sees a whole write or none of it.</item>
/// <item>The snapshot is a compacted <em>base</em> (contiguous hashes, ids, multi-index tables) plus a small
/// <em>delta</em> of recent additions that are scanned, plus tombstones for removed entries. Rebuilding the tables
/// on every addition would cost O(n); instead the delta is folded in (and tombstoned entries dropped) by a
/// compaction once it passes <see cref="DeltaLimit"/> entries or the tombstones pass an eighth of the index.</item>
/// <item>The delta arrays are shared between snapshots: a writer only appends past the count older snapshots know
/// of, and copies when they are full, so an addition is amortised O(1) and never disturbs a reader.</item>
/// <item>Writers serialise on one lock; a compaction runs under it (seconds at 10M entries) while readers carry
/// on with the previous snapshot.</item>
/// </list>
/// Results hold one match per id (its nearest entry, should an id have been added with several hashes), nearest
/// first, then by id. Several ids may share a hash.
/// </summary>
public sealed class HashIndex
{
    private readonly Lock gate = new();
    private Snapshot current;

    /// <param name="substrings">
    /// Multi-index substrings m (see <see cref="MultiIndex"/>), 12 to 32; 0 (the default) chooses at each compaction
    /// from the entry count (<see cref="SubstringsFor"/>).
    /// </param>
    /// <param name="minimumIndexedCount">Below this many entries no tables are built: a scan is as quick.</param>
    /// <param name="deltaLimit">Additions scanned beside the tables before a compaction folds them in.</param>
    public HashIndex(int substrings = 0, int minimumIndexedCount = 4096, int deltaLimit = 65_536)
    {
        if (substrings != 0 && substrings is < 12 or > 32)
            throw new ArgumentOutOfRangeException(nameof(substrings), "Use 12 to 32 substrings, or 0 to choose by size.");
        ArgumentOutOfRangeException.ThrowIfNegative(minimumIndexedCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(deltaLimit);
        Substrings = substrings;
        MinimumIndexedCount = minimumIndexedCount;
        DeltaLimit = deltaLimit;
        current = Snapshot.Empty;
    }

    /// <summary>As configured: 0 means chosen by size.</summary>
    public int Substrings { get; }

    /// <summary>The substring count of the current tables (0 when there are none).</summary>
    public int TableSubstrings => Volatile.Read(ref current).Tables?.Substrings ?? 0;

    /// <summary>
    /// Substrings about log₂ n bits wide, as the multi-index hashing paper advises: a bucket then holds about one
    /// entry, so probes stay cheap and few candidates need verifying. Measured on random hashes at threshold 31
    /// (README of tests/Market.Benchmarks): at 10M entries m = 12 (radius 2, 21–22-bit keys) answers in a fifth of
    /// the time of m = 16 (radius 1, 16-bit keys, ~150 entries a bucket) for about the same memory; at 1M the
    /// choices from 12 to 16 were within the (heavy) noise, and this gives 13.
    /// Not below 12: wider keys would need bucket arrays of 2²³ and more per table.
    /// </summary>
    public static int SubstringsFor(int count) =>
        count < 2 ? 32 : Math.Clamp((int)Math.Ceiling(PdqHash.Bits / Math.Log2(count)), 12, 32);
    public int MinimumIndexedCount { get; }
    public int DeltaLimit { get; }

    /// <summary>Live entries.</summary>
    public int Count => Volatile.Read(ref current).LiveCount;

    /// <summary>Bytes of hashes, ids and tables in the current snapshot (an estimate of the managed memory held).</summary>
    public long ApproximateBytes
    {
        get
        {
            var s = Volatile.Read(ref current);
            return s.BaseHashes.LongLength * 32 + s.BaseIds.LongLength * 8 + (s.Tables?.TableBytes ?? 0)
                   + s.DeltaHashes.LongLength * 36;
        }
    }

    public void Add(PdqHash hash, int id) => AddRange([hash], [id]);

    /// <summary>Adds many entries with one compaction at most (the start-up load of the catalog).</summary>
    public void AddRange(ReadOnlySpan<PdqHash> hashes, ReadOnlySpan<int> ids)
    {
        if (hashes.Length != ids.Length) throw new ArgumentException("Give one id for every hash.", nameof(ids));
        if (hashes.IsEmpty) return;
        lock (gate)
        {
            var s = current;
            var (deltaHashes, deltaIds) = (s.DeltaHashes, s.DeltaIds);
            var count = s.DeltaCount + hashes.Length;
            if (count > deltaHashes.Length)
            {
                // Older snapshots keep the old arrays; only this and later snapshots see the copies.
                var capacity = Math.Max(count, Math.Max(256, deltaHashes.Length * 2));
                deltaHashes = deltaHashes.AsSpan(0, s.DeltaCount).ToArray();
                Array.Resize(ref deltaHashes, capacity);
                deltaIds = deltaIds.AsSpan(0, s.DeltaCount).ToArray();
                Array.Resize(ref deltaIds, capacity);
            }
            hashes.CopyTo(deltaHashes.AsSpan(s.DeltaCount));
            ids.CopyTo(deltaIds.AsSpan(s.DeltaCount));
            Publish(s with { DeltaHashes = deltaHashes, DeltaIds = deltaIds, DeltaCount = count });
        }
    }

    /// <summary>Removes every entry with this id; returns how many there were (0 for an unknown id).</summary>
    public int Remove(int id)
    {
        lock (gate)
        {
            var s = current;
            var removed = s.Removed.ToBuilder();
            // The base's positions sorted by id: binary search to the first of this id, then walk.
            var byId = s.BaseByIdPositions;
            int lo = 0, hi = byId.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (s.BaseIds[byId[mid]] < id) lo = mid + 1; else hi = mid;
            }
            var found = 0;
            for (var k = lo; k < byId.Length && s.BaseIds[byId[k]] == id; k++)
                if (removed.Add(byId[k])) found++;
            for (var i = 0; i < s.DeltaCount; i++)
                if (s.DeltaIds[i] == id && removed.Add(s.BaseHashes.Length + i)) found++;
            if (found == 0) return 0;
            Publish(s with { Removed = removed.ToImmutable() });
            return found;
        }
    }

    /// <summary>Folds the delta into the base, drops removed entries and rebuilds the tables.</summary>
    public void Compact()
    {
        lock (gate) current = Compacted(current);
    }

    /// <summary>Every live entry within <paramref name="threshold"/> bits of <paramref name="query"/>.</summary>
    /// <param name="threshold">0 to 256; <see cref="PdqHash.MatchThreshold"/> (31) is the reference's advice.</param>
    public IReadOnlyList<IndexMatch> Search(PdqHash query, int threshold, SearchPath path = SearchPath.Auto)
    {
        ValidateThreshold(threshold);
        var s = Volatile.Read(ref current);
        List<(int Position, int Distance)> raw;
        if (path != SearchPath.BruteForce && s.Tables is { } tables && tables.Supports(threshold))
        {
            raw = [];
            tables.Search(s.BaseHashes, query, threshold, raw);
        }
        else
            raw = Hamming.ScanParallel(s.BaseHashes, query, threshold);
        Hamming.Scan(s.DeltaHashes.AsSpan(0, s.DeltaCount), query, threshold, raw, s.BaseHashes.Length);
        return s.ToMatches(raw);
    }

    /// <summary>
    /// Searches many queries at once on the GPU matcher (CUDA when present): one list per query, identical to what
    /// <see cref="Search"/> returns for it.
    /// </summary>
    public IReadOnlyList<IndexMatch>[] SearchBatch(ReadOnlySpan<PdqHash> queries, int threshold, GpuMatcher gpu)
    {
        ValidateThreshold(threshold);
        ArgumentNullException.ThrowIfNull(gpu);
        var s = Volatile.Read(ref current);
        // Tombstoned entries are compared too and filtered after: cheaper than copying the live ones out.
        var all = new PdqHash[s.BaseHashes.Length + s.DeltaCount];
        s.BaseHashes.CopyTo(all, 0);
        s.DeltaHashes.AsSpan(0, s.DeltaCount).CopyTo(all.AsSpan(s.BaseHashes.Length));
        var perQuery = new List<(int, int)>[queries.Length];
        for (var q = 0; q < perQuery.Length; q++) perQuery[q] = [];
        foreach (var pair in gpu.Search(queries, all, threshold)) perQuery[pair.First].Add((pair.Second, pair.Distance));
        var result = new IReadOnlyList<IndexMatch>[queries.Length];
        for (var q = 0; q < result.Length; q++) result[q] = s.ToMatches(perQuery[q]);
        return result;
    }

    /// <summary>The live entries, as (hashes, ids) of equal length: for all-pairs work over the whole catalog.</summary>
    public (PdqHash[] Hashes, int[] Ids) Entries()
    {
        var s = Volatile.Read(ref current);
        var hashes = new List<PdqHash>(s.LiveCount);
        var ids = new List<int>(s.LiveCount);
        s.ForEachLive((h, id) => { hashes.Add(h); ids.Add(id); });
        return (hashes.ToArray(), ids.ToArray());
    }

    private static void ValidateThreshold(int threshold)
    {
        if (threshold is < 0 or > PdqHash.Bits)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"A threshold is 0 to {PdqHash.Bits} bits.");
    }

    private void Publish(Snapshot next)
    {
        var total = next.BaseHashes.Length + next.DeltaCount;
        if (next.DeltaCount > DeltaLimit || next.Removed.Count > Math.Max(4096, total / 8))
            next = Compacted(next);
        Volatile.Write(ref current, next);
    }

    private Snapshot Compacted(Snapshot s)
    {
        var hashes = new PdqHash[s.LiveCount];
        var ids = new int[s.LiveCount];
        var n = 0;
        s.ForEachLive((h, id) => { hashes[n] = h; ids[n] = id; n++; });
        var byId = new int[n];
        for (var i = 0; i < n; i++) byId[i] = i;
        // Remove binary-searches this for an id and walks its neighbours; the order among equal ids is irrelevant.
        Array.Sort(ids.ToArray(), byId);
        var tables = n >= MinimumIndexedCount && n > 0 ? new MultiIndex(hashes, Substrings != 0 ? Substrings : SubstringsFor(n)) : null;
        return new Snapshot
        {
            BaseHashes = hashes, BaseIds = ids, BaseByIdPositions = byId, Tables = tables,
            DeltaHashes = [], DeltaIds = [], DeltaCount = 0, Removed = [],
        };
    }

    private sealed record Snapshot
    {
        public static readonly Snapshot Empty = new()
        {
            BaseHashes = [], BaseIds = [], BaseByIdPositions = [], Tables = null,
            DeltaHashes = [], DeltaIds = [], DeltaCount = 0, Removed = [],
        };

        public required PdqHash[] BaseHashes { get; init; }
        public required int[] BaseIds { get; init; }
        public required int[] BaseByIdPositions { get; init; }
        public required MultiIndex? Tables { get; init; }

        /// <summary>Shared with other snapshots; only [0, DeltaCount) belongs to this one.</summary>
        public required PdqHash[] DeltaHashes { get; init; }
        public required int[] DeltaIds { get; init; }
        public required int DeltaCount { get; init; }

        /// <summary>Removed positions: base i, delta BaseHashes.Length + i.</summary>
        public required ImmutableHashSet<int> Removed { get; init; }

        public int LiveCount => BaseHashes.Length + DeltaCount - Removed.Count;

        public int IdAt(int position) =>
            position < BaseIds.Length ? BaseIds[position] : DeltaIds[position - BaseIds.Length];

        public void ForEachLive(Action<PdqHash, int> action)
        {
            for (var i = 0; i < BaseHashes.Length; i++)
                if (Removed.Count == 0 || !Removed.Contains(i)) action(BaseHashes[i], BaseIds[i]);
            for (var i = 0; i < DeltaCount; i++)
                if (Removed.Count == 0 || !Removed.Contains(BaseHashes.Length + i)) action(DeltaHashes[i], DeltaIds[i]);
        }

        /// <summary>Drops removed positions, keeps each id's nearest entry, sorts nearest first then by id.</summary>
        public IReadOnlyList<IndexMatch> ToMatches(List<(int Position, int Distance)> raw)
        {
            if (raw.Count == 0) return [];
            var matches = new List<IndexMatch>(raw.Count);
            foreach (var (position, distance) in raw)
                if (Removed.Count == 0 || !Removed.Contains(position)) matches.Add(new IndexMatch(IdAt(position), distance));
            matches.Sort();
            // Sorted by distance first, so an id's first occurrence is its nearest.
            if (matches.Count > 1)
            {
                var seen = new HashSet<int>();
                matches.RemoveAll(m => !seen.Add(m.Id));
            }
            return matches;
        }
    }
}
