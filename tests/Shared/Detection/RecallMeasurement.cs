using System.Collections.Concurrent;
using System.Diagnostics;
using Market.Domain.Detection;
using Market.Web.Detection;

namespace Market.Tests.Shared.Detection;

/// <summary>Recall of one edit: how many edited copies found their original, by plain PDQ and by our pipeline.</summary>
public sealed record EditRecall(CopyEdit Edit, int Copies, int PlainPdqFound, int PipelineFound, int PipelineWrong, int ByLocalFeatures)
{
    public double PlainRecall => (double)PlainPdqFound / Copies;
    public double PipelineRecall => (double)PipelineFound / Copies;
}

public sealed record RecallReport(
    int Originals, IReadOnlyList<EditRecall> Edits, int OriginalPairs, int PlainFalsePairs, int PipelineFalsePairs,
    double FingerprintMs, double QueryMs, IReadOnlyList<string> Misses);

/// <summary>
/// Measures detection on a test set: every original goes into one <see cref="DetectionCatalog"/>, every edited copy
/// is a query. Plain PDQ is the reference's rule alone: the copy's whole-image hash within 31 of its original's,
/// both of quality ≥ 50. False pairs: pairs of different originals that match (each original queried against the
/// catalog, itself ignored); wrong matches: an edited copy that also matched another original.
/// </summary>
public static class RecallMeasurement
{
    public static RecallReport Run(IReadOnlyList<byte[]> originals, IReadOnlyList<CopyEdit> edits)
    {
        var fingerprintWatch = Stopwatch.StartNew();
        var prints = new ImageFingerprint[originals.Count];
        Parallel.For(0, originals.Count, i => prints[i] = DetectionPipeline.Fingerprint(originals[i]));
        var catalog = new DetectionCatalog();
        for (var i = 0; i < prints.Length; i++) catalog.Add(i.ToString(), prints[i]);
        var fingerprintMs = fingerprintWatch.Elapsed.TotalMilliseconds * Environment.ProcessorCount / originals.Count;

        var falsePairs = new ConcurrentDictionary<(int, int), bool>();
        Parallel.For(0, prints.Length, i =>
        {
            foreach (var m in catalog.FindAll(prints[i]))
            {
                var j = int.Parse(m.EntryId);
                if (j != i) falsePairs[(Math.Min(i, j), Math.Max(i, j))] = true;
            }
        });
        var plainFalse = 0;
        for (var i = 0; i < prints.Length; i++)
            for (var j = i + 1; j < prints.Length; j++)
                if (PlainMatch(prints[i], prints[j])) plainFalse++;

        var misses = new ConcurrentBag<string>();
        var rows = new List<EditRecall>();
        var queryWatch = Stopwatch.StartNew();
        foreach (var edit in edits)
        {
            int plain = 0, found = 0, wrong = 0, byFeatures = 0;
            Parallel.For(0, originals.Count, i =>
            {
                var query = DetectionPipeline.Fingerprint(DetectionTestSet.Apply(originals[i], edit, i));
                if (PlainMatch(query, prints[i])) Interlocked.Increment(ref plain);
                var all = catalog.FindAll(query);
                var best = all.FirstOrDefault();
                if (best?.EntryId == i.ToString())
                {
                    Interlocked.Increment(ref found);
                    if (best.Distance is null) Interlocked.Increment(ref byFeatures);
                }
                else misses.Add($"{edit} #{i}: best {best?.EntryId ?? "none"} ({best?.Edit}), quality {query.Quality}/{prints[i].Quality}");
                if (all.Any(m => m.EntryId != i.ToString())) Interlocked.Increment(ref wrong);
            });
            rows.Add(new EditRecall(edit, originals.Count, plain, found, wrong, byFeatures));
        }
        var queryMs = queryWatch.Elapsed.TotalMilliseconds * Environment.ProcessorCount / (originals.Count * edits.Count);
        return new RecallReport(originals.Count, rows, originals.Count * (originals.Count - 1) / 2, plainFalse,
            falsePairs.Count, fingerprintMs, queryMs, misses.Order(StringComparer.Ordinal).ToList());
    }

    private static bool PlainMatch(ImageFingerprint a, ImageFingerprint b)
    {
        var x = a.Hashes.First(h => h.View == HashView.Whole && h.Dihedral == 0);
        var y = b.Hashes.First(h => h.View == HashView.Whole && h.Dihedral == 0);
        return x.Usable && y.Usable && x.Hash.DistanceTo(y.Hash) <= PdqHash.MatchThreshold;
    }

    /// <summary>The report as a Markdown table, one row per edit, then the false pairs and timings.</summary>
    public static string Format(RecallReport r)
    {
        var lines = new List<string>
        {
            $"{r.Originals} originals, {r.Originals * r.Edits.Count} edited copies",
            "",
            "| edit | copies | plain PDQ recall | pipeline recall | of which by local features | copies also matching another original |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        };
        foreach (var e in r.Edits)
            lines.Add($"| {e.Edit} | {e.Copies} | {e.PlainRecall:P1} | {e.PipelineRecall:P1} | {e.ByLocalFeatures} | {e.PipelineWrong} |");
        lines.Add("");
        lines.Add($"false matches among {r.OriginalPairs} pairs of different originals: plain PDQ {r.PlainFalsePairs}, pipeline {r.PipelineFalsePairs}");
        lines.Add($"time per image (one core): fingerprint {r.FingerprintMs:F1} ms, edit + fingerprint + search {r.QueryMs:F1} ms");
        return string.Join(Environment.NewLine, lines);
    }
}
