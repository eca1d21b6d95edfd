using System.Security.Cryptography;
using Hangfire;
using Market.Domain.Catalog;
using Market.Domain.Detection;
using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Detection;
using Market.Web.Features.Moderation;
using Market.Web.Imaging;
using Market.Web.Jobs;
using Market.Web.Mediation;
using Market.Web.Notifications;
using Market.Web.Storage;
using MediatR;
using Microsoft.EntityFrameworkCore;
using NetVips;

namespace Market.Web.Features.Works;

/// <summary>
/// The upload scan, on queue <c>gpu</c>: hashes the original (SHA-256 for exact copies, the detection fingerprint
/// for near ones), renders the catalog preview, looks for matches among every stored fingerprint, then decides in one
/// command by <see cref="ScanPolicy"/>, which also stores the fingerprint. Safe to retry: the decision is a no-op once the work has left Scanning, and the
/// reading part changes nothing.
/// </summary>
public sealed class ScanWorkJob(IMediator mediator, MarketDb db, IFileStore files, ImageInspector images, CatalogDetection detection)
{
    [Queue(JobQueues.Gpu)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(Guid workId, CancellationToken cancellationToken)
    {
        var work = await db.Works.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workId, cancellationToken);
        if (work is null || work.State != WorkState.Scanning) return;

        using var original = await files.GetLocalFileAsync(work.OriginalKey, cancellationToken);
        string sha256;
        await using (var stream = File.OpenRead(original.Path))
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));

        ImageFingerprint fingerprint;
        byte[] preview;
        try
        {
            // The same pipeline as the `match` command: PDQ of the whole and border-trimmed image in eight
            // orientations, regions for crops, ORB keypoints for what hashes cannot undo.
            fingerprint = DetectionPipeline.Fingerprint(original.Path);
            preview = images.Preview(original.Path);
        }
        catch (Exception e) when (e is VipsException or BadImageException or OpenCvSharp.OpenCVException)
        {
            // A file that passed the upload checks can still fail to decode in full (truncated after its header,
            // damaged data): the work is refused with a clear reason rather than the job failing and retrying.
            await mediator.Send(new Unreadable(workId), cancellationToken);
            return;
        }
        // A fresh key per attempt: a retried job never overwrites a preview another attempt may have recorded.
        var previewKey = StoreKeys.New(StoreKeys.Previews);
        using (var previewStream = new MemoryStream(preview))
            await files.PutAsync(previewKey, previewStream, "image/jpeg", cancellationToken);
        await DecideAsync(workId, sha256, fingerprint, previewKey, cancellationToken);
    }

    /// <summary>Decides with a bare PDQ hash as the fingerprint (hash-only registry entries match this way); for tests.</summary>
    internal Task<WorkState> DecideAsync(Guid workId, string sha256, string pdqHex, string? previewKey, CancellationToken ct) =>
        DecideAsync(workId, sha256, ImageFingerprint.OfHash(PdqHash.Parse(pdqHex), 100), previewKey, ct);

    /// <summary>Finds what the fingerprint matches and sends the decision, which also stores the fingerprint.</summary>
    internal async Task<WorkState> DecideAsync(Guid workId, string sha256, ImageFingerprint fingerprint, string? previewKey, CancellationToken ct)
    {
        var exact = await FindExactDuplicatesAsync(workId, sha256, ct);
        var near = await FindNearMatchesAsync(detection, db, workId, fingerprint, ct);
        var hex = fingerprint.Hashes.FirstOrDefault(h => h.View == HashView.Whole && h.Dihedral == 0).Hash.ToHex();
        return await mediator.Send(new Decide(workId, sha256, hex, previewKey, new ScanFindings(exact, near), FingerprintCodec.Encode(fingerprint)), ct);
    }

    /// <summary>The very same bytes: any work that was ever accepted (a rejected upload never was), and any live registry entry.</summary>
    internal async Task<IReadOnlyList<ExactDuplicate>> FindExactDuplicatesAsync(Guid workId, string sha256, CancellationToken ct)
    {
        var works = await db.Works.AsNoTracking()
            .Where(w => w.Sha256 == sha256 && w.Id != workId && w.State != WorkState.Rejected)
            .Select(w => new ExactDuplicate(MatchTarget.Work, w.Id, w.CreatorId, w.Title, w.State))
            .ToListAsync(ct);
        var registry = await db.ProtectedWorks.AsNoTracking()
            .Where(p => p.Sha256 == sha256 && p.RemovedAt == null)
            .Join(db.Registrants, p => p.RegistrantId, r => r.Id, (p, r) => new ExactDuplicate(MatchTarget.ProtectedWork, p.Id, r.UserId, p.Label, null))
            .ToListAsync(ct);
        return [.. works, .. registry];
    }

    /// <summary>
    /// Near matches under the full detection pipeline, over every stored fingerprint; a match counts when its work
    /// was ever accepted (not rejected) and is not the work itself, or its registry entry is not removed.
    /// </summary>
    internal static async Task<IReadOnlyList<NearMatch>> FindNearMatchesAsync(CatalogDetection detection, MarketDb db, Guid workId,
        ImageFingerprint fingerprint, CancellationToken ct)
    {
        var found = (await detection.FindAllAsync(db, fingerprint, ct))
            .Select(m => (Key: StoredFingerprint.ParseKey(m.EntryId), Match: m))
            .Where(x => x.Key is not null)
            .ToList();
        var workIds = found.Where(x => x.Key!.Value.Kind == MatchTarget.Work).Select(x => x.Key!.Value.Id).ToList();
        var entryIds = found.Where(x => x.Key!.Value.Kind == MatchTarget.ProtectedWork).Select(x => x.Key!.Value.Id).ToList();
        var works = await db.Works.AsNoTracking()
            .Where(w => workIds.Contains(w.Id) && w.Id != workId && w.State != WorkState.Rejected)
            .ToDictionaryAsync(w => w.Id, w => w.CreatorId, ct);
        var entries = await db.ProtectedWorks.AsNoTracking()
            .Where(p => entryIds.Contains(p.Id) && p.RemovedAt == null)
            .Join(db.Registrants, p => p.RegistrantId, r => r.Id, (p, r) => new { p.Id, r.UserId })
            .ToDictionaryAsync(x => x.Id, x => x.UserId, ct);
        var matches = new List<NearMatch>();
        foreach (var (key, match) in found)
        {
            var (kind, id) = key!.Value;
            if (kind == MatchTarget.Work && works.TryGetValue(id, out var creator))
                matches.Add(new NearMatch(kind, id, creator, match.Distance, match.Edit));
            else if (kind == MatchTarget.ProtectedWork && entries.TryGetValue(id, out var registrant))
                matches.Add(new NearMatch(kind, id, registrant, match.Distance, match.Edit));
        }
        return matches;
    }

    public sealed record Decide(Guid WorkId, string Sha256, string PerceptualHash, string? PreviewKey, ScanFindings Findings, byte[] Fingerprint) : ICommand<WorkState>;

    internal sealed class DecideHandler(MarketDb db, Notifier notifier, TimeProvider clock, IConfiguration configuration) : IRequestHandler<Decide, WorkState>
    {
        public async Task<WorkState> Handle(Decide request, CancellationToken ct)
        {
            var work = await db.Works.Include(w => w.Flags).FirstAsync(w => w.Id == request.WorkId, ct);
            if (work.State != WorkState.Scanning) return work.State;
            var declared = work.AiGenerated || work.Flags.Any(f => f.Kind == FlagKind.DeclaredAiGenerated);
            var decision = ScanPolicy.Decide(new ScannedWork(work.Id, work.CreatorId, request.Sha256, declared), request.Findings,
                DetectionSettings.AiGenerated(configuration));
            work.DecideScan(request.Sha256, request.PerceptualHash, request.PreviewKey, decision, clock.GetUtcNow());
            // Kept whatever the outcome but a refusal: a quarantined upload is matched by later ones too.
            if (work.State != WorkState.Rejected && !await db.Fingerprints.AnyAsync(f => f.Kind == MatchTarget.Work && f.TargetId == work.Id, ct))
                db.Fingerprints.Add(new StoredFingerprint(MatchTarget.Work, work.Id, request.Fingerprint, clock.GetUtcNow()));

            foreach (var found in decision.Cases)
            {
                var opened = ReviewCase.Open(work.Id, found, clock.GetUtcNow());
                db.ReviewCases.Add(opened);
                db.Audit(clock, AuditEntry.System, "work.quarantined", AuditSubject.ReviewCase, opened.Id, work.Id,
                    found.Kind == ReviewCaseKind.DeclaredAiGenerated
                        ? "Quarantined for review: the file declares itself AI-generated."
                        : $"Quarantined: {found.Edit} matches {(found.Kind == ReviewCaseKind.WorkMatch ? "work" : "registry entry")} {found.TargetId} at distance {found.Distance?.ToString() ?? "?"}.");
            }
            if (decision.Outcome == ScanOutcome.Rejected)
                db.Audit(clock, AuditEntry.System, "scan.refused", AuditSubject.Work, work.Id, work.Id, work.RejectionReason ?? "");
            foreach (var note in decision.Notes)
                db.Audit(clock, AuditEntry.System, "scan.noted", AuditSubject.Work, work.Id, work.Id, note);
            await TellCreatorAsync(notifier, work, ct);
            return work.State;
        }
    }

    private static Task TellCreatorAsync(Notifier notifier, Work work, CancellationToken ct) =>
        notifier.NotifyAsync(work.CreatorId, NotificationKind.WorkScanned,
            work.State switch
            {
                WorkState.Listed => $"“{work.Title}” is listed",
                WorkState.Quarantined => $"“{work.Title}” is waiting for a moderator",
                _ => $"“{work.Title}” was not listed",
            },
            work.State switch
            {
                WorkState.Listed => "The checks found no problem; buyers can now find and license it under your offers.",
                WorkState.Quarantined => "The checks found that it resembles a work already on the marketplace or in the protected-works registry, " +
                                         "or it needs a moderator's look for another reason. It is not listed meanwhile; you will be told the outcome.",
                _ => work.RejectionReason ?? "The checks refused it.",
            },
            $"/Works/Details/{work.Id}", ct);

    public sealed record Unreadable(Guid WorkId) : ICommand<Unit>;

    internal sealed class UnreadableHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<Unreadable, Unit>
    {
        public async Task<Unit> Handle(Unreadable request, CancellationToken ct)
        {
            var work = await db.Works.FirstAsync(w => w.Id == request.WorkId, ct);
            if (work.State != WorkState.Scanning) return Unit.Value;
            work.FailScan("The file could not be decoded. Upload it again, or export it anew from your editing software.");
            db.Audit(clock, AuditEntry.System, "scan.failed", AuditSubject.Work, work.Id, work.Id, work.RejectionReason!);
            await TellCreatorAsync(notifier, work, ct);
            return Unit.Value;
        }
    }
}

/// <summary>Detection settings read where they are used; an unknown value fails the scan loudly rather than listing.</summary>
public static class DetectionSettings
{
    public const string AiGeneratedKey = "Detection:AiGenerated";

    public static AiGeneratedHandling AiGenerated(IConfiguration configuration) =>
        configuration.GetValue(AiGeneratedKey, AiGeneratedHandling.Label);
}
