using Market.Billing.Ledger;
using Market.Web.Data;
using Market.Web.Features.Statements;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Market.Web.Features.Finance;

/// <summary>Any payee's statement, for finance (the folder requires Policies.Finance), with each sale's license.</summary>
public sealed class StatementsModel(IMediator mediator, NpgsqlDataSource ledger, MarketDb db) : PageModel
{
    [FromQuery(Name = "payee")] public string? Payee { get; set; }
    public PayeeStatement.View? View { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? currency, string? period, string? after, CancellationToken ct)
    {
        if (!Valid()) return Page();
        View = await mediator.Send(new PayeeStatement.Query(Payee!, currency, period, after, ShowLicenses: true), ct);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(string? currency, string? period, CancellationToken ct)
    {
        if (!Valid()) return BadRequest(Error ?? "");
        View = await mediator.Send(new PayeeStatement.Query(Payee!, currency, period, null, ShowLicenses: true), ct);
        if (View.Error is not null) return BadRequest(View.Error);
        var bytes = await PayeeStatement.CsvAsync(ledger, db, View.PayeeId, View.Currency, View.Period, true, ct);
        return File(bytes, "text/csv; charset=utf-8", $"statement-{View.PayeeId}-{View.Period}-{View.Currency}.csv");
    }

    public async Task<IActionResult> OnGetPrintAsync(string? currency, string? period, CancellationToken ct)
    {
        if (!Valid()) return BadRequest(Error ?? "");
        View = await mediator.Send(new PayeeStatement.Query(Payee!, currency, period, null, ShowLicenses: true), ct);
        if (View.Error is not null) return BadRequest(View.Error);
        return Partial("~/Features/Statements/_Print.cshtml", await PrintView.LoadAsync(ledger, db, View, ct));
    }

    private bool Valid()
    {
        if (string.IsNullOrWhiteSpace(Payee)) { Error = "Choose a payee (their id, as on the payee balances report)."; return false; }
        try { Accounts.EnsureValidPayeeId(Payee); return true; }
        catch (ArgumentException) { Error = "That is not a payee id."; return false; }
    }
}
