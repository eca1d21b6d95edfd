using Market.Domain.Moderation;
using Market.Web.Data;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Moderation;

/// <summary>The review queue: open cases, oldest first. The folder's Moderator policy (role + 2FA) is the access check.</summary>
public sealed class ReviewModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Row> Cases { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Cases = await mediator.Send(new Query(), ct);

    public sealed record Query : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Guid Id, Guid WorkId, string WorkTitle, string CreatorName, ReviewCaseKind Kind, string Target, int? Distance, string Edit, DateTimeOffset OpenedAt);

    public const int PageSize = 200;

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async Task<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct)
        {
            var rows = await db.ReviewCases.AsNoTracking().Where(c => c.State == ReviewCaseState.Open)
                .OrderBy(c => c.OpenedAt).ThenBy(c => c.Id).Take(PageSize)
                .Join(db.Works, c => c.WorkId, w => w.Id, (c, w) => new
                {
                    c.Id, c.WorkId, w.Title, w.CreatorId, c.Kind, c.TargetId, c.Distance, c.Edit, c.OpenedAt,
                    TargetWork = db.Works.Where(t => t.Id == c.TargetId).Select(t => t.Title).FirstOrDefault(),
                    TargetEntry = db.ProtectedWorks.Where(p => p.Id == c.TargetId).Select(p => p.Label).FirstOrDefault(),
                })
                .OrderBy(x => x.OpenedAt).ThenBy(x => x.Id)
                .ToListAsync(ct);
            var names = await db.DisplayNamesAsync(rows.Select(r => r.CreatorId), ct);
            return rows.Select(r => new Row(r.Id, r.WorkId, r.Title, names.GetValueOrDefault(r.CreatorId, ""), r.Kind,
                r.Kind switch
                {
                    ReviewCaseKind.WorkMatch => $"work “{r.TargetWork}”",
                    ReviewCaseKind.ProtectedWorkMatch => $"registry entry “{r.TargetEntry}”",
                    _ => "declared AI-generated",
                }, r.Distance, r.Edit, r.OpenedAt)).ToList();
        }
    }
}
