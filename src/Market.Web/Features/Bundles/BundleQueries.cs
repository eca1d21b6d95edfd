using Market.Domain.Licensing;
using Market.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Bundles;

/// <summary>Which bundles a member may see and change: their own, and those shared with their organisation.</summary>
public static class BundleQueries
{
    public static IQueryable<Bundle> VisibleTo(this IQueryable<Bundle> bundles, Guid organisationId, string userId) =>
        bundles.Where(b => b.OrganisationId == organisationId && (b.SharedWithOrganisation || b.CreatedByUserId == userId));

    /// <summary>A bundle with its items if the member may see it; null otherwise, so another's id is simply not found.</summary>
    public static Task<Bundle?> BundleForMemberAsync(this MarketDb db, Guid bundleId, Guid organisationId, string userId, CancellationToken ct) =>
        db.Bundles.Include(b => b.Items).VisibleTo(organisationId, userId).FirstOrDefaultAsync(b => b.Id == bundleId, ct);

    /// <summary>The open bundle the member worked on last (their own first), where "Add to bundle" goes by default.</summary>
    public static Task<Bundle?> CurrentBundleAsync(this MarketDb db, Guid organisationId, string userId, CancellationToken ct) =>
        db.Bundles.Include(b => b.Items).VisibleTo(organisationId, userId)
            .Where(b => b.Status == BundleStatus.Open)
            .OrderByDescending(b => b.CreatedByUserId == userId).ThenByDescending(b => b.UpdatedAt)
            .FirstOrDefaultAsync(ct);
}
