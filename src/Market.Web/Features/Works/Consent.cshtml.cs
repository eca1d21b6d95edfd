using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Works;

/// <summary>
/// The opt-in, on its own page, for one work or a selection of the creator's works: never part of sign-up.
/// The page shows, per work, exactly which uses are offered, for how long and what happens at the end; the
/// text shown is the versioned text each grant records. If the version changed while the page was open, the
/// creator is asked to read it again.
/// </summary>
public sealed class ConsentModel(IMediator mediator) : PageModel
{
    public const int MaxSelection = 200;

    public IReadOnlyList<Item> Works { get; private set; } = [];
    /// <summary>Exactly the text each grant records: the page shows what the receipts will say.</summary>
    public string Text => Works.Count == 0 ? "" : ConsentText.For(Works.Select(w => w.Title).ToList());
    public bool NothingChosen { get; private set; }

    [BindProperty] public bool Agree { get; set; }
    [BindProperty] public string TextVersion { get; set; } = ConsentText.CurrentVersion;
    [BindProperty(SupportsGet = true)] public List<Guid> Ids { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is null && Ids.Count == 0)
        {
            NothingChosen = true;
            return Page();
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        try
        {
            await mediator.Send(new Command(Works.Select(w => w.Id).ToList(), Works.Select(w => w.Title).ToList(), User.UserId(), Agree, TextVersion,
                HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()), ct);
        }
        catch (WorkNotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(nameof(Agree), e.Message);
            TextVersion = ConsentText.CurrentVersion;
            return Page();
        }
        TempData["Flash"] = Works.Count == 1
            ? "Thank you. The work is opted in; your receipt is on the work's page."
            : $"Thank you. {Works.Count} works are opted in; your receipts are on the receipts page.";
        return Works.Count == 1 ? RedirectToPage("Details", new { id = Works[0].Id }) : RedirectToPage("Index");
    }

    private async Task<bool> LoadAsync(Guid? id, CancellationToken ct)
    {
        var ids = id is { } one ? [one] : Ids.Distinct().Take(MaxSelection + 1).ToList();
        if (ids.Count is 0 or > MaxSelection) return false;
        Works = await mediator.Send(new Query(ids, User.UserId()), ct);
        // Every id must be one of the creator's own; a selection with anyone else's is not found as a whole.
        return Works.Count == ids.Count;
    }

    public sealed record Item(Guid Id, string Title, bool HasConsent, IReadOnlyList<string> Offers);

    public sealed record Query(IReadOnlyList<Guid> Ids, string CreatorId) : IRequest<IReadOnlyList<Item>>;

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Item>>
    {
        public async Task<IReadOnlyList<Item>> Handle(Query request, CancellationToken ct)
        {
            var works = await db.Works.AsNoTracking().Include(w => w.Offers)
                .Where(w => request.Ids.Contains(w.Id) && w.CreatorId == request.CreatorId)
                .OrderBy(w => w.Title).ToListAsync(ct);
            return works.Select(w => new Item(w.Id, w.Title, w.HasConsent,
                w.ActiveOffers.Select(o => $"{o.Price}: {o.Terms.Describe()}").ToList())).ToList();
        }
    }

    /// <param name="Titles">The titles as the page showed them; the recorded text names them all.</param>
    public sealed record Command(IReadOnlyList<Guid> WorkIds, IReadOnlyList<string> Titles, string CreatorId, bool Agree, string TextVersion,
        string? RemoteAddress, string? UserAgent) : ICommand<Unit>;

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            // All or nothing: one refused work (already opted in, withdrawn) leaves the whole selection as it was.
            foreach (var id in request.WorkIds)
            {
                var work = await db.LoadOwnedWorkAsync(id, request.CreatorId, ct);
                // Titles changed since the page was shown make the recorded text differ from the one read: ask again.
                if (!request.Titles.Contains(work.Title))
                    throw new DomainException("A title changed while the page was open. Read the text again and confirm.");
                db.ConsentRecords.Add(work.GrantConsent(request.CreatorId, request.Agree, request.TextVersion, request.RemoteAddress, now, request.UserAgent,
                    request.Titles.Count == 1 ? null : request.Titles));
            }
            return Unit.Value;
        }
    }
}
