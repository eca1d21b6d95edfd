using Market.Domain;
using Market.Domain.Licensing;
using Market.Domain.Money;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Collections;

public sealed class DetailsModel(IMediator mediator, IAuthorizationService authorization) : PageModel
{
    public View? Collection { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Collection = await mediator.Send(new Query(id, User.Identity?.IsAuthenticated == true ? User.UserId() : null), ct);
        return Collection is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostCopyAsync(Guid id, CancellationToken ct)
    {
        // The page is public; copying into a bundle is for buyer members.
        if (!(await authorization.AuthorizeAsync(User, Policies.Buyer)).Succeeded)
            return User.Identity?.IsAuthenticated == true ? Forbid() : Challenge();
        Copied copied;
        try
        {
            copied = await mediator.Send(new Copy(id, Guid.Parse(User.OrganisationId()!), User.UserId()), ct);
        }
        catch (DomainException e)
        {
            Collection = await mediator.Send(new Query(id, User.UserId()), ct);
            if (Collection is null) return NotFound();
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        TempData["Flash"] = copied.Skipped.Count == 0
            ? "Copied into a new bundle."
            : $"Copied into a new bundle. Left out: {string.Join(" ", copied.Skipped)}";
        return RedirectToPage("/Bundles/Details", new { id = copied.BundleId });
    }

    public sealed record Query(Guid Id, string? UserId) : IRequest<View?>;

    public sealed record View(Guid Id, string Title, string Description, string Curator, IReadOnlyList<Line> Lines, bool Published, bool IsMine)
    {
        public long TotalMinor => Lines.Where(l => l.ForSale).Sum(l => l.PriceMinor);
        public string? Currency => Lines.FirstOrDefault()?.Currency;
    }

    public sealed record Line(Guid WorkId, string Title, string Creator, string Terms, long PriceMinor, string Currency, bool ForSale);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            var c = await db.CuratedBundles.AsNoTracking().Include(x => x.Items).FirstOrDefaultAsync(x => x.Id == request.Id, ct);
            // A draft is visible to its curator only.
            if (c is null || (!c.IsPublished && c.CuratorUserId != request.UserId)) return null;
            var ids = c.Items.Select(i => i.WorkId).ToList();
            var works = await db.Works.AsNoTracking().Include(w => w.Offers).Include(w => w.RightsHolders).Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
            var names = await db.DisplayNamesAsync(works.Values.Select(w => w.CreatorId).Append(c.CuratorUserId), ct);
            var lines = c.Items.OrderBy(i => i.Position).Select(i =>
            {
                var work = works[i.WorkId];
                var offer = work.Offers.First(o => o.Id == i.OfferId);
                return new Line(work.Id, work.Title, names.GetValueOrDefault(work.CreatorId, "?"), offer.Terms.Describe(), offer.PriceMinor, offer.Currency,
                    work.IsForSale && offer.Active);
            }).ToList();
            return new View(c.Id, c.Title, c.Description, c.ByMarketplace ? "the marketplace" : names.GetValueOrDefault(c.CuratorUserId, "?"), lines,
                c.IsPublished, c.CuratorUserId == request.UserId);
        }
    }

    public sealed record Copy(Guid CuratedBundleId, Guid OrganisationId, string UserId) : ICommand<Copied>;

    public sealed record Copied(Guid BundleId, IReadOnlyList<string> Skipped);

    internal sealed class CopyHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Copy, Copied>
    {
        public async Task<Copied> Handle(Copy request, CancellationToken ct)
        {
            var curated = await db.CuratedBundles.AsNoTracking().Include(x => x.Items).FirstOrDefaultAsync(x => x.Id == request.CuratedBundleId, ct)
                ?? throw new DomainException("There is no such curated bundle.");
            var ids = curated.Items.Select(i => i.WorkId).ToList();
            var works = await db.Works.Include(w => w.Offers).Include(w => w.RightsHolders).Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
            var now = clock.GetUtcNow();
            var bundle = Bundle.Open(Guid.CreateVersion7(now), request.OrganisationId, request.UserId, now, curated.Title);
            var skipped = curated.CopyInto(bundle, works, now);
            if (bundle.Items.Count == 0) throw new DomainException("None of its works is for sale any more.");
            db.Bundles.Add(bundle);
            return new Copied(bundle.Id, skipped);
        }
    }
}
