using Marten;
using Market.Billing.Payments;
using Market.Billing.Payouts;
using Market.Billing.Reconciliation;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Domain.Money;
using Market.Web.Identity;
using Market.Web.Ledger;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Market.Web.Features.Reconciliation;

/// <summary>
/// Finance compares the payment provider's balance history (an uploaded export) with the ledger and sees every
/// difference; processor fees the ledger lacks can be posted from the same file.
/// </summary>
[Authorize(Policy = Policies.Finance)]
[RequestSizeLimit(MaxFileBytes + 64 * 1024)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public const int MaxFileBytes = 10 * 1024 * 1024;

    [BindProperty] public IFormFile? Export { get; set; }
    public ReconciliationResult? Result { get; private set; }
    public int? FeesPosted { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await ReadAsync() is not { } transactions) return Page();
        Result = await mediator.Send(new Compare(transactions), ct);
        return Page();
    }

    /// <summary>Posts the processor fees the ledger lacks, then compares again. Repeating it posts nothing twice.</summary>
    public async Task<IActionResult> OnPostFeesAsync(CancellationToken ct)
    {
        if (await ReadAsync() is not { } transactions) return Page();
        var before = await mediator.Send(new Compare(transactions), ct);
        FeesPosted = await mediator.Send(new PostMissingFees(before.MissingFees), ct);
        Result = await mediator.Send(new Compare(transactions), ct);
        return Page();
    }

    private async Task<IReadOnlyList<BalanceTransaction>?> ReadAsync()
    {
        if (Export is null || Export.Length == 0) { ModelState.AddModelError("", "Choose the balance history CSV exported from the provider."); return null; }
        if (Export.Length > MaxFileBytes) { ModelState.AddModelError("", "The file is larger than 10 MB; export a shorter period."); return null; }
        try
        {
            using var reader = new StreamReader(Export.OpenReadStream());
            var rows = StripeBalanceCsv.Read(reader, Currencies.Exponent);
            if (rows.Count == 0) { ModelState.AddModelError("", "The file lists no balance transactions."); return null; }
            return rows;
        }
        catch (ReconciliationException e)
        {
            ModelState.AddModelError("", e.Message);
            return null;
        }
    }

    /// <summary>
    /// Compares with the ledger over the period the provider's transactions cover (first to last, inclusive),
    /// for the payment provider the site uses.
    /// </summary>
    public sealed record Compare(IReadOnlyList<BalanceTransaction> Transactions) : IRequest<ReconciliationResult>;

    public sealed record PostMissingFees(IReadOnlyList<MissingFee> Fees) : ICommand<int>;

    internal sealed class CompareHandler(IDocumentStore store, NpgsqlDataSource db, IPaymentGateway gateway) : IRequestHandler<Compare, ReconciliationResult>
    {
        public async Task<ReconciliationResult> Handle(Compare request, CancellationToken ct)
        {
            await store.CatchUpAsync();
            var from = request.Transactions.Min(t => t.Created);
            var to = request.Transactions.Max(t => t.Created).AddSeconds(1);
            return Reconciler.Reconcile(request.Transactions, await LoadAsync(gateway.Provider, ct), from, to);
        }

        // Everything the provider could show, read whole: the ledger's refunds, transfers and fees are few
        // next to its sales, and the sales come from the projected index.
        private async Task<LedgerFacts> LoadAsync(string provider, CancellationToken ct)
        {
            var sales = new List<LedgerSale>();
            await using (var command = db.CreateCommand($"select sale_id, payment_reference, currency, gross, posted_at from {LedgerTables.Qualified(SalesIndexProjection.Table)} where provider = $1"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = provider });
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    sales.Add(new LedgerSale(reader.GetGuid(0), reader.GetString(1), reader.GetString(2).Trim(), reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4)));
            }
            var ids = sales.Select(s => s.SaleId).ToHashSet();
            await using var session = store.QuerySession();
            var refunds = (await session.Events.QueryRawEventDataOnly<SaleRefunded>().ToListAsync(ct))
                .Where(r => ids.Contains(r.SaleId)).Select(r => new LedgerMovement(r.RefundId, r.SaleId, r.Currency, r.AmountMinor, r.PostedAt)).ToList();
            var transfers = (await session.Events.QueryRawEventDataOnly<PayoutTransferPaid>().ToListAsync(ct))
                .Select(t => new LedgerMovement(t.TransferId, null, t.Currency, t.AmountMinor, t.PostedAt)).ToList();
            var fees = (await session.Events.QueryRawEventDataOnly<ProcessorFeeCharged>().ToListAsync(ct))
                .Select(f => new LedgerMovement(f.Reference, f.SaleId, f.Currency, f.AmountMinor, f.PostedAt)).ToList();
            return new LedgerFacts(sales, refunds, transfers, fees);
        }
    }

    internal sealed class PostFeesHandler(UnitOfWork unitOfWork, TimeProvider clock) : IRequestHandler<PostMissingFees, int>
    {
        public async Task<int> Handle(PostMissingFees request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var posted = 0;
            foreach (var fee in request.Fees)
            {
                var stream = await unitOfWork.Ledger.Events.FetchForWriting<SaleLedger>(fee.SaleId, ct);
                if (stream.Aggregate is null || stream.Aggregate.Currency != fee.Currency) continue;
                // The balance transaction id is the fee's reference: a second press finds it and appends nothing.
                if (SaleDecisions.ChargeProcessorFee(stream.Aggregate, fee.BalanceTransactionId, fee.AmountMinor, now) is not { } e) continue;
                stream.AppendOne(e);
                posted++;
            }
            return posted;
        }
    }
}
