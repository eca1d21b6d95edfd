using Market.Billing.Reports;
using Market.Domain.Catalog;
using Market.Domain.Money;
using Market.Web.Data;
using Market.Web.Reporting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Market.Web.Features.Finance;

/// <summary>Earnings in a period by work, by payee (creator) or by month, from the statement projections.</summary>
public sealed class EarningsModel(NpgsqlDataSource ledger, MarketDb db, TimeProvider clock) : PageModel
{
    [FromQuery] public string? Period { get; set; }
    [FromQuery] public EarningsBy By { get; set; } = EarningsBy.Payee;
    public StatementPeriod Shown { get; private set; } = null!;
    public IReadOnlyList<(EarningsRow Row, string Name)> Rows { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>
    /// CSV columns: key (work id, payee id or yyyy-MM), name (work title or payee name; empty by month), currency,
    /// accrual_minor, fee_minor, refund_minor, chargeback_minor, net_minor (integer minor units; fees, refunds and
    /// chargebacks are negative; net is the sum of the four).
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Error is not null) return BadRequest(Error);
        var csv = new Csv("key", "name", "currency", "accrual_minor", "fee_minor", "refund_minor", "chargeback_minor", "net_minor");
        foreach (var (r, name) in Rows)
            csv.Row(Csv.Text(r.Key), Csv.Text(name), Csv.Text(r.Currency), Csv.Number(r.AccrualMinor), Csv.Number(r.FeeMinor), Csv.Number(r.RefundMinor),
                Csv.Number(r.ChargebackMinor), Csv.Number(r.NetMinor));
        return File(csv.ToUtf8(), "text/csv; charset=utf-8", $"earnings-by-{By.ToString().ToLowerInvariant()}-{Shown}.csv");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Shown = new StatementPeriod(PeriodLength.Year, new DateOnly(now.UtcDateTime.Year, 1, 1));
        var p = Shown;
        if (!string.IsNullOrEmpty(Period) && !StatementPeriod.TryParse(Period, out p))
        {
            Error = $"'{Period}' is not a period. Write a month (2026-03), a quarter (2026-Q1) or a year (2026).";
            return;
        }
        Shown = p;
        if (!Enum.IsDefined(By)) { Error = "Earnings are by work, payee or month."; return; }
        var rows = await Earnings.ReadAsync(ledger, By, Shown, ct);
        var names = new Dictionary<string, string>();
        if (By == EarningsBy.Work)
        {
            var ids = rows.Select(r => Guid.TryParse(r.Key, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).Distinct().ToList();
            foreach (var w in await db.Works.AsNoTracking().Where(w => ids.Contains(w.Id)).Select(w => new { w.Id, w.Title }).ToListAsync(ct))
                names[w.Id.ToString()] = w.Title;
        }
        else if (By == EarningsBy.Payee)
        {
            var ids = rows.Select(r => r.Key).Distinct().ToList();
            foreach (var u in await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
                names[u.Id] = u.DisplayName;
            var holderIds = ids.Select(id => id.StartsWith("holder-", StringComparison.Ordinal) && Guid.TryParseExact(id[7..], "N", out var g) ? g : Guid.Empty)
                .Where(g => g != Guid.Empty).ToList();
            foreach (var h in await db.RightsHolders.AsNoTracking().Where(h => holderIds.Contains(h.Id)).Select(h => new { h.Id, h.Name }).ToListAsync(ct))
                names[RightsHolder.PayeeIdFor(h.Id)] = h.Name + " (no account yet)";
        }
        Rows = rows.Select(r => (r, names.GetValueOrDefault(r.Key, ""))).ToList();
    }
}
