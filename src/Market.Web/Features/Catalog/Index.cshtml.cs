using Market.Domain.Catalog;
using Market.Web.Data;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Catalog;

/// <summary>The public catalog: listed works only, previews only.</summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Card> Works { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Works = await mediator.Send(new Query(), ct);

    public sealed record Query(int Take = 60) : IRequest<IReadOnlyList<Card>>;

    public sealed record Card(Guid Id, string Title, string Creator, long? FromPriceMinor, string? Currency);

    internal sealed class Handler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Card>>
    {
        public async Task<IReadOnlyList<Card>> Handle(Query request, CancellationToken ct) =>
            await db.Works.AsNoTracking()
                .Where(w => w.State == WorkState.Listed && w.ConsentGrantedAt != null && w.RightsHolders.All(h => h.Status == ShareStatus.Confirmed))
                .OrderByDescending(w => w.ListedAt).ThenBy(w => w.Id)
                .Take(request.Take)
                .Select(w => new Card(
                    w.Id,
                    w.Title,
                    db.Users.Where(u => u.Id == w.CreatorId).Select(u => u.DisplayName).First(),
                    w.Offers.Where(o => o.Active).OrderBy(o => o.PriceMinor).Select(o => (long?)o.PriceMinor).FirstOrDefault(),
                    w.Offers.Where(o => o.Active).OrderBy(o => o.PriceMinor).Select(o => o.Currency).FirstOrDefault()))
                .ToListAsync(ct);
    }
}
