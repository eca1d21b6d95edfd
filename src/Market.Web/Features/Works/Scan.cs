using System.Security.Cryptography;
using Hangfire;
using Market.Domain.Catalog;
using Market.Domain.Detection;
using Market.Web.Data;
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
/// near ones), renders the catalog preview, then decides in one command. Safe to retry: the decision is a
/// no-op once the work has left Scanning, and the reading part changes nothing.
/// </summary>
public sealed class ScanWorkJob(IMediator mediator, MarketDb db, IFileStore files, ImageInspector images)
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

        ulong perceptual;
        byte[] preview;
        try
        {
            (perceptual, preview) = images.HashAndPreview(original.Path);
        }
        catch (VipsException)
        {
            await mediator.Send(new Unreadable(workId), cancellationToken);
            return;
        }
        // A fresh key per attempt: a retried job never overwrites a preview another attempt may have recorded.
        var previewKey = StoreKeys.New(StoreKeys.Previews);
        using (var previewStream = new MemoryStream(preview))
            await files.PutAsync(previewKey, previewStream, "image/jpeg", cancellationToken);
        await mediator.Send(new Decide(workId, sha256, DctHash.ToHex(perceptual), previewKey), cancellationToken);
    }

    public sealed record Decide(Guid WorkId, string Sha256, string PerceptualHash, string PreviewKey) : ICommand<WorkState>;

    internal sealed class DecideHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<Decide, WorkState>
    {
        public async Task<WorkState> Handle(Decide request, CancellationToken ct)
        {
            var work = await db.Works.FirstAsync(w => w.Id == request.WorkId, ct);
            if (work.State != WorkState.Scanning) return work.State;
            var duplicate = await db.Works.AsNoTracking()
                .FirstOrDefaultAsync(w => w.State == WorkState.Listed && w.Sha256 == request.Sha256 && w.Id != work.Id, ct);
            work.CompleteScan(request.Sha256, request.PerceptualHash, request.PreviewKey, duplicate, clock.GetUtcNow());
            await TellCreatorAsync(notifier, work, ct);
            return work.State;
        }
    }

    private static Task TellCreatorAsync(Notifier notifier, Work work, CancellationToken ct) =>
        notifier.NotifyAsync(work.CreatorId, NotificationKind.WorkScanned,
            work.State == WorkState.Listed ? $"“{work.Title}” is listed" : $"“{work.Title}” was not listed",
            work.State == WorkState.Listed
                ? "The checks found no problem; buyers can now find and license it under your offers."
                : work.RejectionReason ?? "The checks refused it.",
            $"/Works/Details/{work.Id}", ct);

    public sealed record Unreadable(Guid WorkId) : ICommand<Unit>;

    internal sealed class UnreadableHandler(MarketDb db, Notifier notifier) : IRequestHandler<Unreadable, Unit>
    {
        public async Task<Unit> Handle(Unreadable request, CancellationToken ct)
        {
            var work = await db.Works.FirstAsync(w => w.Id == request.WorkId, ct);
            if (work.State != WorkState.Scanning) return Unit.Value;
            work.FailScan("The file could not be decoded. Upload it again, or export it anew from your editing software.");
            await TellCreatorAsync(notifier, work, ct);
            return Unit.Value;
        }
    }
}
