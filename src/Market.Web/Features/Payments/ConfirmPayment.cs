using Hangfire;
using Market.Billing.Allocation;
using Market.Billing.Ledger;
using Market.Billing.Sales;
using Market.Web.Ledger;
using Market.Billing.Payments;
using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Jobs;
using Market.Web.Mediation;
using Market.Web.Notifications;
using Market.Web.Payments;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Payments;

/// <summary>
/// A provider confirmed a payment: mark the order paid, issue the license with its per-item snapshot, and
/// post the sale to the ledger, all in one transaction. Delivered twice, it changes nothing the second time
/// (an inbox row per provider event, the order's own paid state, and a ledger stream per order).
/// </summary>
public static class ConfirmPayment
{
    public sealed record Command(PaymentConfirmation Confirmation) : ICommand<Guid>;

    internal sealed class Handler(MarketDb db, UnitOfWork unitOfWork, LedgerSettings ledgerSettings, Notifier notifier, TimeProvider clock) : IRequestHandler<Command, Guid>
    {
        public async Task<Guid> Handle(Command request, CancellationToken ct)
        {
            var c = request.Confirmation;
            // Serialise confirmations of one order: a provider's redelivery handled by a second worker at the
            // same moment waits here, then finds the first one's inbox row, instead of failing on its key.
            // (FOR UPDATE is PostgreSQL's row lock; the unique keys below stay the guarantee either way.)
            await db.Database.ExecuteSqlAsync($"select 1 from market.orders where \"Id\" = {c.OrderId} for update", ct);
            var existing = await db.Licenses.Where(l => l.OrderId == c.OrderId).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct);
            if (await db.ProcessedPaymentEvents.AnyAsync(e => e.Provider == c.Provider && e.EventId == c.EventId, ct))
                return existing ?? throw new DomainException("This payment was already handled.");

            var order = await db.Orders.Include(o => o.Lines).ThenInclude(l => l.Shares).FirstOrDefaultAsync(o => o.Id == c.OrderId, ct)
                ?? throw new DomainException("There is no such order.");
            if (order.Provider != c.Provider)
                throw new DomainException("The confirmation came from a provider the order was not sent to.");

            var now = clock.GetUtcNow();
            db.ProcessedPaymentEvents.Add(new ProcessedPaymentEvent { Provider = c.Provider, EventId = c.EventId, OrderId = order.Id, ProcessedAt = now });
            if (!order.MarkPaid(c.AmountMinor, c.Currency, c.PaymentReference, now))
                return existing ?? throw new InvalidOperationException($"Order {order.Id} is paid but has no license.");

            var names = await db.DisplayNamesAsync(order.Lines.Select(l => l.CreatorId), ct);
            var license = License.Issue(Guid.CreateVersion7(now), order, id => names.GetValueOrDefault(id, id), now);
            db.Licenses.Add(license);

            var bundle = await db.Bundles.FirstOrDefaultAsync(b => b.Id == order.BundleId && b.Status == BundleStatus.Open, ct);
            bundle?.MarkCheckedOut();

            // Each item's royalties follow the split copied onto the order when it was placed. (Orders placed before
            // rights holders existed carry none: their creator held the whole share.)
            // Shared locks on the works: a theft claim placing a hold on a work waits for this sale to commit (and
            // then holds it too), or this sale waits for the hold and reads the new route.
            await db.Database.ExecuteSqlRawAsync(LedgerLocks.SharedWorksSql(order.Lines.Select(l => l.WorkId)), ct);
            var routes = await WorkRoutes.ForAsync(unitOfWork.Ledger, order.Lines.Select(l => l.WorkId), ct);
            var posted = SaleDecisions.Post(new RecordSale(order.Id, license.Id, order.OrganisationId, order.Currency, order.TotalMinor,
                c.Provider, c.PaymentReference,
                order.Lines.Select(l => new SoldItem(l.WorkId, l.PriceMinor, l.Shares.Count == 0
                    ? [new RightsShare(l.CreatorId, Allocator.FullShare)]
                    : l.Shares.Select(s => new RightsShare(s.PayeeId, s.BasisPoints)).ToList())).ToList(),
                ledgerSettings.FeeFor(order.Currency), now), routes);
            unitOfWork.Ledger.CausationId = c.EventId;
            unitOfWork.Ledger.CorrelationId = order.Id.ToString();
            // StartStream refuses an existing stream id: the database itself keeps a sale from posting twice.
            unitOfWork.Ledger.Events.StartStream<SaleLedger>(order.Id, posted);
            await TellRightsHoldersAsync(order, license, ct);
            return license.Id;
        }

        private async Task TellRightsHoldersAsync(Order order, License license, CancellationToken ct)
        {
            var buyer = await db.Organisations.Where(o => o.Id == order.OrganisationId).Select(o => o.Name).FirstAsync(ct);
            foreach (var item in license.Items)
            {
                var line = order.Lines.First(l => l.WorkId == item.WorkId);
                var payees = line.Shares.Count == 0 ? [line.CreatorId] : line.Shares.Select(s => s.PayeeId).ToList();
                // Holders without an account yet have no inbox here; they hear when they claim their share.
                var accounts = await db.Users.Where(u => payees.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct);
                await notifier.NotifyAsync(accounts, NotificationKind.LicenseSold, $"“{item.WorkTitle}” was licensed",
                    $"{buyer} licensed “{item.WorkTitle}” for {item.Terms.Describe()}. The license runs until {item.EndsAt:yyyy-MM-dd} (UTC).",
                    $"/Works/Details/{item.WorkId}", ct);
            }
        }
    }
}

/// <summary>Handles a verified webhook's confirmation off the request thread, with Hangfire's retries.</summary>
public sealed class ConfirmPaymentJob(IMediator mediator)
{
    // Database trouble is retried; a confirmation the domain refuses (wrong amount, unknown or cancelled order)
    // would be refused again, so it fails at once and waits on the dashboard for a person.
    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 10, ExceptOn = [typeof(Market.Domain.DomainException)])]
    public async Task RunAsync(PaymentConfirmation confirmation, CancellationToken cancellationToken) =>
        await mediator.Send(new ConfirmPayment.Command(confirmation), cancellationToken);
}
