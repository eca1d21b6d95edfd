using Market.Domain.Catalog;
using Market.Billing.Reports;
using Market.Domain.Money;
using Market.Web.Data;
using Market.Web.Reporting;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Finance;

/// <summary>What the marketplace owes each payee, per currency and by bucket (pending, available, held), from the ledger.</summary>
public sealed class PayoutsModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Rows = await mediator.Send(new Query(), ct);

    /// <summary>
    /// CSV columns: payee_id, payee_name, payee_email, currency, then pending_minor, available_minor, held_minor
    /// (integer minor units) and the same three formatted in major units (pending, available, held).
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        var csv = new Csv("payee_id", "payee_name", "payee_email", "currency", "pending_minor", "available_minor", "held_minor", "pending", "available", "held");
        foreach (var r in await mediator.Send(new Query(), ct))
            csv.Row(Csv.Text(r.PayeeId), Csv.Text(r.Name), Csv.Text(r.Email), Csv.Text(r.Currency), Csv.Number(r.PendingMinor), Csv.Number(r.AvailableMinor),
                Csv.Number(r.HeldMinor), Currencies.FormatPlain(r.PendingMinor, r.Currency), Currencies.FormatPlain(r.AvailableMinor, r.Currency),
                Currencies.FormatPlain(r.HeldMinor, r.Currency));
        return File(csv.ToUtf8(), "text/csv; charset=utf-8", "payee-balances.csv");
    }

    public sealed record Query : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(string PayeeId, string Name, string Email, string Currency, long PendingMinor, long AvailableMinor, long HeldMinor);

    internal sealed class Handler(Npgsql.NpgsqlDataSource ledger, MarketDb db) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async Task<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct)
        {
            var balances = await PayeeBalances.AllAsync(ledger, ct);
            var ids = balances.Select(b => b.PayeeId).Distinct().ToList();
            var people = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => new { u.DisplayName, Email = u.Email ?? "" }, ct);
            // Rights holders without an account are paid as their holder record until they claim the share.
            var holderIds = ids.Select(id => id.StartsWith("holder-", StringComparison.Ordinal) && Guid.TryParseExact(id[7..], "N", out var g) ? g : Guid.Empty)
                .Where(g => g != Guid.Empty).ToList();
            foreach (var h in await EntityFrameworkQueryableExtensions.ToListAsync(db.RightsHolders.Where(h => holderIds.Contains(h.Id)).Select(h => new { h.Id, h.Name, h.Email }), ct))
                people[RightsHolder.PayeeIdFor(h.Id)] = new { DisplayName = h.Name + " (no account yet)", Email = h.Email ?? "" };
            return balances
                .Select(b => new Row(b.PayeeId, people.GetValueOrDefault(b.PayeeId)?.DisplayName ?? "(unknown)", people.GetValueOrDefault(b.PayeeId)?.Email ?? "",
                    b.Currency, b.PendingMinor, b.AvailableMinor, b.HeldMinor))
                .OrderBy(r => r.Currency, StringComparer.Ordinal).ThenByDescending(r => r.PendingMinor + r.AvailableMinor).ThenBy(r => r.PayeeId, StringComparer.Ordinal)
                .ToList();
        }
    }
}
