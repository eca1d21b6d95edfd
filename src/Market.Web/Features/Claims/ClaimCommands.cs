using Market.Web.Detection;
using Hangfire;
using Market.Billing.Sales;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Features.Moderation;
using Market.Web.Ledger;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Claims;

/// <summary>An unknown claim, or one the caller is not a party to: the pages answer 404, never "forbidden".</summary>
public sealed class NoSuchClaimException() : DomainException("There is no such claim.");

/// <summary>
/// The claim's life, one command per step. Every command takes the work's row lock first, so two steps on the
/// same work (two moderators deciding, a claim filed while another is rejected) run one after the other and each
/// sees what the other committed; every step writes its audit entry in its own transaction.
/// </summary>
public static class ClaimCommands
{
    public sealed record FileClaim(Guid WorkId, string ClaimantId, string? Statement, string? EvidenceText, string? EvidenceUrls,
        ClaimEvidenceFile? EvidenceFile) : ICommand<Guid>;

    public sealed record Counter(Guid ClaimId, string UserId, string? Statement) : ICommand<Unit>;

    public sealed record Withdraw(Guid ClaimId, string UserId) : ICommand<Unit>;

    public sealed record Decide(Guid ClaimId, string ModeratorId, bool Uphold, string? Reason) : ICommand<ClaimState>;

    private static async Task<Work> LockWorkAsync(MarketDb db, Guid workId, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"select 1 from market.works where \"Id\" = {workId} for update", ct);
        return await db.Works.Include(w => w.RightsHolders).FirstOrDefaultAsync(w => w.Id == workId, ct)
               ?? throw new DomainException("There is no such work.");
    }

    private static Task<List<Claim>> OpenClaimsAsync(MarketDb db, Guid workId, CancellationToken ct) =>
        db.Claims.Where(c => c.WorkId == workId && c.State == ClaimState.Open).ToListAsync(ct);

    private static void Audit(MarketDb db, TimeProvider clock, string actor, string action, Claim claim, string detail) =>
        db.Audit(clock, actor, action, AuditSubject.Claim, claim.Id, claim.WorkId, detail);

    /// <summary>
    /// A claim closed without being upheld (rejected, withdrawn). When it was the last open claim on the work, the
    /// royalties held under the work's hold go back to its holders and the work returns to the catalog.
    /// </summary>
    private static async Task ReleaseIfLastAsync(MarketDb db, IMediator mediator, TimeProvider clock, string actor, Claim closed, Work work, CancellationToken ct)
    {
        var stillOpen = await db.Claims.AnyAsync(c => c.WorkId == work.Id && c.State == ClaimState.Open && c.Id != closed.Id, ct);
        if (stillOpen)
        {
            Audit(db, clock, actor, "work.still-held", closed, "Another claim on the work is still open; the work and its royalties stay held.");
            return;
        }
        var released = await mediator.Send(new ClaimRoyalties.Release(closed.HoldId), ct);
        var relisted = work.ReleaseHold();
        Audit(db, clock, actor, "work.released", closed,
            $"Royalties of {released} sale(s) released to their holders; " + (relisted ? "the work is listed again." : $"the work stays {work.State.ToString().ToLowerInvariant()}."));
    }

    internal sealed class FileHandler(MarketDb db, IMediator mediator, Notifier notifier, TimeProvider clock) : IRequestHandler<FileClaim, Guid>
    {
        public async Task<Guid> Handle(FileClaim request, CancellationToken ct)
        {
            var me = await db.Users.AsNoTracking().FirstAsync(u => u.Id == request.ClaimantId, ct);
            // A claim holds someone's income: the claimant must at least be reachable at a verified address.
            if (!me.EmailConfirmed) throw new DomainException("Verify your e-mail address before filing a claim: on your account page (Email), send yourself the verification e-mail and follow its link.");
            var now = clock.GetUtcNow();
            var work = await LockWorkAsync(db, request.WorkId, ct);
            var open = await OpenClaimsAsync(db, work.Id, ct);
            var claim = Claim.File(Guid.CreateVersion7(now), work, me.Id, request.Statement, request.EvidenceText,
                (request.EvidenceUrls ?? "").Split('\n'), request.EvidenceFile, open, now);
            db.Claims.Add(claim);
            Audit(db, clock, me.Id, "claim.filed", claim,
                $"Claim by {me.DisplayName} <{me.Email}>: {claim.Statement} | links: {string.Join(" ", claim.EvidenceUrls)}" +
                (claim.EvidenceFile is { } f ? $" | file: {f.FileName} ({f.ContentType}, {f.ByteSize} bytes)" : ""));
            if (work.HoldForClaim())
            {
                int held;
                try { held = await mediator.Send(new ClaimRoyalties.Hold(work.Id, claim.Id), ct); }
                catch (LedgerException e) { throw new DomainException(e.Message); }
                Audit(db, clock, me.Id, "work.held", claim, $"The work left the catalog; royalties of {held} earlier sale(s) and of any later sale are held.");
            }
            else
                Audit(db, clock, me.Id, "work.held", claim, $"The work is already held by claim {claim.HoldId}; its royalties stay held under it.");

            await notifier.NotifyAsync(work.CreatorId, NotificationKind.ClaimFiled, $"A claim was filed against “{work.Title}”",
                $"Someone says “{work.Title}” is their work. Until a moderator decides, it is out of the catalog and its royalties are held; " +
                "licenses already sold keep running. You can answer the claim before the decision.", $"/Claims/Details/{claim.Id}", ct);
            await notifier.NotifyAsync(me.Id, NotificationKind.ClaimReceived, $"Your claim on “{work.Title}” was received",
                $"“{work.Title}” is out of the catalog and its royalties are held until a moderator decides your claim.", $"/Claims/Details/{claim.Id}", ct);
            return claim.Id;
        }
    }

    internal sealed class CounterHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<Counter, Unit>
    {
        public async Task<Unit> Handle(Counter request, CancellationToken ct)
        {
            var claim = await db.Claims.FirstOrDefaultAsync(c => c.Id == request.ClaimId && c.UploaderId == request.UserId, ct)
                        ?? throw new NoSuchClaimException();
            claim.Counter(request.UserId, request.Statement, clock.GetUtcNow());
            Audit(db, clock, request.UserId, "claim.answered", claim, $"Counter-statement: {claim.CounterStatement}");
            await notifier.NotifyAsync(claim.ClaimantId, NotificationKind.ClaimAnswered, "The uploader answered your claim",
                "The person who listed the work you claimed has answered your claim; a moderator reads both before deciding.",
                $"/Claims/Details/{claim.Id}", ct);
            return Unit.Value;
        }
    }

    internal sealed class WithdrawHandler(MarketDb db, IMediator mediator, Notifier notifier, TimeProvider clock) : IRequestHandler<Withdraw, Unit>
    {
        public async Task<Unit> Handle(Withdraw request, CancellationToken ct)
        {
            var found = await db.Claims.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.ClaimId && c.ClaimantId == request.UserId, ct)
                        ?? throw new NoSuchClaimException();
            var work = await LockWorkAsync(db, found.WorkId, ct);
            var claim = await db.Claims.FirstAsync(c => c.Id == found.Id, ct);
            claim.Withdraw(request.UserId, clock.GetUtcNow());
            Audit(db, clock, request.UserId, "claim.withdrawn", claim, "The claimant withdrew the claim.");
            await ReleaseIfLastAsync(db, mediator, clock, request.UserId, claim, work, ct);
            await notifier.NotifyAsync(claim.UploaderId, NotificationKind.ClaimDecided, $"The claim against “{work.Title}” was withdrawn",
                $"The claimant withdrew their claim on “{work.Title}”." + (work.State == WorkState.Listed ? " It is back in the catalog." : ""),
                $"/Claims/Details/{claim.Id}", ct);
            return Unit.Value;
        }
    }

    internal sealed class DecideHandler(MarketDb db, IMediator mediator, Notifier notifier, TimeProvider clock, UnitOfWork unitOfWork, IBackgroundJobClient jobs)
        : IRequestHandler<Decide, ClaimState>
    {
        public async Task<ClaimState> Handle(Decide request, CancellationToken ct)
        {
            var workId = await db.Claims.Where(c => c.Id == request.ClaimId).Select(c => (Guid?)c.WorkId).FirstOrDefaultAsync(ct)
                         ?? throw new NoSuchClaimException();
            var work = await LockWorkAsync(db, workId, ct);
            // Read after the lock: a decision committed meanwhile is seen, and this one is refused as a repeat.
            var claim = await db.Claims.FirstAsync(c => c.Id == request.ClaimId, ct);
            var now = clock.GetUtcNow();
            if (request.Uphold) await UpholdAsync(claim, work, request, now, ct);
            else await RejectAsync(claim, work, request, now, ct);
            return claim.State;
        }

        private async Task UpholdAsync(Claim claim, Work work, Decide request, DateTimeOffset now, CancellationToken ct)
        {
            claim.Uphold(request.ModeratorId, request.Reason, now);
            Audit(db, clock, request.ModeratorId, "claim.upheld", claim, $"Upheld: {claim.DecisionReason}");
            // Delists the work and recalls every running license: the licensees are told to stop using it.
            var takedown = await mediator.Send(new TakeDownWork(work.Id, request.ModeratorId, $"An ownership claim was upheld: {claim.DecisionReason}"), ct);
            Audit(db, clock, request.ModeratorId, "work.taken-down", claim, $"Taken down; {takedown.LicensesRecalled} license(s) recalled.");
            int redirected;
            try { redirected = await mediator.Send(new ClaimRoyalties.Uphold(work.Id, claim.HoldId, claim.ClaimantId), ct); }
            catch (LedgerException e) { throw new DomainException(e.Message); }
            Audit(db, clock, request.ModeratorId, "royalties.redirected", claim,
                $"Royalties of {redirected} sale(s) held so far, and of any later sale, go to the claimant ({claim.ClaimantId}).");

            foreach (var other in await db.Claims.Where(c => c.WorkId == work.Id && c.State == ClaimState.Open && c.Id != claim.Id).ToListAsync(ct))
            {
                other.Supersede(claim, now);
                Audit(db, clock, request.ModeratorId, "claim.superseded", other, $"Closed: claim {claim.Id} on the same work was upheld.");
                await notifier.NotifyAsync(other.ClaimantId, NotificationKind.ClaimDecided, $"Your claim on “{work.Title}” was closed",
                    $"{other.DecisionReason} If you believe the work is yours rather than theirs, contact the moderators.", $"/Claims/Details/{other.Id}", ct);
            }

            var earlier = await db.Sanctions.CountAsync(s => s.UserId == claim.UploaderId, ct);
            var sanction = SanctionLadder.For(Guid.CreateVersion7(now), claim.UploaderId, claim.Id, earlier, now);
            db.Sanctions.Add(sanction);
            Audit(db, clock, request.ModeratorId, "sanction.applied", claim,
                $"Uploader {claim.UploaderId}: strike {sanction.Strike}, {sanction.Kind}" + (sanction.UploadsBlockedUntil is { } u ? $" until {u:O}" : "") + ".");

            await notifier.NotifyAsync(claim.ClaimantId, NotificationKind.ClaimDecided, $"Your claim on “{work.Title}” was upheld",
                $"A moderator upheld your claim: {claim.DecisionReason} The work was taken down, and its royalties, those held and any later ones, are paid to you.",
                $"/Claims/Details/{claim.Id}", ct);
            await notifier.NotifyAsync(claim.UploaderId, NotificationKind.ClaimDecided, $"The claim against “{work.Title}” was upheld",
                $"A moderator upheld the claim that “{work.Title}” is someone else's work: {claim.DecisionReason} Its royalties go to the owner.",
                $"/Claims/Details/{claim.Id}", ct);
            await notifier.NotifyAsync(claim.UploaderId, NotificationKind.SanctionApplied, "A sanction was applied to your account", sanction.Explanation, "/Claims", ct);

            // Someone who listed one stolen work may have listed others: each of their listed works is checked again
            // under the full pipeline, and any that matches another account's work or the registry goes to review.
            var uploader = claim.UploaderId;
            Audit(db, clock, request.ModeratorId, "creator.recheck-queued", claim, $"The uploader's other listed works are re-checked against the catalog and the registry.");
            unitOfWork.AfterCommit(() => jobs.Enqueue<CatalogRescanJob>(job => job.RecheckCreatorAsync(uploader, CancellationToken.None)));
        }

        private async Task RejectAsync(Claim claim, Work work, Decide request, DateTimeOffset now, CancellationToken ct)
        {
            claim.Reject(request.ModeratorId, request.Reason, now);
            Audit(db, clock, request.ModeratorId, "claim.rejected", claim, $"Rejected: {claim.DecisionReason}");
            await ReleaseIfLastAsync(db, mediator, clock, request.ModeratorId, claim, work, ct);
            var back = work.State == WorkState.Listed ? " The work is back in the catalog and its held royalties are released." : "";
            await notifier.NotifyAsync(claim.ClaimantId, NotificationKind.ClaimDecided, $"Your claim on “{work.Title}” was rejected",
                $"A moderator rejected your claim: {claim.DecisionReason}", $"/Claims/Details/{claim.Id}", ct);
            await notifier.NotifyAsync(claim.UploaderId, NotificationKind.ClaimDecided, $"The claim against “{work.Title}” was rejected",
                $"A moderator rejected the claim against “{work.Title}”: {claim.DecisionReason}{back}", $"/Claims/Details/{claim.Id}", ct);
        }
    }
}
