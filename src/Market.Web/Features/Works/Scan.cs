using System.Numerics;
using System.Security.Cryptography;
using Hangfire;
using Market.Domain.Catalog;
using Market.Domain.Detection;
using Market.Domain.Moderation;
using Market.Web.Data;
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
/// The upload scan, on queue <c>gpu</c>: hashes the original (SHA-256 for exact copies, a perceptual hash for
/// near ones), renders the catalog preview, looks for matches, then decides in one command by
/// <see cref="ScanPolicy"/>. Safe to retry: the decision is a no-op once the work has left Scanning, and the
/// reading part changes nothing.
/// </summary>
public sealed class ScanWorkJob(IMediator mediator, MarketDb db, IFileStore files, ImageInspector images)
{
    /// <summary>
    /// Bits of the 64-bit placeholder hash (<see cref="DctHash"/>) within which two images count as the same
    /// picture: about the share of PDQ's 31 of 256. Re-encoding and resizing move it by a few bits.
    /// </summary>
    public const int DctMatchThreshold = 8;

    /// <summary>The only edit the placeholder matcher tries; the robust pipeline reports rotations, crops, flips.</summary>
    public const string AsUploaded = "as uploaded";

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

        ulong perceptual;
        byte[] preview;
        try
        {
            (perceptual, preview) = images.HashAndPreview(original.Path);
        }
        catch (Exception e) when (e is VipsException or BadImageException)
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
        await DecideAsync(workId, sha256, DctHash.ToHex(perceptual), previewKey, cancellationToken);
    }

    /// <summary>
    /// Finds what the hashes match and sends the decision. Separate from <see cref="RunAsync"/> so the hashing can be
    /// swapped (PDQ) without touching the matching, and so tests can drive a scan with a given hash.
    /// </summary>
    internal async Task<WorkState> DecideAsync(Guid workId, string sha256, string perceptualHash, string? previewKey, CancellationToken ct)
    {
        var exact = await FindExactDuplicatesAsync(workId, sha256, ct);
        var near = await FindNearMatchesAsync(workId, perceptualHash, ct);
        return await mediator.Send(new Decide(workId, sha256, perceptualHash, previewKey, new ScanFindings(exact, near)), ct);
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
    /// Near matches by perceptual hash, over every accepted work and every live registry entry. THE PLUG-IN POINT for
    /// the robust pipeline and the match index: this linear scan compares the stored hash as it is, hashes of the
    /// same kind only (16 hex digits: the placeholder DCT hash; 64: PDQ, as hash-only registry entries are), and
    /// reports the edit as "as uploaded". Replace the body; keep the signature and what a <see cref="NearMatch"/> means.
    /// </summary>
    internal async Task<IReadOnlyList<NearMatch>> FindNearMatchesAsync(Guid workId, string perceptualHash, CancellationToken ct)
    {
        var threshold = perceptualHash.Length == PdqHash.HexLength ? PdqHash.MatchThreshold : DctMatchThreshold;
        var length = perceptualHash.Length;
        var works = await db.Works.AsNoTracking()
            .Where(w => w.PerceptualHash != null && w.PerceptualHash.Length == length && w.Id != workId && w.State != WorkState.Rejected)
            .Select(w => new { w.Id, w.CreatorId, w.PerceptualHash })
            .ToListAsync(ct);
        var registry = await db.ProtectedWorks.AsNoTracking()
            .Where(p => p.RemovedAt == null && p.PerceptualHash.Length == length)
            .Join(db.Registrants, p => p.RegistrantId, r => r.Id, (p, r) => new { p.Id, r.UserId, p.PerceptualHash })
            .ToListAsync(ct);
        var matches = new List<NearMatch>();
        foreach (var w in works)
            if (HexDistance(perceptualHash, w.PerceptualHash!) is { } d && d <= threshold)
                matches.Add(new NearMatch(MatchTarget.Work, w.Id, w.CreatorId, d, AsUploaded));
        foreach (var p in registry)
            if (HexDistance(perceptualHash, p.PerceptualHash) is { } d && d <= threshold)
                matches.Add(new NearMatch(MatchTarget.ProtectedWork, p.Id, p.UserId, d, AsUploaded));
        return matches;
    }

    /// <summary>Bits apart of two hex hashes of the same length; null when either is not hex.</summary>
    internal static int? HexDistance(string a, string b)
    {
        if (a.Length != b.Length || a.Length % 16 != 0) return null;
        var distance = 0;
        for (var i = 0; i < a.Length; i += 16)
        {
            if (!ulong.TryParse(a.AsSpan(i, 16), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var x)
                || !ulong.TryParse(b.AsSpan(i, 16), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var y)) return null;
            distance += BitOperations.PopCount(x ^ y);
        }
        return distance;
    }

    public sealed record Decide(Guid WorkId, string Sha256, string PerceptualHash, string? PreviewKey, ScanFindings Findings) : ICommand<WorkState>;

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
