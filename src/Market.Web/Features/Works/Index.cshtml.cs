using MediatR;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Works;

public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Row> Works { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Works = await mediator.Send(new Query(User.UserId()), ct);

    public sealed record Query(string CreatorId) : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Guid Id, string Title, WorkState State, string? RejectionReason, bool HasConsent, int Offers, DateTimeOffset CreatedAt);

    internal sealed class Handler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async Task<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct) =>
            await db.Works.AsNoTracking()
                .Where(w => w.CreatorId == request.CreatorId)
                .OrderByDescending(w => w.CreatedAt)
                .Select(w => new Row(w.Id, w.Title, w.State, w.RejectionReason, w.ConsentGrantedAt != null, w.Offers.Count(o => o.Active), w.CreatedAt))
                .ToListAsync(ct);
    }
}
