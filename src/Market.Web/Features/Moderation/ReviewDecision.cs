using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Moderation;

/// <summary>
/// A moderator decides one review case. Clear: not a copy — the work is listed once no other case on it is open.
/// Confirm: a copy — the work is refused with the moderator's reason and never listed, its creator is told how to
/// appeal, and the owner of the matched work (or the registrant) is told; the work's other open cases close with it.
/// </summary>
public sealed record DecideReviewCase(Guid CaseId, string ModeratorId, bool Confirm, string? Note) : ICommand<ReviewCaseState>;

public sealed class NoSuchCaseException() : DomainException("There is no such case.");

internal sealed class DecideReviewCaseHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<DecideReviewCase, ReviewCaseState>
{
    public async Task<ReviewCaseState> Handle(DecideReviewCase request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var found = await db.ReviewCases.AsNoTracking().Where(c => c.Id == request.CaseId).Select(c => new { c.WorkId }).FirstOrDefaultAsync(ct)
                    ?? throw new NoSuchCaseException();
        // Two moderators deciding two cases of one work at once must not both see "another case is still open" and
        // leave it quarantined for ever: the work's row is the lock, taken before its cases are read.
        await db.Database.ExecuteSqlRawAsync($"select 1 from {MarketDb.Schema}.works where \"Id\" = {{0}} for update", [found.WorkId], ct);
        var review = await db.ReviewCases.FirstAsync(c => c.Id == request.CaseId, ct);
        var work = await db.Works.FirstAsync(w => w.Id == review.WorkId, ct);
        var others = await db.ReviewCases.Where(c => c.WorkId == work.Id && c.Id != review.Id && c.State == ReviewCaseState.Open).ToListAsync(ct);

        if (!request.Confirm)
        {
            review.Clear(request.ModeratorId, request.Note, now);
            var release = work.State == WorkState.Quarantined && others.Count == 0;
            if (release)
            {
                // The catalog holds one listed work per file (a unique index): an exact copy of a listed work cannot be
                // cleared into the catalog beside it.
                if (await db.Works.AnyAsync(w => w.State == WorkState.Listed && w.Sha256 == work.Sha256 && w.Id != work.Id, ct))
                    throw new DomainException("This file is an exact copy of a work that is listed; both cannot be listed. Confirm the case, or take the other work down first.");
                work.ReleaseFromQuarantine(now);
            }
            db.Audit(clock, request.ModeratorId, "case.cleared", AuditSubject.ReviewCase, review.Id, work.Id,
                (release ? "Cleared; no other case open, the work is listed." : $"Cleared; {others.Count} other case(s) still open, the work stays {work.Status}.")
                + (review.Note is null ? "" : $" Note: {review.Note}"));
            if (release)
                await notifier.NotifyAsync(work.CreatorId, NotificationKind.ReviewDecided, $"“{work.Title}” is listed",
                    "A moderator looked at the match the checks found and cleared it. Buyers can now find and license the work under your offers.",
                    $"/Works/Details/{work.Id}", ct);
            return review.State;
        }

        review.Confirm(request.ModeratorId, request.Note, now);
        foreach (var other in others)
        {
            other.CloseWith(review, request.ModeratorId, now);
            db.Audit(clock, request.ModeratorId, "case.closed", AuditSubject.ReviewCase, other.Id, work.Id, $"Closed with case {review.Id}, confirmed.");
        }
        var refused = work.State == WorkState.Quarantined;
        if (refused)
            work.RefuseAfterReview(review.Kind == ReviewCaseKind.DeclaredAiGenerated
                ? $"A moderator refused this AI-generated work: {review.Note}"
                : $"A moderator found that this file copies {await WhatItCopiesAsync(review, ct)}: {review.Note}");
        db.Audit(clock, request.ModeratorId, "case.confirmed", AuditSubject.ReviewCase, review.Id, work.Id,
            $"Confirmed as a copy{(refused ? "; the work is refused" : $"; the work was {work.Status} already")}. Reason: {review.Note}");
        if (refused)
            await notifier.NotifyAsync(work.CreatorId, NotificationKind.ReviewDecided, $"“{work.Title}” was refused by a moderator",
                $"{work.RejectionReason} It will not be listed. If you hold the rights to it, you can appeal: write to the marketplace's moderators " +
                $"within 30 days, quoting case {review.Id}, with what shows the work is yours.", $"/Works/Details/{work.Id}", ct);
        if (await OwnerOfTargetAsync(review, ct) is { } owner && owner != work.CreatorId)
            await notifier.NotifyAsync(owner, NotificationKind.CopyRefused, $"A copy of your work was refused",
                $"An upload matching {await WhatItCopiesAsync(review, ct)} was held for review, and a moderator confirmed it is a copy. It was never listed.",
                review.Kind == ReviewCaseKind.ProtectedWorkMatch ? "/Registry/Entries" : $"/Works/Details/{review.TargetId}", ct);
        return review.State;
    }

    private async Task<string> WhatItCopiesAsync(ReviewCase review, CancellationToken ct) => review.Kind switch
    {
        ReviewCaseKind.WorkMatch => $"“{await db.Works.Where(w => w.Id == review.TargetId).Select(w => w.Title).FirstOrDefaultAsync(ct)}”, a work another account holds",
        ReviewCaseKind.ProtectedWorkMatch => $"“{await db.ProtectedWorks.Where(p => p.Id == review.TargetId).Select(p => p.Label).FirstOrDefaultAsync(ct)}”, a work in the protected-works registry",
        _ => "an AI-generated work the marketplace does not accept",
    };

    private async Task<string?> OwnerOfTargetAsync(ReviewCase review, CancellationToken ct) => review.Kind switch
    {
        ReviewCaseKind.WorkMatch => await db.Works.Where(w => w.Id == review.TargetId).Select(w => w.CreatorId).FirstOrDefaultAsync(ct),
        ReviewCaseKind.ProtectedWorkMatch => await db.ProtectedWorks.Where(p => p.Id == review.TargetId)
            .Join(db.Registrants, p => p.RegistrantId, r => r.Id, (p, r) => r.UserId).FirstOrDefaultAsync(ct),
        _ => null,
    };
}

/// <summary>The queue's size, for the moderators' nav.</summary>
public static class ReviewQueue
{
    public static Task<int> OpenCountAsync(MarketDb db, CancellationToken ct = default) =>
        db.ReviewCases.CountAsync(c => c.State == ReviewCaseState.Open, ct);
}
