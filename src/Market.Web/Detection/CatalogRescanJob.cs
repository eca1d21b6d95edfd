using Hangfire;
using Market.Domain.Catalog;
using Market.Domain.Detection;
using Market.Domain.Detection.Index;
using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Features.Moderation;
using Market.Web.Jobs;
using Market.Web.Mediation;
using MediatR;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Detection;

/// <summary>
/// Looks again at works already listed, on queue <c>gpu</c>. The upload scan only compares an upload with what
/// existed at that moment; a registry entry added later, or an older copy found later, needs the catalog compared
/// with itself. Two passes:
/// <list type="bullet">
/// <item><see cref="RunNightlyAsync"/>: every catalog hash (whole, trimmed and region views of every fingerprint)
/// against every other, all pairs within the match threshold, on the GPU matcher (CUDA on a GPU worker, ILGPU's CPU
/// accelerator elsewhere). Hashes only: local features are for single uploads, where the few candidates are cheap.</item>
/// <item><see cref="RecheckCreatorAsync"/>: after an upheld theft claim, each of that creator's listed works under the
/// full pipeline, local features included, as if uploaded now.</item>
/// </list>
/// A listed work that matches another account's work uploaded earlier, or a registry entry, is quarantined with a
/// review case, as the upload scan would have done; a pair already under review is left alone, so reruns are safe.
/// </summary>
public sealed class CatalogRescanJob(MarketDb db, CatalogDetection detection, GpuMatchers gpu, IMediator mediator, ILogger<CatalogRescanJob> log)
{
    public const string RecurringJobId = "catalog-rescan";

    [Queue(JobQueues.Gpu)]
    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> RunNightlyAsync(CancellationToken ct)
    {
        var rows = await db.Fingerprints.AsNoTracking()
            .Where(f => f.Kind == MatchTarget.ProtectedWork || db.Works.Any(w => w.Id == f.TargetId && w.State == WorkState.Listed))
            .Select(f => new { f.Kind, f.TargetId, f.Data })
            .ToListAsync(ct);
        var hashes = new List<PdqHash>();
        var owners = new List<(MatchTarget Kind, Guid Id, HashView View)>();
        foreach (var row in rows)
            foreach (var h in FingerprintCodec.Decode(row.Data).Hashes)
                // Catalog side: original orientation of every view, as DetectionCatalog indexes an entry; the other
                // orientations are query-side and would only find each other's mirror images.
                if (h.Dihedral == 0 && h.Usable)
                {
                    hashes.Add(h.Hash);
                    owners.Add((row.Kind, row.TargetId, h.View));
                }
        var matcher = gpu.Get();
        var pairs = matcher.AllPairs(hashes.ToArray(), PdqHash.MatchThreshold);
        log.LogInformation("Catalog re-scan: {Hashes} hashes of {Entries} entries, {Pairs} pairs within {Threshold} on {Accelerator}",
            hashes.Count, rows.Count, pairs.Count, PdqHash.MatchThreshold, matcher.AcceleratorName);

        // The nearest pair per two entries, each named by the views that met.
        var best = new Dictionary<((MatchTarget, Guid), (MatchTarget, Guid)), (int Distance, string Edit)>();
        foreach (var p in pairs)
        {
            var (a, b) = (owners[p.First], owners[p.Second]);
            if (a.Kind == b.Kind && a.Id == b.Id) continue;
            // Two catalog-side views meeting (regions, lightness greys) is not how the upload scan matches: it
            // compares a whole image with the other's views. Keep the nightly pass to the same rule.
            if (a.View is (HashView.Region or HashView.Grey) && b.View is (HashView.Region or HashView.Grey)) continue;
            var key = Order((a.Kind, a.Id), (b.Kind, b.Id));
            var edit = a.View == HashView.Region || b.View == HashView.Region ? "cropped"
                : a.View == HashView.Grey || b.View == HashView.Grey ? "grayscale"
                : a.View == HashView.Trimmed || b.View == HashView.Trimmed ? "border" : "near-identical";
            if (!best.TryGetValue(key, out var seen) || p.Distance < seen.Distance) best[key] = (p.Distance, edit);
        }
        var opened = 0;
        foreach (var ((x, y), (distance, edit)) in best)
            opened += await mediator.Send(new QuarantineMatch(x, y, distance, edit), ct);
        return opened;
    }

    [Queue(JobQueues.Gpu)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<int> RecheckCreatorAsync(string creatorId, CancellationToken ct)
    {
        var works = await db.Works.AsNoTracking().Where(w => w.CreatorId == creatorId && w.State == WorkState.Listed)
            .Join(db.Fingerprints.Where(f => f.Kind == MatchTarget.Work), w => w.Id, f => f.TargetId, (w, f) => new { w.Id, f.Data })
            .ToListAsync(ct);
        var opened = 0;
        foreach (var work in works)
        {
            var matches = await Features.Works.ScanWorkJob.FindNearMatchesAsync(detection, db, work.Id, FingerprintCodec.Decode(work.Data), ct);
            foreach (var m in matches.Where(m => m.TargetOwnerUserId != creatorId))
                opened += await mediator.Send(new QuarantineMatch((MatchTarget.Work, work.Id), (m.Kind, m.TargetId), m.Distance ?? -1, m.Edit), ct);
        }
        return opened;
    }

    private static ((MatchTarget, Guid), (MatchTarget, Guid)) Order((MatchTarget, Guid) a, (MatchTarget, Guid) b) =>
        a.Item2.CompareTo(b.Item2) <= 0 ? (a, b) : (b, a);
    /// <summary>
    /// Quarantines the suspect of a matching pair with a case naming the other: of two works, the one listed later
    /// (the earlier one was there first); of a work and a registry entry, the work. Nothing when both belong to the
    /// same account, the suspect is no longer listed, or the pair already has a case.
    /// </summary>
    public sealed record QuarantineMatch((MatchTarget Kind, Guid Id) A, (MatchTarget Kind, Guid Id) B, int Distance, string Edit) : ICommand<int>;

    internal sealed class QuarantineMatchHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<QuarantineMatch, int>
    {
    public async Task<int> Handle(QuarantineMatch request, CancellationToken ct)
    {
        var (a, b, distance, edit) = (request.A, request.B, request.Distance, request.Edit);
        if (a.Kind == MatchTarget.ProtectedWork && b.Kind == MatchTarget.ProtectedWork) return 0;
        var ids = new[] { a.Id, b.Id };
        var works = await db.Works.Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        Work suspect;
        (MatchTarget Kind, Guid Id) target;
        string? targetOwner;
        if (a.Kind == MatchTarget.Work && b.Kind == MatchTarget.Work)
        {
            if (!works.TryGetValue(a.Id, out var wa) || !works.TryGetValue(b.Id, out var wb)) return 0;
            if (wa.CreatorId == wb.CreatorId) return 0;
            (suspect, var other) = (wa.ListedAt ?? DateTimeOffset.MaxValue) >= (wb.ListedAt ?? DateTimeOffset.MaxValue) ? (wa, wb) : (wb, wa);
            if (other.State == WorkState.Rejected) return 0;
            (target, targetOwner) = ((MatchTarget.Work, other.Id), other.CreatorId);
        }
        else
        {
            var (work, entry) = a.Kind == MatchTarget.Work ? (a, b) : (b, a);
            if (!works.TryGetValue(work.Id, out var w)) return 0;
            var registrant = await db.ProtectedWorks.Where(p => p.Id == entry.Id && p.RemovedAt == null)
                .Join(db.Registrants, p => p.RegistrantId, r => r.Id, (p, r) => r.UserId).FirstOrDefaultAsync(ct);
            if (registrant is null || registrant == w.CreatorId) return 0;
            (suspect, target, targetOwner) = (w, entry, registrant);
        }
        if (suspect.State != WorkState.Listed) return 0;
        if (await db.ReviewCases.AnyAsync(c => c.WorkId == suspect.Id && c.TargetId == target.Id, ct)) return 0;

        var kind = target.Kind == MatchTarget.Work ? ReviewCaseKind.WorkMatch : ReviewCaseKind.ProtectedWorkMatch;
        var found = new CaseToOpen(kind, target.Id, targetOwner, distance < 0 ? null : distance, edit);
        var opened = ReviewCase.Open(suspect.Id, found, clock.GetUtcNow());
        db.ReviewCases.Add(opened);
        suspect.QuarantineAfterRescan();
        db.Audit(clock, AuditEntry.System, "work.quarantined", AuditSubject.ReviewCase, opened.Id, suspect.Id,
            $"Re-scan: {edit} matches {(kind == ReviewCaseKind.WorkMatch ? "work" : "registry entry")} {target.Id}" +
            (distance >= 0 ? $" at distance {distance}." : " by local features."));
        await notifier.NotifyAsync(suspect.CreatorId, NotificationKind.WorkScanned, $"“{suspect.Title}” is waiting for a moderator",
            "A check of the catalog found that it resembles another account's work or a protected-registry entry. It is off the catalog " +
            "until a moderator decides; licenses already sold are not affected. You will be told the outcome.",
            $"/Works/Details/{suspect.Id}", ct);
        return 1;
    }
    }

}
