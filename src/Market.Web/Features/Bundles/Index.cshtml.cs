using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Bundles;

/// <summary>The member's bundles and the ones colleagues shared; a new bundle starts here.</summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Row> Bundles { get; private set; } = [];

    [BindProperty] public string? Name { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Bundles = await mediator.Send(new Query(OrganisationId, User.UserId()), ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        Guid id;
        try
        {
            id = await mediator.Send(new Create(OrganisationId, User.UserId(), Name), ct);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            Bundles = await mediator.Send(new Query(OrganisationId, User.UserId()), ct);
            return Page();
        }
        return RedirectToPage("/Bundles/Details", new { id });
    }

    private Guid OrganisationId => Guid.Parse(User.OrganisationId()!);

    public sealed record Query(Guid OrganisationId, string UserId) : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Guid Id, string Name, string Author, bool IsMine, bool Shared, bool Open, int Items, long TotalMinor, string? Currency,
        DateTimeOffset UpdatedAt);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async Task<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct) =>
            await db.Bundles.AsNoTracking().VisibleTo(request.OrganisationId, request.UserId)
                .OrderByDescending(b => b.Status == BundleStatus.Open).ThenByDescending(b => b.UpdatedAt)
                .Take(200)
                .Select(b => new Row(b.Id, b.Name, db.Users.Where(u => u.Id == b.CreatedByUserId).Select(u => u.DisplayName).First(),
                    b.CreatedByUserId == request.UserId, b.SharedWithOrganisation, b.Status == BundleStatus.Open, b.Items.Count,
                    b.Items.Sum(i => i.PriceMinor), b.Items.Select(i => i.Currency).FirstOrDefault(), b.UpdatedAt))
                .ToListAsync(ct);
    }

    public sealed record Create(Guid OrganisationId, string UserId, string? Name) : ICommand<Guid>;

    internal sealed class CreateHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Create, Guid>
    {
        public Task<Guid> Handle(Create request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var bundle = Bundle.Open(Guid.CreateVersion7(now), request.OrganisationId, request.UserId, now, request.Name);
            db.Bundles.Add(bundle);
            return Task.FromResult(bundle.Id);
        }
    }
}
