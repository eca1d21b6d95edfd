using Market.Domain.Licensing;
using Market.Web.Data;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Collections;

/// <summary>Published curated bundles, for anyone to browse; buyers copy one into a bundle of their own.</summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Row> Collections { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Collections = await mediator.Send(new Query(), ct);

    public sealed record Query : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Guid Id, string Title, string Description, string Curator, bool ByMarketplace, int Items, DateTimeOffset PublishedAt);

    internal sealed class Handler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async Task<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct) =>
            await db.CuratedBundles.AsNoTracking().Where(c => c.PublishedAt != null)
                .OrderByDescending(c => c.PublishedAt).Take(200)
                .Select(c => new Row(c.Id, c.Title, c.Description,
                    c.ByMarketplace ? "the marketplace" : db.Users.Where(u => u.Id == c.CuratorUserId).Select(u => u.DisplayName).First(),
                    c.ByMarketplace, c.Items.Count, c.PublishedAt!.Value))
                .ToListAsync(ct);
    }
}
