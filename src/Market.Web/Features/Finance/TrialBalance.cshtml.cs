using Market.Billing.Periods;
using Market.Domain.Money;
using Market.Web.Reporting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Market.Web.Features.Finance;

/// <summary>Every ledger account's debits and credits per currency, with the check that they are equal.</summary>
public sealed class TrialBalanceModel(NpgsqlDataSource ledger) : PageModel
{
    public IReadOnlyList<ClosingBalance> Balances { get; private set; } = [];
    public IReadOnlyList<(string Currency, long DebitMinor, long CreditMinor)> Totals { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Balances = await Market.Billing.Reports.TrialBalance.ReadAsync(ledger, ct);
        Totals = Market.Billing.Reports.TrialBalance.Totals(Balances);
    }

    /// <summary>CSV columns: currency, account, debit_minor, credit_minor, balance_minor (debit - credit), all integer minor units.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        var csv = new Csv("currency", "account", "debit_minor", "credit_minor", "balance_minor");
        foreach (var b in await Market.Billing.Reports.TrialBalance.ReadAsync(ledger, ct))
            csv.Row(Csv.Text(b.Currency), Csv.Text(b.Account), Csv.Number(b.DebitMinor), Csv.Number(b.CreditMinor), Csv.Number(b.DebitMinor - b.CreditMinor));
        return File(csv.ToUtf8(), "text/csv; charset=utf-8", "trial-balance.csv");
    }
}
