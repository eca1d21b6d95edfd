using Market.Domain;
using Market.Domain.Licensing;
using Market.Domain.Money;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Works;

/// <summary>
/// Adds an offer to one work, or changes one (<c>?offerId=</c>): a change retires the old offer and adds its
/// successor, so a license already sold keeps the terms it was sold under.
/// </summary>
public sealed class OfferModel(IMediator mediator, MarketDb db) : OfferFormPage
{
    public string WorkTitle { get; private set; } = "";
    [BindProperty(SupportsGet = true)] public Guid? OfferId { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (OfferId is { } offerId)
        {
            var offer = await db.LicenseOffers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == offerId && o.WorkId == id && o.Active, ct);
            if (offer is null) return NotFound();
            Fill(offer.Terms, offer.Price);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!ModelState.IsValid) return Page();
        try
        {
            await mediator.Send(new Command(id, User.UserId(), Terms(), ParsedPrice(), OfferId), ct);
        }
        catch (WorkNotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        TempData["Flash"] = OfferId is null ? "Offer saved." : "Offer changed. Licenses already sold keep the terms they were sold under.";
        return RedirectToPage("Details", new { id });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var title = await db.OwnedWorkTitleAsync(id, User.UserId(), ct);
        WorkTitle = title ?? "";
        return title is not null;
    }

    /// <param name="ReplacesOfferId">The offer being changed; null adds a new one.</param>
    public sealed record Command(Guid WorkId, string CreatorId, LicenseTerms Terms, Price Price, Guid? ReplacesOfferId = null) : ICommand<Guid>;

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Command, Guid>
    {
        public async Task<Guid> Handle(Command request, CancellationToken ct)
        {
            var work = await db.LoadOwnedWorkAsync(request.WorkId, request.CreatorId, ct);
            var now = clock.GetUtcNow();
            var offer = request.ReplacesOfferId is { } old
                ? work.ReviseOffer(request.CreatorId, old, Guid.CreateVersion7(now), request.Terms, request.Price, now)
                : work.AddOffer(request.CreatorId, Guid.CreateVersion7(now), request.Terms, request.Price, now);
            // A new child of a tracked aggregate with a client-made key: tell EF it is new, not an update.
            db.Entry(offer).State = EntityState.Added;
            return offer.Id;
        }
    }
}
