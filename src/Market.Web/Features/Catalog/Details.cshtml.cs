using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Features.Bundles;
using Market.Web.Identity;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Catalog;

public sealed class DetailsModel(IMediator mediator, IAuthorizationService authorization) : PageModel
{
    public View? Work { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Work = await mediator.Send(new Query(id), ct);
        if (Work is null) return NotFound();
        await LoadBundleChoicesAsync(ct);
        return Page();
    }

    /// <summary>The buyer's open bundles (their own and those shared in the organisation), newest first, to add to.</summary>
    public IReadOnlyList<(Guid Id, string Name)> Bundles { get; private set; } = [];

    // Only when the page is drawn: a successful add redirects and needs no list.
    private async Task LoadBundleChoicesAsync(CancellationToken ct)
    {
        if (User.OrganisationId() is { } org)
            Bundles = await mediator.Send(new OpenBundles(Guid.Parse(org), User.UserId()), ct);
    }

    public async Task<IActionResult> OnPostAddAsync(Guid id, Guid offerId, Guid? bundleId, CancellationToken ct)
    {
        // The page is public; adding to a bundle is for buyer members only.
        if (!(await authorization.AuthorizeAsync(User, Policies.Buyer)).Succeeded)
            return User.Identity?.IsAuthenticated == true ? Forbid() : Challenge();
        try
        {
            bundleId = await mediator.Send(new AddToBundle(id, offerId, Guid.Parse(User.OrganisationId()!), User.UserId(), bundleId), ct);
        }
        catch (DomainException e)
        {
            Work = await mediator.Send(new Query(id), ct);
            if (Work is null) return NotFound();
            await LoadBundleChoicesAsync(ct);
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        TempData["Flash"] = "Added to the bundle.";
        return RedirectToPage("/Bundles/Details", new { id = bundleId });
    }

    public sealed record Query(Guid Id) : IRequest<View?>;

    public sealed record View(Guid Id, string Title, string Description, string Creator, int Width, int Height, IReadOnlyList<OfferView> Offers);

    public sealed record OfferView(Guid Id, LicenseTerms Terms, long PriceMinor, string Currency);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            var work = await db.Works.AsNoTracking().Include(w => w.Offers).Include(w => w.RightsHolders)
                .FirstOrDefaultAsync(w => w.Id == request.Id && w.State == WorkState.Listed, ct);
            if (work is null || !work.IsForSale) return null;
            var creator = await db.Users.Where(u => u.Id == work.CreatorId).Select(u => u.DisplayName).FirstAsync(ct);
            return new View(work.Id, work.Title, work.Description, creator, work.Width, work.Height,
                work.ActiveOffers.OrderBy(o => o.PriceMinor).Select(o => new OfferView(o.Id, o.Terms, o.PriceMinor, o.Currency)).ToList());
        }
    }

    public sealed record OpenBundles(Guid OrganisationId, string UserId) : IRequest<IReadOnlyList<(Guid, string)>>;

    internal sealed class OpenBundlesHandler(MarketDb db) : IRequestHandler<OpenBundles, IReadOnlyList<(Guid, string)>>
    {
        public async Task<IReadOnlyList<(Guid, string)>> Handle(OpenBundles request, CancellationToken ct) =>
            (await db.Bundles.AsNoTracking().VisibleTo(request.OrganisationId, request.UserId)
                .Where(b => b.Status == BundleStatus.Open)
                .OrderByDescending(b => b.UpdatedAt).Take(200)
                .Select(b => new { b.Id, b.Name }).ToListAsync(ct))
            .Select(b => (b.Id, b.Name)).ToList();
    }

    /// <summary>Adds to the chosen bundle, or to the member's most recent one, or to a new one when they have none.</summary>
    public sealed record AddToBundle(Guid WorkId, Guid OfferId, Guid OrganisationId, string UserId, Guid? BundleId = null) : ICommand<Guid>;

    internal sealed class AddToBundleHandler(MarketDb db, TimeProvider clock) : IRequestHandler<AddToBundle, Guid>
    {
        public async Task<Guid> Handle(AddToBundle request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var work = await db.Works.Include(w => w.Offers).Include(w => w.RightsHolders).FirstOrDefaultAsync(w => w.Id == request.WorkId, ct)
                ?? throw new DomainException("That work does not exist.");
            var bundle = request.BundleId is { } chosen
                ? await db.BundleForMemberAsync(chosen, request.OrganisationId, request.UserId, ct) ?? throw new DomainException("There is no such bundle.")
                : await db.CurrentBundleAsync(request.OrganisationId, request.UserId, ct);
            if (bundle is null)
            {
                bundle = Bundle.Open(Guid.CreateVersion7(now), request.OrganisationId, request.UserId, now);
                db.Bundles.Add(bundle);
            }
            var item = bundle.Add(work, request.OfferId, now);
            // A new child with a key we made ourselves: say it is new, so EF inserts rather than updates it.
            db.Entry(item).State = EntityState.Added;
            return bundle.Id;
        }
    }
}
