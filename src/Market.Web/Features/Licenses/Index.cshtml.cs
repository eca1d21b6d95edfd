using Market.Web.Data;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Licenses;

public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Row> Licenses { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Licenses = await mediator.Send(new Query(Guid.Parse(User.OrganisationId()!)), ct);

    public sealed record Query(Guid OrganisationId) : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Guid Id, DateTimeOffset IssuedAt, int Items, DateTimeOffset EndsAt);

    internal sealed class Handler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async Task<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct) =>
            await db.Licenses.AsNoTracking()
                .Where(l => l.OrganisationId == request.OrganisationId)
                .OrderByDescending(l => l.IssuedAt)
                .Select(l => new Row(l.Id, l.IssuedAt, l.Items.Count, l.Items.Max(i => i.EndsAt)))
                .ToListAsync(ct);
    }
}
