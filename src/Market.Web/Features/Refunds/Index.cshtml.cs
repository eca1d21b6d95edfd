using Marten;
using Market.Billing.Payments;
using Market.Billing.Sales;
using Market.Domain;
using Market.Domain.Money;
using Market.Web.Ledger;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.Refunds;

/// <summary>
/// Finance refunds a sale, in full or in part: the payment provider refunds the buyer first, then the ledger
/// posts the refund under the provider's refund id, so the provider's own refund webhook later posts nothing.
/// </summary>
[Authorize(Policy = Policies.Finance)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? OrderId { get; set; }
    [BindProperty] public string? Amount { get; set; }
    [BindProperty] public string? Reason { get; set; }
    public Sale? Found { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (OrderId is { } id) Found = await mediator.Send(new Query(id), ct);
        if (OrderId is not null && Found is null) ModelState.AddModelError("", "There is no sale with this order id in the ledger.");
    }

    public async Task<IActionResult> OnPostAsync(bool full, CancellationToken ct)
    {
        if (OrderId is not { } id) { ModelState.AddModelError("", "Enter the order id of the sale."); return Page(); }
        try
        {
            var refund = await mediator.Send(new IssueRefund(id, full ? null : Amount, Reason, User.UserId()!), ct);
            TempData["Flash"] = $"Refunded {Currencies.Format(refund.AmountMinor, refund.Currency)} (refund {refund.RefundId}).";
            return RedirectToPage(new { orderId = id });
        }
        catch (Exception e) when (e is DomainException or LedgerException or RefundFailedException)
        {
            ModelState.AddModelError("", e.Message);
            Found = await mediator.Send(new Query(id), ct);
            return Page();
        }
    }

    public sealed record Query(Guid OrderId) : IRequest<Sale?>;

    public sealed record Sale(Guid OrderId, string Currency, long GrossMinor, long RefundedMinor, long RefundableMinor, string Provider, string PaymentReference,
        bool OpenDispute, IReadOnlyList<SaleRefunded> Refunds);

    /// <summary>Refunds <see cref="Amount"/> (in major units, e.g. "12.50"), or everything still refundable when it is null.</summary>
    public sealed record IssueRefund(Guid OrderId, string? Amount, string? Reason, string By) : ICommand<Issued>;

    public sealed record Issued(string RefundId, long AmountMinor, string Currency);

    internal sealed class QueryHandler(IDocumentStore store) : IRequestHandler<Query, Sale?>
    {
        public async Task<Sale?> Handle(Query request, CancellationToken ct)
        {
            await using var session = store.QuerySession();
            var events = (await session.Events.FetchStreamAsync(request.OrderId, token: ct)).Select(e => e.Data).OfType<ISaleTransaction>().ToList();
            return events.Count == 0 ? null : Describe(events);
        }
    }

    internal static Sale Describe(IReadOnlyList<ISaleTransaction> events)
    {
        var posted = events.OfType<SalePosted>().First();
        var ledger = SaleLedger.From(events);
        return new Sale(posted.SaleId, posted.Currency, posted.GrossMinor, ledger.RefundedMinor, SaleDecisions.Refundable(ledger), posted.PaymentProvider,
            posted.PaymentReference, ledger.OpenDispute is not null, events.OfType<SaleRefunded>().ToList());
    }

    internal sealed class IssueHandler(UnitOfWork unitOfWork, IPaymentGateway gateway, MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<IssueRefund, Issued>
    {
        public async Task<Issued> Handle(IssueRefund request, CancellationToken ct)
        {
            var reason = (request.Reason ?? "").Trim();
            if (reason.Length == 0) throw new DomainException("Give a reason for the refund; the holders see it on their statements.");
            if (reason.Length > 500) throw new DomainException("Keep the reason under 500 characters.");

            // FetchForWriting makes the append fail if another refund of this sale commits meanwhile, so two
            // finance users cannot both refund the same remaining amount.
            await unitOfWork.Ledger.TakeSharedLedgerLockAsync(ct);
            var stream = await unitOfWork.Ledger.Events.FetchForWriting<SaleLedger>(request.OrderId, ct);
            var sale = stream.Aggregate ?? throw new DomainException("There is no sale with this order id in the ledger.");
            var posted = (await unitOfWork.Ledger.Events.FetchStreamAsync(request.OrderId, version: 1, token: ct)).Select(e => e.Data).OfType<SalePosted>().First();
            if (posted.PaymentProvider != gateway.Provider)
                throw new DomainException($"This sale was paid through the {posted.PaymentProvider} provider; the site now uses {gateway.Provider}. Refund it at that provider.");

            if (sale.OpenDispute is not null) throw new DomainException("This sale is disputed; it cannot be refunded until the dispute is closed.");
            var refundable = SaleDecisions.Refundable(sale);
            var amount = request.Amount is null ? refundable : ParseAmount(request.Amount, sale.Currency);
            if (amount > refundable)
                throw new DomainException($"Only {Currencies.Format(refundable, sale.Currency)} of this sale can still be refunded.");
            var now = clock.GetUtcNow();
            // Decide before asking the provider, with a stand-in id, so a refund the ledger would refuse (too
            // much, an open dispute) never reaches the buyer's card.
            SaleDecisions.Refund(sale, "check", amount, reason, now);

            // The same sale state and amount give the same key: a double submit gets the provider's first refund
            // back, and its id is then already in the ledger.
            var key = $"refund_{request.OrderId:N}_{stream.CurrentVersion}_{amount}";
            var refund = await gateway.RefundAsync(new RefundRequest(request.OrderId, posted.PaymentReference, amount, sale.Currency, reason, key), ct);
            if (SaleDecisions.Refund(sale, refund.RefundId, refund.AmountMinor, reason, now) is { } e)
            {
                stream.AppendOne(e);
                sale.Fold(e);
                await SaleMoney.NotifyHoldersAsync(db, notifier, sale, "A sale was refunded",
                    $"{Currencies.Format(e.AmountMinor, sale.Currency)} of a sale was refunded to the buyer ({reason}); your royalties from it were reduced in proportion.", ct);
            }
            return new Issued(refund.RefundId, refund.AmountMinor, sale.Currency);
        }

        // The price parser's rules (no floating point, no thousands separators), with a message about refunds.
        private static long ParseAmount(string text, string currency)
        {
            try { return Price.Parse(text, currency).Minor; }
            catch (DomainException)
            {
                throw new DomainException($"Enter the amount to refund in {currency} as a positive number like 12.50, or refund everything refundable.");
            }
        }
    }
}
