using OpenCvSharp;

namespace Market.Web.Detection;

/// <summary>
/// A shortlist for local-feature verification that does not depend on PDQ: every catalog keypoint descriptor in
/// one matrix, each query descriptor matched to its two nearest there (Hamming), and an unambiguous nearest
/// (Lowe's ratio) votes for the image it belongs to. A copy rotated a few degrees or half covered by a watermark
/// still shares dozens of keypoints with its original although its hash moved far. Brute force: linear in the
/// catalog's keypoints (500 an image), which suits a CLI run or a test; the lead swaps in an LSH index for scale.
/// </summary>
internal sealed class KeypointVoting
{
    private const float Ratio = 0.8f;
    private const int MinimumVotes = 4;

    private readonly Mat? _all;
    private readonly int[] _owner;

    public KeypointVoting(IReadOnlyList<LocalFeatures?> entries)
    {
        var total = entries.Sum(e => e?.Count ?? 0);
        _owner = new int[total];
        if (total == 0) return;
        var bytes = new byte[total * LocalFeatures.DescriptorBytes];
        var row = 0;
        for (var e = 0; e < entries.Count; e++)
        {
            if (entries[e] is not { } f) continue;
            f.Descriptors.CopyTo(bytes, row * LocalFeatures.DescriptorBytes);
            Array.Fill(_owner, e, row, f.Count);
            row += f.Count;
        }
        _all = Mat.FromPixelData(total, LocalFeatures.DescriptorBytes, MatType.CV_8UC1, bytes);
    }

    /// <summary>The entries (by index) with the most votes, most first, at most <paramref name="take"/>.</summary>
    public List<(int Entry, int Votes)> Vote(LocalFeatures query, int take)
    {
        if (_all is null || query.Count == 0) return [];
        using var q = Mat.FromPixelData(query.Count, LocalFeatures.DescriptorBytes, MatType.CV_8UC1, query.Descriptors);
        using var matcher = new BFMatcher(NormTypes.Hamming);
        var votes = new Dictionary<int, int>();
        foreach (var pair in matcher.KnnMatch(q, _all, 2))
        {
            if (pair.Length < 2) continue;
            var owner = _owner[pair[0].TrainIdx];
            // Two nearest in the same image are no ambiguity about which image: a repeated texture, still a vote.
            if (pair[0].Distance >= Ratio * pair[1].Distance && _owner[pair[1].TrainIdx] != owner) continue;
            votes[owner] = votes.GetValueOrDefault(owner) + 1;
        }
        return votes.Where(v => v.Value >= MinimumVotes).OrderByDescending(v => v.Value).ThenBy(v => v.Key)
            .Take(take).Select(v => (v.Key, v.Value)).ToList();
    }
}
