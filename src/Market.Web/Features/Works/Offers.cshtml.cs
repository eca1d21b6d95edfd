using Market.Domain;
using Market.Domain.Catalog;
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
/// Offers edited in bulk: one set of terms and a price applied to a selection of the creator's works, either
/// added beside their offers or replacing them. All or nothing; licenses already sold are untouched.
/// </summary>
public sealed class OffersModel(IMediator mediator, MarketDb db) : OfferFormPage
{
    public IReadOnlyList<Choice> Works { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public List<Guid> Ids { get; set; } = [];
    [BindProperty] public bool Replace { get; set; } = true;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!ModelState.IsValid) return Page();
        try
        {
            var count = await mediator.Send(new Command(Ids, User.UserId(), Terms(), ParsedPrice(), Replace), ct);
            TempData["Flash"] = $"The offer is set on {count} work{(count == 1 ? "" : "s")}.";
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
        return RedirectToPage("Index");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Works = await db.Works.AsNoTracking()
            .Where(w => w.CreatorId == User.UserId() && w.State != WorkState.Rejected && w.State != WorkState.Withdrawn && w.State != WorkState.TakenDown)
            .OrderBy(w => w.Title)
            .Select(w => new Choice(w.Id, w.Title, w.Offers.Count(o => o.Active)))
            .ToListAsync(ct);

    public sealed record Choice(Guid Id, string Title, int ActiveOffers);

    public sealed record Command(IReadOnlyList<Guid> WorkIds, string CreatorId, LicenseTerms Terms, Price Price, bool Replace) : ICommand<int>;

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Command, int>
    {
        public const int MaxWorks = 1000;

        public async Task<int> Handle(Command request, CancellationToken ct)
        {
            var ids = request.WorkIds.Distinct().ToList();
            if (ids.Count == 0) throw new DomainException("Tick the works the offer is for.");
            if (ids.Count > MaxWorks) throw new DomainException($"Set offers on at most {MaxWorks} works at a time.");
            var works = await db.Works.Include(w => w.Offers)
                .Where(w => ids.Contains(w.Id) && w.CreatorId == request.CreatorId).ToListAsync(ct);
            if (works.Count != ids.Count) throw new WorkNotFoundException();
            var now = clock.GetUtcNow();
            foreach (var work in works)
            {
                var offer = request.Replace
                    ? work.ReplaceOffers(request.CreatorId, Guid.CreateVersion7(now), request.Terms, request.Price, now)
                    : work.AddOffer(request.CreatorId, Guid.CreateVersion7(now), request.Terms, request.Price, now);
                db.Entry(offer).State = EntityState.Added;
            }
            return works.Count;
        }
    }
}
