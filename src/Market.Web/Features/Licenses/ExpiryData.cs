using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Licenses;

/// <summary>
/// The reads the expiry job, the attestation pages and the admin page share: license items as
/// <see cref="ExpirySchedule"/> sees them, and who is told what.
/// </summary>
internal static class ExpiryData
{
    /// <summary>The given items with their work's takedown time and whether an attestation covers them already.</summary>
    public static Task<List<ItemTerm>> ItemTermsAsync(this MarketDb db, IQueryable<LicenseItem> items, CancellationToken ct) =>
        items.Select(i => new ItemTerm(
                i.Id, i.LicenseId, i.WorkTitle, i.StartsAt, i.EndsAt, i.Terms.DutyAtExpiry, i.Terms.AttestWithinDays,
                db.Works.Where(w => w.Id == i.WorkId).Select(w => w.TakenDownAt).FirstOrDefault(),
                db.Set<AttestedItem>().Any(a => a.LicenseItemId == i.Id)))
            .ToListAsync(ct);

    /// <summary>
    /// Licenses with an item whose latest due stage is not recorded yet: exactly those the schedule would send
    /// something for now (every earlier stage is recorded, sent or superseded, in the same transaction as a later
    /// one). Worked out in the database, so the hourly run visits only licenses with something to send instead of
    /// every license near its end. Items taken down during their term are few and simply all visited.
    /// </summary>
    public static async Task<List<Guid>> LicensesDueAsync(this MarketDb db, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - ExpirySchedule.Horizon;
        var until = now + ExpirySchedule.FirstReminder;
        var first = ExpirySchedule.FirstReminder.Days;
        var second = ExpirySchedule.SecondReminder.Days;
        var final = ExpirySchedule.FinalNoticeAfter.Days;
        var open = db.Set<LicenseItem>().Where(i => !db.Set<AttestedItem>().Any(a => a.LicenseItemId == i.Id));
        var notices = db.ExpiryNotices.Where(n => n.Basis == DutyBasis.Expiry);
        // Thresholds as comparisons of the item's end with the time: "now >= EndsAt + d" is "EndsAt <= now - d".
        var ending = await open
            .Where(i => i.EndsAt > since && i.EndsAt <= until)
            .Where(i => !db.Works.Any(w => w.Id == i.WorkId && w.TakenDownAt != null && w.TakenDownAt < i.EndsAt))
            .Where(i =>
                (i.EndsAt <= now.AddDays(-final - i.Terms.AttestWithinDays)
                 && !notices.Any(n => n.LicenseId == i.LicenseId && n.EndsAt == i.EndsAt && n.Stage == ExpiryStage.FinalNotice))
                || (i.EndsAt > now.AddDays(-final - i.Terms.AttestWithinDays) && i.EndsAt <= now.AddDays(-i.Terms.AttestWithinDays)
                    && !notices.Any(n => n.LicenseId == i.LicenseId && n.EndsAt == i.EndsAt && n.Stage == ExpiryStage.Overdue))
                || (i.EndsAt > now.AddDays(-i.Terms.AttestWithinDays) && i.EndsAt <= now
                    && !notices.Any(n => n.LicenseId == i.LicenseId && n.EndsAt == i.EndsAt && n.Stage == ExpiryStage.Ended))
                || (i.EndsAt > now && i.EndsAt <= now.AddDays(second) && i.EndsAt > i.StartsAt.AddDays(second)
                    && !notices.Any(n => n.LicenseId == i.LicenseId && n.EndsAt == i.EndsAt && n.Stage == ExpiryStage.SecondReminder))
                || (i.EndsAt > now.AddDays(second) && i.EndsAt <= now.AddDays(first) && i.EndsAt > i.StartsAt.AddDays(first)
                    && !notices.Any(n => n.LicenseId == i.LicenseId && n.EndsAt == i.EndsAt && n.Stage == ExpiryStage.FirstReminder)))
            .Select(i => i.LicenseId).Distinct().ToListAsync(ct);
        var takenDown = await open
            .Join(db.Works.Where(w => w.TakenDownAt != null && w.TakenDownAt > since), i => i.WorkId, w => w.Id, (i, w) => new { i.LicenseId, i.EndsAt, w.TakenDownAt })
            .Where(x => x.TakenDownAt < x.EndsAt).Select(x => x.LicenseId).Distinct().ToListAsync(ct);
        return ending.Union(takenDown).ToList();
    }

    /// <summary>Unattested items that have ended or were taken down: every overdue obligation is made of these.</summary>
    public static IQueryable<LicenseItem> EndedUnattestedItems(this MarketDb db, DateTimeOffset now) =>
        db.Set<LicenseItem>()
            .Where(i => !db.Set<AttestedItem>().Any(a => a.LicenseItemId == i.Id))
            .Where(i => i.EndsAt <= now || db.Works.Any(w => w.Id == i.WorkId && w.TakenDownAt != null && w.TakenDownAt < i.EndsAt));

    public static Task<List<string>> MemberIdsAsync(this MarketDb db, Guid organisationId, CancellationToken ct) =>
        db.Users.Where(u => u.OrganisationId == organisationId).Select(u => u.Id).ToListAsync(ct);

    /// <summary>Every account in the marketplace's Admin role: who overdue attestations are escalated to.</summary>
    public static Task<List<string>> MarketplaceAdminIdsAsync(this MarketDb db, CancellationToken ct) =>
        db.UserRoles.Where(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin)).Select(ur => ur.UserId).Distinct().ToListAsync(ct);

    /// <summary>
    /// What a subject line calls a group: “Harbour”, or “Harbour” and 2 more works. Not a short license id: the ids
    /// are time-ordered, so licenses bought the same minute share their first characters.
    /// </summary>
    public static string Label(IReadOnlyList<ItemTerm> items) =>
        items.Count switch
        {
            0 => "License items",
            1 => $"“{items[0].WorkTitle}”",
            2 => $"“{items[0].WorkTitle}” and 1 more work",
            _ => $"“{items[0].WorkTitle}” and {items.Count - 1} more works",
        };

    /// <summary>“A”, “B” and 3 more: the works of a message, without letting a big license overflow it.</summary>
    public static string Titles(IEnumerable<ItemTerm> items, int max = 10)
    {
        var titles = items.Select(i => $"“{i.WorkTitle}”").ToList();
        return titles.Count <= max ? string.Join(", ", titles) : string.Join(", ", titles.Take(max)) + $" and {titles.Count - max} more";
    }
}
