using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Licenses;

public enum RecallCause
{
    /// <summary>The creator withdrew consent: sold licenses stay valid to their end for data already downloaded.</summary>
    ConsentWithdrawn = 1,
    /// <summary>A moderator took the work down (theft): the license could not validly grant it at all.</summary>
    Takedown = 2,
}

/// <summary>
/// Takes a work out of every license still running on it, so it disappears from their downloads, and tells each
/// organisation holding it what that means under the terms. Sent from inside the withdrawal and the takedown
/// commands (it joins their transaction), and reusable by whatever else ends a work's licensing.
/// </summary>
/// <param name="At">When the recall takes effect; for a takedown, the work's takedown time, which starts the attestation clock.</param>
public sealed record RecallWork(Guid WorkId, RecallCause Cause, string Reason, DateTimeOffset At) : ICommand<int>;

internal sealed class RecallWorkHandler(MarketDb db, Notifier notifier) : IRequestHandler<RecallWork, int>
{
    public async Task<int> Handle(RecallWork request, CancellationToken ct)
    {
        if (!Enum.IsDefined(request.Cause)) throw new ArgumentOutOfRangeException(nameof(request));
        // Find, not a query: the calling command has usually just changed the work and not saved it yet.
        var work = await db.Works.FindAsync([request.WorkId], ct) ?? throw new DomainException("There is no such work.");
        var at = request.At;
        var licenses = await db.Licenses.Include(l => l.Items)
            .Where(l => l.Items.Any(i => i.WorkId == work.Id && i.EndsAt > at))
            .ToListAsync(ct);
        var itemIds = licenses.SelectMany(l => l.Items).Where(i => i.WorkId == work.Id).Select(i => i.Id).ToList();
        var attested = await db.Set<AttestedItem>().Where(a => itemIds.Contains(a.LicenseItemId)).Select(a => a.LicenseItemId).ToListAsync(ct);

        var told = 0;
        foreach (var license in licenses)
        {
            var item = license.Items.First(i => i.WorkId == work.Id && i.EndsAt > at);
            var recalled = license.Recall(work.Id, RecallReason(request), at);
            var members = await db.MemberIdsAsync(license.OrganisationId, ct);
            if (request.Cause == RecallCause.ConsentWithdrawn)
            {
                // Already out of deliveries (deleted early and attested, say): nothing changes for this organisation.
                if (recalled is null) continue;
                await notifier.NotifyAsync(members, NotificationKind.ConsentWithdrawn, $"Consent withdrawn for “{work.Title}”",
                    $"The creator of “{work.Title}” has withdrawn consent for AI training. Your license {license.Id} stays valid for it until its end date, " +
                    $"{item.EndsAt:yyyy-MM-dd} (UTC), for the copy you have already downloaded, under the terms you bought; from now on it can no longer " +
                    "be downloaded. When the license ends, its end-of-term duties apply as usual. It will not be sold again, so this item cannot be renewed.",
                    $"/Licenses/Details/{license.Id}", ct);
            }
            else
            {
                await TellOfTakedownAsync(license, item, work.Title, request, members, attested.Contains(item.Id), ct);
            }
            told++;
        }
        return told;
    }

    private static string RecallReason(RecallWork request) => request.Cause == RecallCause.Takedown
        ? $"Taken down by a moderator: {request.Reason}"
        : "The creator withdrew consent; the license runs to its end for data already downloaded.";

    /// <summary>
    /// A taken-down work was never the seller's to license, so the organisation must stop using it and delete it now,
    /// and attest that within the item's attestation period, counted from the takedown. The notice doubles as the
    /// expiry schedule's "ended" stage for the item, recorded so the job does not send it again.
    /// </summary>
    private async Task TellOfTakedownAsync(License license, LicenseItem item, string title, RecallWork request, List<string> members, bool attested,
        CancellationToken ct)
    {
        var obligation = ExpirySchedule.Obligations([
            new ItemTerm(item.Id, license.Id, item.WorkTitle, item.StartsAt, item.EndsAt, item.Terms.DutyAtExpiry, item.Terms.AttestWithinDays,
                request.At, attested),
        ]).Single();
        var body = $"A moderator has taken down “{title}”, which is part of your license {license.Id}: {request.Reason} " +
                   "The person who listed it did not hold the rights to license it, so your license could not validly grant it. " +
                   "It can no longer be downloaded. Stop using it now, and " + ExpiryMessages.Duty(obligation.Duty) + ". " +
                   (attested
                       ? "You have already attested its deletion, so there is nothing more to sign."
                       : $"Then sign a deletion attestation for it by {obligation.DueAt:yyyy-MM-dd}.") +
                   " The license's other works are not affected.";
        await notifier.NotifyAsync(members, NotificationKind.WorkRecalled, $"“{title}” was taken down: stop using it and delete it",
            body, attested ? $"/Licenses/Details/{license.Id}" : ExpiryMessages.AttestLink(license.Id, obligation), ct);
        if (!attested)
            db.ExpiryNotices.Add(new ExpiryNoticeRecord(Guid.CreateVersion7(request.At), license.Id, license.OrganisationId, obligation.Basis,
                obligation.EndsAt, ExpiryStage.Ended, NoticeOutcome.Sent, members.Count, request.At));
    }
}
