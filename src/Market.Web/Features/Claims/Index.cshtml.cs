using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Claims;

/// <summary>The caller's claims: those they filed, those against works they listed, and any sanctions on their account.</summary>
[Authorize]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public View Mine { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Mine = await mediator.Send(new Query(User.UserId()), ct);

    public sealed record Query(string UserId) : IRequest<View>;

    public sealed record Row(Guid Id, string WorkTitle, ClaimState State, DateTimeOffset FiledAt);

    public sealed record View(IReadOnlyList<Row> Filed, IReadOnlyList<Row> Against, IReadOnlyList<Sanction> Sanctions);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View>
    {
        public async Task<View> Handle(Query request, CancellationToken ct)
        {
            var rows = await db.Claims.AsNoTracking()
                .Where(c => c.ClaimantId == request.UserId || c.UploaderId == request.UserId)
                .Join(db.Works, c => c.WorkId, w => w.Id, (c, w) => new { c.Id, w.Title, c.State, c.FiledAt, c.ClaimantId })
                .OrderByDescending(x => x.FiledAt).Take(500).ToListAsync(ct);
            var sanctions = await db.Sanctions.AsNoTracking().Where(s => s.UserId == request.UserId).OrderBy(s => s.At).ToListAsync(ct);
            return new View(
                rows.Where(r => r.ClaimantId == request.UserId).Select(r => new Row(r.Id, r.Title, r.State, r.FiledAt)).ToList(),
                rows.Where(r => r.ClaimantId != request.UserId).Select(r => new Row(r.Id, r.Title, r.State, r.FiledAt)).ToList(),
                sanctions);
        }
    }
}
