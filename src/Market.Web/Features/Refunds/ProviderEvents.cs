using Hangfire;
using Marten;
using Market.Billing.Payments;
using Market.Billing.Sales;
using Market.Domain.Money;
using Market.Web.Ledger;
using Market.Web.Data;
using Market.Web.Jobs;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Npgsql;

namespace Market.Web.Features.Refunds;

/// <summary>
/// Refunds and disputes reported by the payment provider's webhooks, posted to the sale's stream. Each command
/// is one transaction; the provider's refund and dispute ids make a redelivery, or a refund the finance page
/// already posted, append nothing.
/// </summary>
public static class ProviderEvents
{
    public sealed record PostRefunds(ProviderRefunds Message) : ICommand<int>;
    public sealed record OpenDispute(ProviderDisputeOpened Message) : ICommand<bool>;
    public sealed record CloseDispute(ProviderDisputeClosed Message) : ICommand<bool>;

    internal sealed class Handlers(UnitOfWork unitOfWork, IDocumentStore store, NpgsqlDataSource ledgerDb, MarketDb db, Notifier notifier, TimeProvider clock)
        : IRequestHandler<PostRefunds, int>, IRequestHandler<OpenDispute, bool>, IRequestHandler<CloseDispute, bool>
    {
        public async Task<int> Handle(PostRefunds request, CancellationToken ct)
        {
            var m = request.Message;
            var stream = await SaleAsync(m.OrderId, m.PaymentReference, ct);
            var sale = stream.Aggregate!;
            var now = clock.GetUtcNow();
            var posted = new List<SaleRefunded>();
            // In the charge's order, each refund folded in before the next is decided, so several new refunds
            // in one event are each checked against what the earlier ones left.
            foreach (var refund in m.Refunds)
            {
                if (SaleDecisions.Refund(sale, refund.RefundId, refund.AmountMinor, refund.Reason, now) is not { } e) continue;
                stream.AppendOne(e);
                sale.Fold(e);
                posted.Add(e);
            }
            if (posted.Count > 0)
                await SaleMoney.NotifyHoldersAsync(db, notifier, sale, "A sale was refunded",
                    $"{Currencies.Format(posted.Sum(p => p.AmountMinor), sale.Currency)} of a sale was refunded to the buyer; your royalties from it were reduced in proportion.", ct);
            return posted.Count;
        }

        public async Task<bool> Handle(OpenDispute request, CancellationToken ct)
        {
            var m = request.Message;
            var stream = await SaleAsync(m.OrderId, m.PaymentReference, ct);
            if (SaleDecisions.OpenDispute(stream.Aggregate!, m.DisputeId, m.AmountMinor, clock.GetUtcNow()) is not { } e) return false;
            stream.AppendOne(e);
            return true;
        }

        public async Task<bool> Handle(CloseDispute request, CancellationToken ct)
        {
            var m = request.Message;
            var stream = await SaleAsync(m.OrderId, m.PaymentReference, ct);
            var sale = stream.Aggregate!;
            var now = clock.GetUtcNow();
            // Webhooks can arrive out of order: a "closed" before its "created" opens the dispute first, and the
            // late "created" then finds it and appends nothing.
            if (!sale.Disputes.ContainsKey(m.DisputeId))
            {
                var opened = SaleDecisions.OpenDispute(sale, m.DisputeId, m.AmountMinor, now)!;
                stream.AppendOne(opened);
                sale.Fold(opened);
            }
            if (SaleDecisions.CloseDispute(sale, m.DisputeId, m.Won, now) is not { } e) return false;
            stream.AppendOne(e);
            if (!m.Won)
                await SaleMoney.NotifyHoldersAsync(db, notifier, sale, "A sale was charged back",
                    $"The buyer's bank reversed {Currencies.Format(e.AmountMinor, sale.Currency)} of a sale; your royalties from it were reversed in proportion.", ct);
            return true;
        }

        private async Task<JasperFx.Events.IEventStream<SaleLedger>> SaleAsync(Guid? orderId, string paymentReference, CancellationToken ct)
        {
            var id = await SaleMoney.OrderOfAsync(store, ledgerDb, orderId, paymentReference, ct)
                ?? throw new SaleNotPostedYetException($"No sale in the ledger has payment {paymentReference} yet.");
            await unitOfWork.Ledger.TakeSharedLedgerLockAsync(ct);
            var stream = await unitOfWork.Ledger.Events.FetchForWriting<SaleLedger>(id, ct);
            if (stream.Aggregate is null) throw new SaleNotPostedYetException($"Sale {id} is not in the ledger yet.");
            return stream;
        }
    }
}

/// <summary>
/// Handles verified refund and dispute webhooks off the request thread. Database trouble and a sale whose
/// payment is still being posted are retried; a request the ledger refuses would be refused again, so it fails
/// at once and waits on the dashboard for a person.
/// </summary>
public sealed class ProviderEventsJob(IMediator mediator)
{
    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 10, ExceptOn = [typeof(LedgerException)])]
    public async Task RefundsAsync(ProviderRefunds message, CancellationToken ct) =>
        await mediator.Send(new ProviderEvents.PostRefunds(message), ct);

    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 10, ExceptOn = [typeof(LedgerException)])]
    public async Task DisputeOpenedAsync(ProviderDisputeOpened message, CancellationToken ct) =>
        await mediator.Send(new ProviderEvents.OpenDispute(message), ct);

    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 10, ExceptOn = [typeof(LedgerException)])]
    public async Task DisputeClosedAsync(ProviderDisputeClosed message, CancellationToken ct) =>
        await mediator.Send(new ProviderEvents.CloseDispute(message), ct);
}
