using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Claims;

/// <summary>The moderators' list of open claims, oldest first: a held work earns nobody anything while it waits.</summary>
[Authorize(Policy = Policies.Moderator)]
public sealed class QueueModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Row> Open { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Open = await mediator.Send(new Query(), ct);

    public sealed record Query : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Guid Id, Guid WorkId, string WorkTitle, string ClaimantName, string UploaderName, DateTimeOffset FiledAt, bool Answered);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async Task<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct)
        {
            var rows = await db.Claims.AsNoTracking().Where(c => c.State == ClaimState.Open)
                .Join(db.Works, c => c.WorkId, w => w.Id, (c, w) => new { c.Id, c.WorkId, w.Title, c.ClaimantId, c.UploaderId, c.FiledAt, Answered = c.CounterStatement != null })
                .OrderBy(x => x.FiledAt).Take(500).ToListAsync(ct);
            var names = await db.DisplayNamesAsync(rows.SelectMany(r => new[] { r.ClaimantId, r.UploaderId }), ct);
            return rows.Select(r => new Row(r.Id, r.WorkId, r.Title, names.GetValueOrDefault(r.ClaimantId, "?"), names.GetValueOrDefault(r.UploaderId, "?"),
                r.FiledAt, r.Answered)).ToList();
        }
    }
}
