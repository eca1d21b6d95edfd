using Market.Domain;
using Market.Domain.Licensing;
using Market.Domain.Money;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Works;

public sealed class OfferModel(IMediator mediator, MarketDb db) : PageModel
{
    private static readonly LicenseTerms Defaults = LicenseTerms.OneYearGenerative;

    public string WorkTitle { get; private set; } = "";

    [BindProperty] public LicenseScope Scope { get; set; } = Defaults.Scope;
    [BindProperty] public bool Commercial { get; set; } = Defaults.Commercial;
    [BindProperty] public int TermMonths { get; set; } = Defaults.TermMonths;
    [BindProperty] public bool AttributionRequired { get; set; } = Defaults.AttributionRequired;
    [BindProperty] public bool NameMayNotBeUsedAsPrompt { get; set; } = Defaults.NameMayNotBeUsedAsPrompt;
    [BindProperty] public ExpiryDuty DutyAtExpiry { get; set; } = Defaults.DutyAtExpiry;
    [BindProperty] public int AttestWithinDays { get; set; } = Defaults.AttestWithinDays;
    [BindProperty] public string? Price { get; set; }
    [BindProperty] public string Currency { get; set; } = "EUR";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!ModelState.IsValid) return Page();
        try
        {
            var terms = new LicenseTerms(Scope, Commercial, TermMonths, AttributionRequired, NameMayNotBeUsedAsPrompt, DutyAtExpiry, AttestWithinDays);
            await mediator.Send(new Command(id, User.UserId(), terms, Domain.Money.Price.Parse(Price, Currency)), ct);
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
        TempData["Flash"] = "Offer saved.";
        return RedirectToPage("Details", new { id });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var title = await db.OwnedWorkTitleAsync(id, User.UserId(), ct);
        WorkTitle = title ?? "";
        return title is not null;
    }

    public sealed record Command(Guid WorkId, string CreatorId, LicenseTerms Terms, Price Price) : ICommand<Guid>;

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Command, Guid>
    {
        public async Task<Guid> Handle(Command request, CancellationToken ct)
        {
            var work = await db.LoadOwnedWorkAsync(request.WorkId, request.CreatorId, ct);
            var now = clock.GetUtcNow();
            var offer = work.AddOffer(request.CreatorId, Guid.CreateVersion7(now), request.Terms, request.Price, now);
            // A new child of a tracked aggregate with a client-made key: tell EF it is new, not an update.
            db.Entry(offer).State = EntityState.Added;
            return offer.Id;
        }
    }
}
