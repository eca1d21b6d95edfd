using Market.Domain.Detection;
using Market.Domain.Detection.Index;

namespace Market.Web.Detection;

/// <summary>
/// The images a query is checked against, each under an id (a work id, a registry entry, a file path), and the two
/// stages that decide a match:
/// <list type="number">
/// <item>Hashes: any of the query's views and dihedral variants within <see cref="PdqHash.MatchThreshold"/> of any
/// of the entry's views, both of quality ≥ <see cref="PdqHash.MinimumQuality"/> (DESIGN.md's product rule).</item>
/// <item>Local features, for the edits PDQ cannot undo (a few degrees of rotation, a large watermark, a crop that
/// moved the hash too far, a low-quality hash): the <see cref="VerifiedCandidates"/> entries nearest by hash are
/// checked by <see cref="LocalFeatureVerifier"/>, when both sides have features.</item>
/// </list>
/// Adding is not thread-safe; once built, any number of threads may query.
/// </summary>
public sealed class DetectionCatalog
{
    /// <summary>How many of the nearest entries by hash distance stage 2 verifies.</summary>
    public const int VerifiedCandidates = 8;

    /// <summary>How many of the entries with most keypoint votes stage 2 verifies besides.</summary>
    public const int VotedCandidates = 6;

    private readonly List<(string Id, ImageFingerprint Fingerprint)> _entries = [];

    // The catalog side of every entry (each view in its original orientation; the query carries the dihedral
    // variants) in the match index, under its position in _hashOwners.
    private readonly HashIndex _index = new();
    private readonly List<(int Entry, TaggedHash Hash)> _hashOwners = [];
    private readonly Lock _votingLock = new();
    private KeypointVoting? _voting;

    public int Count => _entries.Count;

    public void Add(string id, ImageFingerprint fingerprint)
    {
        _entries.Add((id, fingerprint));
        var hashes = new List<PdqHash>();
        var ids = new List<int>();
        foreach (var h in fingerprint.Hashes)
        {
            if (h.Dihedral != 0) continue;
            ids.Add(_hashOwners.Count);
            hashes.Add(h.Hash);
            _hashOwners.Add((_entries.Count - 1, h));
        }
        _index.AddRange(hashes.ToArray(), ids.ToArray());
        _voting = null;
    }

    private KeypointVoting Voting()
    {
        lock (_votingLock) return _voting ??= new KeypointVoting(_entries.Select(e => e.Fingerprint.Features).ToList());
    }

    /// <summary>The best match: the nearest hash match, else the verified candidate with most inliers; null when none.</summary>
    public DetectionMatch? FindBest(ImageFingerprint query) => Find(query, all: false).FirstOrDefault();

    /// <summary>Every entry that matches, hash matches first (nearest first), then those verified by local features.</summary>
    public IReadOnlyList<DetectionMatch> FindAll(ImageFingerprint query) => Find(query, all: true);

    private List<DetectionMatch> Find(ImageFingerprint query, bool all)
    {
        var candidates = NearestByHash(query);
        var matches = new List<DetectionMatch>();
        foreach (var c in candidates)
        {
            if (c.UsableDistance > PdqHash.MatchThreshold) continue;
            matches.Add(new DetectionMatch(_entries[c.Entry].Id, c.UsableDistance, EditName(c.QueryHash, c.EntryHash)));
            if (!all) return matches;
        }
        if (query.Features is null) return matches;
        var verified = new List<DetectionMatch>();
        var shortlist = candidates.Take(VerifiedCandidates).Select(c => c.Entry)
            .Concat(Voting().Vote(query.Features, VotedCandidates).Select(v => v.Entry)).Distinct();
        foreach (var index in shortlist)
        {
            var entry = _entries[index];
            if (entry.Fingerprint.Features is null || matches.Any(m => m.EntryId == entry.Id)) continue;
            var verdict = LocalFeatureVerifier.Verify(query.Features, entry.Fingerprint.Features);
            if (verdict.Same)
                verified.Add(new DetectionMatch(entry.Id, null, FeatureEditName(verdict), verdict.Inliers));
        }
        matches.AddRange(verified.OrderByDescending(v => v.Inliers));
        return all ? matches : matches.Take(1).ToList();
    }

    /// <summary>An entry's nearest pair of hashes of any quality, and its nearest pair both of usable quality.</summary>
    private readonly record struct Candidate(int Entry, int Distance, int UsableDistance, TaggedHash QueryHash, TaggedHash EntryHash);

    /// <summary>
    /// Hashes further apart than this say nothing about two images (unrelated PDQ hashes sit about 128 bits apart, with
    /// a spread of 8), so an entry with no hash this near is no hash candidate; local features still find it by votes.
    /// </summary>
    public const int ShortlistDistance = 80;

    /// <summary>
    /// Every entry with a hash within <see cref="ShortlistDistance"/> of one of the query's, nearest first, from the
    /// match index (brute-force popcount scan, or multi-index hashing for the threshold-31 searches of a large catalog).
    /// </summary>
    private List<Candidate> NearestByHash(ImageFingerprint query)
    {
        var best = new Dictionary<int, (int Any, int Usable, TaggedHash Query, TaggedHash Entry)>();
        foreach (var qh in query.Hashes)
        {
            // Regions and the lightness grey are catalog-side views: a query meets them with its own whole image.
            if (qh.View is HashView.Region or HashView.Grey) continue;
            foreach (var hit in _index.Search(qh.Hash, ShortlistDistance))
            {
                var (entry, eh) = _hashOwners[hit.Id];
                var seen = best.TryGetValue(entry, out var b) ? b : (int.MaxValue, int.MaxValue, default, default);
                var any = Math.Min(seen.Item1, hit.Distance);
                var (usable, bq, be) = hit.Distance < seen.Item2 && qh.Usable && eh.Usable ? (hit.Distance, qh, eh) : (seen.Item2, seen.Item3, seen.Item4);
                best[entry] = (any, usable, bq, be);
            }
        }
        var result = best.Select(kv => new Candidate(kv.Key, kv.Value.Any, kv.Value.Usable, kv.Value.Query, kv.Value.Entry)).ToList();
        // Hash matches first (nearest first), then the rest by their nearest pair of any quality; ties by entry order.
        static int Rank(Candidate c) => c.UsableDistance <= PdqHash.MatchThreshold ? c.UsableDistance : PdqHash.Bits + c.Distance;
        result.Sort((a, b) => Rank(a) != Rank(b) ? Rank(a).CompareTo(Rank(b)) : a.Entry.CompareTo(b.Entry));
        return result;
    }

    private static readonly string[] DihedralNames =
                // Indexed by PdqTransform, the turn that undoes the copy's edit: undoing by 90° counter-clockwise means the
        // copy was turned 90° clockwise.
        ["", "rotated 90° clockwise", "rotated 180°", "rotated 90° counter-clockwise", "flipped upside down", "mirrored",
            "transposed", "anti-transposed"];

    private static string EditName(TaggedHash query, TaggedHash entry)
    {
        var parts = new List<string>();
        if (query.View == HashView.Trimmed && entry.View != HashView.Trimmed) parts.Add("border");
        if (entry.View == HashView.Region) parts.Add("cropped");
        if (entry.View == HashView.Grey) parts.Add("grayscale");
        if (DihedralNames[query.Dihedral] is { Length: > 0 } d) parts.Add(d);
        return parts.Count == 0 ? "near-identical" : string.Join(" + ", parts);
    }

    private static string FeatureEditName(LocalFeatureVerifier.Verdict v)
    {
        var rotation = Math.Round(v.RotationDegrees);
        var parts = new List<string> { "local features" };
        if (Math.Abs(rotation) >= 1) parts.Add($"rotated {rotation:0}°");
        if (Math.Abs(v.Scale - 1) >= 0.1) parts.Add($"scaled {1 / v.Scale:0.##}×");
        return string.Join(" + ", parts);
    }
}
