using Market.Billing.Reports;
using Market.Web.Data;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Market.Web.Features.Statements;

/// <summary>
/// A creator's own royalty statement. The payee is always the signed-in user: there is no payee parameter to
/// change, so nobody reads another payee's statement from here (finance uses /Finance/Statements).
/// </summary>
[Authorize(Policy = Policies.Creator)]
public sealed class IndexModel(IMediator mediator, NpgsqlDataSource ledger, MarketDb db) : PageModel
{
    public PayeeStatement.View View { get; private set; } = null!;

    public async Task OnGetAsync(string? currency, string? period, string? after, CancellationToken ct) =>
        View = await mediator.Send(new PayeeStatement.Query(User.UserId(), currency, period, after, ShowLicenses: false), ct);

    /// <summary>The period's lines as CSV; columns in <see cref="PayeeStatement.CsvColumns"/>.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? currency, string? period, CancellationToken ct)
    {
        View = await mediator.Send(new PayeeStatement.Query(User.UserId(), currency, period, null, ShowLicenses: false), ct);
        if (View.Error is not null) return BadRequest(View.Error);
        var bytes = await PayeeStatement.CsvAsync(ledger, db, View.PayeeId, View.Currency, View.Period, false, ct);
        return File(bytes, "text/csv; charset=utf-8", $"statement-{View.Period}-{View.Currency}.csv");
    }

    public async Task<IActionResult> OnGetPrintAsync(string? currency, string? period, CancellationToken ct)
    {
        View = await mediator.Send(new PayeeStatement.Query(User.UserId(), currency, period, null, ShowLicenses: false), ct);
        if (View.Error is not null) return BadRequest(View.Error);
        return Partial("~/Features/Statements/_Print.cshtml", await PrintView.LoadAsync(ledger, db, View, ct));
    }
}

/// <summary>The printable statement: the roll-forward and every line of the period, up to a limit.</summary>
public sealed record PrintView(PayeeStatement.View View, string PayeeName, IReadOnlyList<PayeeStatement.SaleGroup> Sales, bool Truncated)
{
    public const int MaxLines = 5000;

    public static async Task<PrintView> LoadAsync(NpgsqlDataSource ledger, MarketDb db, PayeeStatement.View view, CancellationToken ct)
    {
        var lines = new List<StatementLine>();
        var truncated = false;
        await foreach (var line in StatementQueries.AllLinesAsync(ledger, view.PayeeId, view.Currency, view.Period, ct))
        {
            if (lines.Count == MaxLines) { truncated = true; break; }
            lines.Add(line);
        }
        var titles = await PayeeStatement.WorkTitlesAsync(db, lines.Select(l => l.WorkId), ct);
        var name = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Users.Where(u => u.Id == view.PayeeId).Select(u => u.DisplayName), ct);
        return new PrintView(view, name ?? view.PayeeId, PayeeStatement.Group(lines, titles, view.ShowLicenses), truncated);
    }
}
