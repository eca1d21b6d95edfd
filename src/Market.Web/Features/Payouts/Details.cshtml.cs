using Marten;
using Market.Billing.Payouts;
using Market.Billing.Sales;
using Market.Domain;
using Market.Domain.Money;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Reporting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Payouts;

/// <summary>One batch: its items and their results, approval (by someone other than the preparer), cancellation, and the CSV report.</summary>
[Authorize(Policy = Policies.Finance)]
public sealed class DetailsModel(IMediator mediator) : PageModel
{
    public PayoutBatch Batch { get; private set; } = new();
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    [BindProperty] public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken ct) =>
        await RunAsync(id, () => mediator.Send(new ApprovePayoutBatch.Command(id, User.UserId()), ct), "Approved. Transfers are being sent.", ct);

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct) =>
        await RunAsync(id, () => mediator.Send(new CancelPayoutBatch.Command(id, User.UserId(), Reason), ct), "Batch cancelled. No money moved.", ct);

    /// <summary>
    /// CSV columns: batch_id, currency, payee_id, payee_name, amount_minor (integer minor units), amount (major units),
    /// provider, destination_account, status (pending, paid, failed, cancelled), transfer_id, failure_reason,
    /// prepared_by, approved_by, settled_at (ISO 8601 UTC).
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var csv = new Csv("batch_id", "currency", "payee_id", "payee_name", "amount_minor", "amount", "provider", "destination_account", "status",
            "transfer_id", "failure_reason", "prepared_by", "approved_by", "settled_at");
        foreach (var i in Batch.Items)
            csv.Row(Csv.Text(Batch.Id.ToString()), Csv.Text(Batch.Currency), Csv.Text(i.PayeeId), Csv.Text(Names.GetValueOrDefault(i.PayeeId) ?? ""),
                Csv.Number(i.AmountMinor), Currencies.FormatPlain(i.AmountMinor, Batch.Currency), Csv.Text(i.Provider), Csv.Text(i.DestinationAccount),
                Csv.Text(StatusOf(i)), Csv.Text(i.TransferId ?? ""), Csv.Text(i.FailureReason ?? ""), Csv.Text(Batch.PreparedBy), Csv.Text(Batch.ApprovedBy ?? ""),
                Csv.Text(i.SettledAt?.UtcDateTime.ToString("O") ?? ""));
        return File(csv.ToUtf8(), "text/csv; charset=utf-8", $"payout-{Batch.Id:N}.csv");
    }

    public string StatusOf(PayoutBatchItem i) =>
        i.Paid == true ? "paid" : i.Paid == false ? "failed" : Batch.Status == PayoutBatchStatus.Cancelled ? "cancelled" : "pending";

    private async Task<IActionResult> RunAsync(Guid id, Func<Task> command, string done, CancellationToken ct)
    {
        try
        {
            await command();
            TempData["Flash"] = done;
            return RedirectToPage(new { id });
        }
        catch (Exception e) when (e is LedgerException or DomainException)
        {
            ModelState.AddModelError("", e.Message);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var view = await mediator.Send(new Query(id), ct);
        if (view is null) return false;
        (Batch, Names) = view.Value;
        return true;
    }

    public sealed record Query(Guid BatchId) : IRequest<(PayoutBatch, IReadOnlyDictionary<string, string>)?>;

    internal sealed class Handler(IDocumentStore store, MarketDb db) : IRequestHandler<Query, (PayoutBatch, IReadOnlyDictionary<string, string>)?>
    {
        public async Task<(PayoutBatch, IReadOnlyDictionary<string, string>)?> Handle(Query request, CancellationToken ct)
        {
            await using var session = store.QuerySession();
            var (batch, _) = await PayoutBatchStream.LoadAsync(session, request.BatchId, ct);
            if (!batch.Exists) return null;
            var ids = batch.Items.Select(i => i.PayeeId).Append(batch.PreparedBy).ToList();
            var names = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName ?? u.Email ?? u.Id, ct);
            return (batch, names);
        }
    }
}
