using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Reporting;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Works;

/// <summary>
/// The creator's consent receipts, every grant and withdrawal with who, when, from where, which text version,
/// the full text and the offers in force: as a page, and as CSV to keep. One work (<c>/Works/Receipts/{id}</c>)
/// or all of them.
/// </summary>
public sealed class ReceiptsModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Receipt> Receipts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        Receipts = await mediator.Send(new Query(User.UserId(), id), ct);
        if (id is not null && Receipts.Count == 0) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(Guid? id, CancellationToken ct)
    {
        var receipts = await mediator.Send(new Query(User.UserId(), id), ct);
        if (id is not null && receipts.Count == 0) return NotFound();
        var csv = new Csv("receipt_id", "work_id", "work_title", "action", "at_utc", "text_version", "text", "terms", "remote_address", "user_agent");
        foreach (var r in receipts)
            csv.Row(Csv.Text(r.Record.Id.ToString()), Csv.Text(r.Record.WorkId.ToString()), Csv.Text(r.WorkTitle), Csv.Text(r.Record.Action.ToString()),
                Csv.Time(r.Record.At), Csv.Text(r.Record.TextVersion), Csv.Text(r.Record.Text), Csv.Text(r.Record.Terms),
                Csv.Text(r.Record.RemoteAddress), Csv.Text(r.Record.UserAgent));
        return File(csv.ToUtf8(), "text/csv; charset=utf-8", id is null ? "consent-receipts.csv" : $"consent-receipts-{id:N}.csv");
    }

    public sealed record Receipt(ConsentRecord Record, string WorkTitle);

    public sealed record Query(string CreatorId, Guid? WorkId) : IRequest<IReadOnlyList<Receipt>>;

    internal sealed class Handler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Receipt>>
    {
        public async Task<IReadOnlyList<Receipt>> Handle(Query request, CancellationToken ct) =>
            await db.ConsentRecords.AsNoTracking()
                .Join(db.Works, c => c.WorkId, w => w.Id, (c, w) => new { c, w.Title, w.CreatorId })
                .Where(x => x.CreatorId == request.CreatorId && (request.WorkId == null || x.c.WorkId == request.WorkId))
                .OrderBy(x => x.c.At)
                .Select(x => new Receipt(x.c, x.Title))
                .ToListAsync(ct);
    }
}
