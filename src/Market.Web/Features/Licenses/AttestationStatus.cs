using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Licenses;

/// <summary>
/// The attestation block of the license page: what is due, what was signed, what was recalled. A view component
/// so the license page needs one line for it.
/// </summary>
public sealed class LicenseAttestationsViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid licenseId)
    {
        var organisation = UserClaimsPrincipal.OrganisationId();
        if (organisation is null) return Content("");
        var view = await mediator.Send(new Query(licenseId, Guid.Parse(organisation)), HttpContext.RequestAborted);
        return view is null ? Content("") : View("/Features/Licenses/_LicenseAttestations.cshtml", view);
    }

    public sealed record Query(Guid LicenseId, Guid OrganisationId) : IRequest<Status?>;

    public sealed record Recalled(string WorkTitle, DateTimeOffset At, string Reason);

    public sealed record Status(Guid LicenseId, IReadOnlyList<Obligation> Obligations, IReadOnlyList<DeletionAttestation> Attestations,
        IReadOnlyList<Recalled> Recalls, DateTimeOffset Now);

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Query, Status?>
    {
        public async Task<Status?> Handle(Query request, CancellationToken ct)
        {
            if (!await db.Licenses.AnyAsync(l => l.Id == request.LicenseId && l.OrganisationId == request.OrganisationId, ct)) return null;
            var items = db.Set<LicenseItem>().Where(i => i.LicenseId == request.LicenseId);
            var obligations = ExpirySchedule.Obligations(await db.ItemTermsAsync(items, ct));
            var attestations = await db.DeletionAttestations.AsNoTracking().Include(a => a.Items)
                .Where(a => a.LicenseId == request.LicenseId && a.OrganisationId == request.OrganisationId)
                .OrderBy(a => a.SignedAt).ToListAsync(ct);
            var recalls = await items.Where(i => i.RecalledAt != null).OrderBy(i => i.RecalledAt)
                .Select(i => new Recalled(i.WorkTitle, i.RecalledAt!.Value, i.RecallReason ?? "")).ToListAsync(ct);
            return new Status(request.LicenseId, obligations, attestations, recalls, clock.GetUtcNow());
        }
    }
}

/// <summary>
/// For a creator's work page: each license on the work that has ended or was recalled for a takedown, and when its
/// holder attested deletion (or that it has not yet).
/// </summary>
public sealed class WorkAttestationsViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid workId)
    {
        var rows = await mediator.Send(new Query(workId, UserClaimsPrincipal.UserId()), HttpContext.RequestAborted);
        return rows.Count == 0 ? Content("") : View("/Features/Licenses/_WorkAttestations.cshtml", rows);
    }

    public sealed record Query(Guid WorkId, string CreatorId) : IRequest<IReadOnlyList<Row>>;

    /// <param name="AttestedAt">When the licensee signed; null while it has not.</param>
    public sealed record Row(string Licensee, DutyBasis Basis, DateTimeOffset EndsAt, DateTimeOffset DueAt, DateTimeOffset? AttestedAt, DateOnly? DeletedOn,
        bool Overdue);

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async Task<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            // Scoped to the creator: the items of someone else's work are not theirs to see.
            var items = db.Set<LicenseItem>().Where(i => i.WorkId == request.WorkId && i.CreatorId == request.CreatorId);
            var terms = await db.ItemTermsAsync(items, ct);
            var obligations = ExpirySchedule.Obligations(terms).Where(o => o.HasEnded(now) || o.Attested).ToList();
            if (obligations.Count == 0) return [];
            var itemIds = terms.Select(t => t.ItemId).ToList();
            var signed = await db.DeletionAttestations.AsNoTracking()
                .SelectMany(a => a.Items.Where(i => itemIds.Contains(i.LicenseItemId)).Select(i => new { i.LicenseItemId, a.SignedAt, a.DoneOn }))
                .ToDictionaryAsync(x => x.LicenseItemId, ct);
            var licensees = await db.LicenseeNamesAsync(obligations.Select(o => o.LicenseId), ct);
            return obligations.Select(o =>
                {
                    var attestation = signed.GetValueOrDefault(o.Items[0].ItemId);
                    return new Row(licensees.GetValueOrDefault(o.LicenseId, ""), o.Basis, o.EndsAt, o.DueAt, attestation?.SignedAt, attestation?.DoneOn,
                        o.IsOverdue(now));
                })
                .OrderByDescending(r => r.EndsAt).ToList();
        }
    }
}
