using Market.Billing.Payments;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Features.Catalog;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Payments;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Bundles;

public sealed class IndexModel(IMediator mediator, IPaymentGateway gateway, PaymentSettings payments, ILogger<IndexModel> log) : PageModel
{
    public View Bundle { get; private set; } = View.Empty;

    public async Task OnGetAsync(CancellationToken ct) => Bundle = await mediator.Send(new Query(OrganisationId, User.UserId()), ct);

    public async Task<IActionResult> OnPostRemoveAsync(Guid workId, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new Remove(OrganisationId, User.UserId(), workId), ct);
        }
        catch (DomainException e)
        {
            return await ShowError(e.Message, ct);
        }
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCheckoutAsync(CancellationToken ct)
    {
        // A checkout started earlier for this bundle and left unpaid is closed at the provider first, so the
        // buyer can never pay for the same bundle twice. If the provider says it is already paid, wait for that.
        foreach (var pending in await mediator.Send(new PendingOrders(OrganisationId, User.UserId()), ct))
        {
            try
            {
                if (pending.SessionId is not null) await gateway.CancelCheckoutAsync(pending.SessionId, ct);
            }
            catch (CheckoutNotCancelledException e)
            {
                log.LogInformation(e, "Kept order {OrderId}: its checkout could not be cancelled", pending.OrderId);
                return await ShowError("A payment for this bundle is already under way. Your license appears under Licenses as soon as the payment provider confirms it.", ct);
            }
            await mediator.Send(new CancelOrder(pending.OrderId), ct);
        }

        Guid orderId;
        try
        {
            orderId = await mediator.Send(new PlaceOrder(OrganisationId, User.UserId(), gateway.Provider), ct);
        }
        catch (DomainException e)
        {
            return await ShowError(e.Message, ct);
        }

        // The provider is called outside any database transaction: a slow payment API never holds locks.
        var order = await mediator.Send(new OrderForPayment(orderId), ct);
        CheckoutSession session;
        try
        {
            var baseUrl = payments.ReturnBaseUrl(Request);
            session = await gateway.StartCheckoutAsync(new CheckoutRequest(order.Id, order.Currency, order.TotalMinor,
                order.Lines.Select(l => new CheckoutLine($"Training license: {l.WorkTitle}", l.PriceMinor)).ToList(),
                $"{baseUrl}/Licenses?order={order.Id}", $"{baseUrl}/Bundles", User.Identity?.Name), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Payment provider refused checkout of order {OrderId}", orderId);
            await mediator.Send(new CancelOrder(orderId), ct);
            return await ShowError("The payment provider could not start the payment. Nothing was charged; please try again.", ct);
        }
        await mediator.Send(new AttachSession(orderId, session.SessionId), ct);
        return Redirect(session.RedirectUrl);
    }

    private Guid OrganisationId => Guid.Parse(User.OrganisationId()!);

    private async Task<IActionResult> ShowError(string message, CancellationToken ct)
    {
        Bundle = await mediator.Send(new Query(OrganisationId, User.UserId()), ct);
        ModelState.AddModelError("", message);
        return Page();
    }

    public sealed record Query(Guid OrganisationId, string UserId) : IRequest<View>;

    public sealed record View(Guid? Id, IReadOnlyList<Line> Lines, string? Currency)
    {
        public static readonly View Empty = new(null, [], null);
        public long TotalMinor => Lines.Sum(l => l.PriceMinor);
    }

    public sealed record Line(Guid WorkId, string Title, string Creator, string Terms, long PriceMinor, string Currency, bool ForSale);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View>
    {
        public async Task<View> Handle(Query request, CancellationToken ct)
        {
            var bundle = await db.OpenBundleAsync(request.OrganisationId, request.UserId, ct);
            if (bundle is null) return View.Empty;
            var workIds = bundle.Items.Select(i => i.WorkId).ToList();
            var works = await db.Works.AsNoTracking().Include(w => w.Offers).Include(w => w.RightsHolders).Where(w => workIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
            var names = await db.DisplayNamesAsync(works.Values.Select(w => w.CreatorId), ct);
            var lines = bundle.Items.OrderBy(i => i.AddedAt).Select(i =>
            {
                var work = works[i.WorkId];
                var offer = work.Offers.First(o => o.Id == i.OfferId);
                return new Line(work.Id, work.Title, names.GetValueOrDefault(work.CreatorId, "?"), offer.Terms.Describe(), i.PriceMinor, i.Currency,
                    work.IsForSale && offer.Active);
            }).ToList();
            return new View(bundle.Id, lines, lines.FirstOrDefault()?.Currency);
        }
    }

    public sealed record Remove(Guid OrganisationId, string UserId, Guid WorkId) : ICommand<Unit>;

    internal sealed class RemoveHandler(MarketDb db) : IRequestHandler<Remove, Unit>
    {
        public async Task<Unit> Handle(Remove request, CancellationToken ct)
        {
            var bundle = await db.OpenBundleAsync(request.OrganisationId, request.UserId, ct)
                ?? throw new DomainException("Your bundle is empty.");
            bundle.Remove(request.WorkId);
            return Unit.Value;
        }
    }

    public sealed record PlaceOrder(Guid OrganisationId, string UserId, string Provider) : ICommand<Guid>;

    internal sealed class PlaceOrderHandler(MarketDb db, TimeProvider clock) : IRequestHandler<PlaceOrder, Guid>
    {
        public async Task<Guid> Handle(PlaceOrder request, CancellationToken ct)
        {
            var bundle = await db.OpenBundleAsync(request.OrganisationId, request.UserId, ct)
                ?? throw new DomainException("Your bundle is empty.");
            var workIds = bundle.Items.Select(i => i.WorkId).ToList();
            var works = await db.Works.Include(w => w.Offers).Include(w => w.RightsHolders).Where(w => workIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
            // The page closes earlier checkouts first; this is the rule's own guard against a second open order.
            if (await db.Orders.AnyAsync(o => o.BundleId == bundle.Id && o.Status == OrderStatus.AwaitingPayment, ct))
                throw new DomainException("A payment for this bundle is already under way.");
            var now = clock.GetUtcNow();
            var order = Order.Place(Guid.CreateVersion7(now), bundle, request.UserId, works, request.Provider, now);
            db.Orders.Add(order);
            return order.Id;
        }
    }

    public sealed record PendingOrders(Guid OrganisationId, string UserId) : IRequest<IReadOnlyList<Pending>>;

    public sealed record Pending(Guid OrderId, string? SessionId);

    internal sealed class PendingOrdersHandler(MarketDb db) : IRequestHandler<PendingOrders, IReadOnlyList<Pending>>
    {
        public async Task<IReadOnlyList<Pending>> Handle(PendingOrders request, CancellationToken ct)
        {
            var bundle = await db.OpenBundleAsync(request.OrganisationId, request.UserId, ct);
            if (bundle is null) return [];
            return await db.Orders.AsNoTracking()
                .Where(o => o.BundleId == bundle.Id && o.Status == OrderStatus.AwaitingPayment)
                .Select(o => new Pending(o.Id, o.ProviderSessionId))
                .ToListAsync(ct);
        }
    }

    public sealed record OrderForPayment(Guid OrderId) : IRequest<Order>;

    internal sealed class OrderForPaymentHandler(MarketDb db) : IRequestHandler<OrderForPayment, Order>
    {
        public Task<Order> Handle(OrderForPayment request, CancellationToken ct) =>
            db.Orders.AsNoTracking().Include(o => o.Lines).FirstAsync(o => o.Id == request.OrderId, ct);
    }

    public sealed record AttachSession(Guid OrderId, string SessionId) : ICommand<Unit>;

    internal sealed class AttachSessionHandler(MarketDb db) : IRequestHandler<AttachSession, Unit>
    {
        public async Task<Unit> Handle(AttachSession request, CancellationToken ct)
        {
            (await db.Orders.FirstAsync(o => o.Id == request.OrderId, ct)).AttachProviderSession(request.SessionId);
            return Unit.Value;
        }
    }

    public sealed record CancelOrder(Guid OrderId) : ICommand<Unit>;

    internal sealed class CancelOrderHandler(MarketDb db) : IRequestHandler<CancelOrder, Unit>
    {
        public async Task<Unit> Handle(CancelOrder request, CancellationToken ct)
        {
            (await db.Orders.FirstAsync(o => o.Id == request.OrderId, ct)).Cancel();
            return Unit.Value;
        }
    }
}
