using Market.Domain.Detection;

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
    private readonly Lock _votingLock = new();
    private KeypointVoting? _voting;

    public int Count => _entries.Count;

    public void Add(string id, ImageFingerprint fingerprint)
    {
        _entries.Add((id, fingerprint));
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
    /// Every entry's nearest hashes to the query, nearest first: the one place a match index (multi-index hashing,
    /// GPU) replaces this brute-force scan.
    /// </summary>
    private List<Candidate> NearestByHash(ImageFingerprint query)
    {
        var result = new List<Candidate>(_entries.Count);
        for (var e = 0; e < _entries.Count; e++)
        {
            int any = int.MaxValue, usable = int.MaxValue;
            TaggedHash bestQuery = default, bestEntry = default;
            foreach (var eh in _entries[e].Fingerprint.Hashes)
            {
                // Catalog side: every view, original orientation; the query side carries the dihedral variants.
                if (eh.Dihedral != 0) continue;
                foreach (var qh in query.Hashes)
                {
                    if (qh.View == HashView.Region) continue;
                    var d = qh.Hash.DistanceTo(eh.Hash);
                    any = Math.Min(any, d);
                    if (d < usable && qh.Usable && eh.Usable)
                        (usable, bestQuery, bestEntry) = (d, qh, eh);
                }
            }
            if (any != int.MaxValue) result.Add(new Candidate(e, any, usable, bestQuery, bestEntry));
        }
        // Hash matches first (nearest first), then the rest by their nearest pair of any quality.
        static int Rank(Candidate c) => c.UsableDistance <= PdqHash.MatchThreshold ? c.UsableDistance : PdqHash.Bits + c.Distance;
        result.Sort((a, b) => Rank(a).CompareTo(Rank(b)));
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
