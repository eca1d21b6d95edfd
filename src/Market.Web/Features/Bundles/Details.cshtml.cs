using Market.Billing.Payments;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Notifications;
using Market.Domain.Money;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Payments;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Bundles;

/// <summary>
/// One bundle: its items with their terms and prices, its total, the conflicts with the intended use, and the
/// checkout. Only members who may see the bundle (its author, or everyone once shared) reach any of it.
/// </summary>
public sealed class DetailsModel(IMediator mediator, IPaymentGateway gateway, PaymentSettings payments, ILogger<DetailsModel> log) : PageModel
{
    public View Bundle { get; private set; } = null!;
    public Duplicates.View? Near { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public LicenseScope? IntendedScope { get; set; }
    [BindProperty] public bool Commercial { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var bundle = await mediator.Send(new Query(id, OrganisationId, User.UserId()), ct);
        if (bundle is null) return NotFound();
        Bundle = bundle;
        Near = await mediator.Send(new Duplicates.Query(id, OrganisationId, User.UserId()), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveDuplicatesAsync(Guid id, string? fingerprint, CancellationToken ct)
    {
        int removed;
        try
        {
            removed = await mediator.Send(new Duplicates.Remove(id, OrganisationId, User.UserId(), fingerprint), ct);
        }
        catch (DomainException e)
        {
            return await ShowError(id, e.Message, ct);
        }
        TempData["Flash"] = $"{removed} near-duplicate{(removed == 1 ? "" : "s")} removed; the first-added work of each group stays.";
        return RedirectToPage(new { id });
    }

    public Task<IActionResult> OnPostRemoveAsync(Guid id, Guid workId, CancellationToken ct) =>
        RunAsync(id, new Remove(id, OrganisationId, User.UserId(), workId), null, ct);

    public Task<IActionResult> OnPostChangeOfferAsync(Guid id, Guid workId, Guid offerId, CancellationToken ct) =>
        RunAsync(id, new ChangeOffer(id, OrganisationId, User.UserId(), workId, offerId), "Offer changed.", ct);

    public Task<IActionResult> OnPostRenameAsync(Guid id, CancellationToken ct) =>
        RunAsync(id, new Rename(id, OrganisationId, User.UserId(), Name), "Renamed.", ct);

    public Task<IActionResult> OnPostShareAsync(Guid id, bool share, CancellationToken ct) =>
        RunAsync(id, new Share(id, OrganisationId, User.UserId(), share),
            share ? "Shared: everyone in your organisation can now see, edit and check out this bundle." : "This bundle is private to you again.", ct);

    public Task<IActionResult> OnPostUseAsync(Guid id, CancellationToken ct) =>
        RunAsync(id, new IntendUse(id, OrganisationId, User.UserId(), IntendedScope, Commercial), "Intended use saved; items that do not fit it are marked.", ct);

    private async Task<IActionResult> RunAsync<T>(Guid id, ICommand<T> command, string? done, CancellationToken ct)
    {
        try
        {
            await mediator.Send(command, ct);
        }
        catch (DomainException e)
        {
            return await ShowError(id, e.Message, ct);
        }
        if (done is not null) TempData["Flash"] = done;
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostCheckoutAsync(Guid id, CancellationToken ct)
    {
        // A checkout started earlier for this bundle and left unpaid is closed at the provider first, so the
        // buyer can never pay for the same bundle twice. If the provider says it is already paid, wait for that.
        foreach (var pending in await mediator.Send(new PendingOrders(id, OrganisationId, User.UserId()), ct))
        {
            try
            {
                if (pending.SessionId is not null) await gateway.CancelCheckoutAsync(pending.SessionId, ct);
            }
            catch (CheckoutNotCancelledException e)
            {
                log.LogInformation(e, "Kept order {OrderId}: its checkout could not be cancelled", pending.OrderId);
                return await ShowError(id, "A payment for this bundle is already under way. Your license appears under Licenses as soon as the payment provider confirms it.", ct);
            }
            await mediator.Send(new CancelOrder(pending.OrderId), ct);
        }

        Guid orderId;
        try
        {
            orderId = await mediator.Send(new PlaceOrder(id, OrganisationId, User.UserId(), gateway.Provider), ct);
        }
        catch (DomainException e)
        {
            return await ShowError(id, e.Message, ct);
        }

        // The provider is called outside any database transaction: a slow payment API never holds locks.
        var order = await mediator.Send(new OrderForPayment(orderId), ct);
        CheckoutSession session;
        try
        {
            var baseUrl = payments.ReturnBaseUrl(Request);
            session = await gateway.StartCheckoutAsync(new CheckoutRequest(order.Id, order.Currency, order.TotalMinor,
                order.Lines.Select(l => new CheckoutLine($"Training license: {l.WorkTitle}", l.PriceMinor)).ToList(),
                $"{baseUrl}/Licenses?order={order.Id}", $"{baseUrl}/Bundles/Details/{id}", User.Identity?.Name), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Payment provider refused checkout of order {OrderId}", orderId);
            await mediator.Send(new CancelOrder(orderId), ct);
            return await ShowError(id, "The payment provider could not start the payment. Nothing was charged; please try again.", ct);
        }
        await mediator.Send(new AttachSession(orderId, session.SessionId), ct);
        return Redirect(session.RedirectUrl);
    }

    private Guid OrganisationId => Guid.Parse(User.OrganisationId()!);

    private async Task<IActionResult> ShowError(Guid id, string message, CancellationToken ct)
    {
        var bundle = await mediator.Send(new Query(id, OrganisationId, User.UserId()), ct);
        if (bundle is null) return NotFound();
        Bundle = bundle;
        Near = await mediator.Send(new Duplicates.Query(id, OrganisationId, User.UserId()), ct);
        ModelState.AddModelError("", message);
        return Page();
    }

    public sealed record Query(Guid BundleId, Guid OrganisationId, string UserId) : IRequest<View?>;

    public sealed record View(Guid Id, string Name, string Author, bool IsMine, bool Shared, bool Open, LicenseScope? IntendedScope, bool Commercial,
        IReadOnlyList<Line> Lines, string? Currency)
    {
        public long TotalMinor => Lines.Sum(l => l.PriceMinor);
        public int Conflicts => Lines.Count(l => l.Conflict is not null);
    }

    public sealed record Line(Guid WorkId, string Title, string Creator, Guid OfferId, string Terms, long PriceMinor, string Currency, bool ForSale,
        string? Conflict, bool PriceChanged, IReadOnlyList<OfferChoice> OtherOffers);

    public sealed record OfferChoice(Guid Id, string Text);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            var bundle = await db.Bundles.AsNoTracking().Include(b => b.Items).VisibleTo(request.OrganisationId, request.UserId)
                .FirstOrDefaultAsync(b => b.Id == request.BundleId, ct);
            if (bundle is null) return null;
            var workIds = bundle.Items.Select(i => i.WorkId).ToList();
            var works = await db.Works.AsNoTracking().Include(w => w.Offers).Include(w => w.RightsHolders).Where(w => workIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
            var names = await db.DisplayNamesAsync(works.Values.Select(w => w.CreatorId).Append(bundle.CreatedByUserId), ct);
            var lines = bundle.Items.OrderBy(i => i.AddedAt).Select(i =>
            {
                var work = works[i.WorkId];
                var offer = work.Offers.First(o => o.Id == i.OfferId);
                var others = work.ActiveOffers.Where(o => o.Id != offer.Id)
                    .Select(o => new OfferChoice(o.Id, $"{o.Terms.Describe()} — {Currencies.Format(o.PriceMinor, o.Currency)}")).ToList();
                return new Line(work.Id, work.Title, names.GetValueOrDefault(work.CreatorId, "?"), offer.Id, offer.Terms.Describe(), i.PriceMinor, i.Currency,
                    work.IsForSale && offer.Active, bundle.ConflictWith(offer.Terms),
                    offer.PriceMinor != i.PriceMinor || offer.Currency != i.Currency, others);
            }).ToList();
            return new View(bundle.Id, bundle.Name, names.GetValueOrDefault(bundle.CreatedByUserId, "?"), bundle.CreatedByUserId == request.UserId,
                bundle.SharedWithOrganisation, bundle.Status == BundleStatus.Open, bundle.IntendedScope, bundle.IntendsCommercialUse,
                lines, lines.FirstOrDefault()?.Currency);
        }
    }

    public sealed record Rename(Guid BundleId, Guid OrganisationId, string UserId, string? Name) : ICommand<Unit>;

    internal sealed class RenameHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Rename, Unit>
    {
        public async Task<Unit> Handle(Rename request, CancellationToken ct)
        {
            (await db.RequireBundleAsync(request.BundleId, request.OrganisationId, request.UserId, ct)).Rename(request.Name, clock.GetUtcNow());
            return Unit.Value;
        }
    }

    public sealed record Share(Guid BundleId, Guid OrganisationId, string UserId, bool WithOrganisation) : ICommand<Unit>;

    internal sealed class ShareHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<Share, Unit>
    {
        public async Task<Unit> Handle(Share request, CancellationToken ct)
        {
            var bundle = await db.RequireBundleAsync(request.BundleId, request.OrganisationId, request.UserId, ct);
            var wasShared = bundle.SharedWithOrganisation;
            bundle.Share(request.WithOrganisation, request.UserId, clock.GetUtcNow());
            if (wasShared || !request.WithOrganisation) return Unit.Value;
            var author = await db.Users.Where(u => u.Id == request.UserId).Select(u => u.DisplayName).FirstAsync(ct);
            var colleagues = await db.Users.Where(u => u.OrganisationId == request.OrganisationId && u.Id != request.UserId).Select(u => u.Id).ToListAsync(ct);
            await notifier.NotifyAsync(colleagues, NotificationKind.BundleShared, $"{author} shared the bundle “{bundle.Name}”",
                $"{author} shared “{bundle.Name}” ({bundle.Items.Count} works) with your organisation. You can review, edit and check it out.",
                $"/Bundles/Details/{bundle.Id}", ct, email: false);
            return Unit.Value;
        }
    }

    public sealed record IntendUse(Guid BundleId, Guid OrganisationId, string UserId, LicenseScope? Scope, bool Commercial) : ICommand<Unit>;

    internal sealed class IntendUseHandler(MarketDb db, TimeProvider clock) : IRequestHandler<IntendUse, Unit>
    {
        public async Task<Unit> Handle(IntendUse request, CancellationToken ct)
        {
            (await db.RequireBundleAsync(request.BundleId, request.OrganisationId, request.UserId, ct)).IntendUse(request.Scope, request.Commercial, clock.GetUtcNow());
            return Unit.Value;
        }
    }

    public sealed record ChangeOffer(Guid BundleId, Guid OrganisationId, string UserId, Guid WorkId, Guid OfferId) : ICommand<Unit>;

    internal sealed class ChangeOfferHandler(MarketDb db, TimeProvider clock) : IRequestHandler<ChangeOffer, Unit>
    {
        public async Task<Unit> Handle(ChangeOffer request, CancellationToken ct)
        {
            var bundle = await db.RequireBundleAsync(request.BundleId, request.OrganisationId, request.UserId, ct);
            var work = await db.Works.Include(w => w.Offers).Include(w => w.RightsHolders).FirstOrDefaultAsync(w => w.Id == request.WorkId, ct)
                ?? throw new DomainException("That work is not in the bundle.");
            var before = bundle.Items.FirstOrDefault(i => i.WorkId == work.Id);
            var item = bundle.ChangeOffer(work, request.OfferId, clock.GetUtcNow());
            // The replacement item has a key we made: tell EF it is new rather than changed.
            if (!ReferenceEquals(before, item)) db.Entry(item).State = EntityState.Added;
            return Unit.Value;
        }
    }

    public sealed record Remove(Guid BundleId, Guid OrganisationId, string UserId, Guid WorkId) : ICommand<Unit>;

    internal sealed class RemoveHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Remove, Unit>
    {
        public async Task<Unit> Handle(Remove request, CancellationToken ct)
        {
            (await db.RequireBundleAsync(request.BundleId, request.OrganisationId, request.UserId, ct)).Remove(request.WorkId, clock.GetUtcNow());
            return Unit.Value;
        }
    }

    public sealed record PlaceOrder(Guid BundleId, Guid OrganisationId, string UserId, string Provider) : ICommand<Guid>;

    internal sealed class PlaceOrderHandler(MarketDb db, TimeProvider clock) : IRequestHandler<PlaceOrder, Guid>
    {
        public async Task<Guid> Handle(PlaceOrder request, CancellationToken ct)
        {
            var bundle = await db.RequireBundleAsync(request.BundleId, request.OrganisationId, request.UserId, ct);
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

    public sealed record PendingOrders(Guid BundleId, Guid OrganisationId, string UserId) : IRequest<IReadOnlyList<Pending>>;

    public sealed record Pending(Guid OrderId, string? SessionId);

    internal sealed class PendingOrdersHandler(MarketDb db) : IRequestHandler<PendingOrders, IReadOnlyList<Pending>>
    {
        public async Task<IReadOnlyList<Pending>> Handle(PendingOrders request, CancellationToken ct)
        {
            var bundle = await db.BundleForMemberAsync(request.BundleId, request.OrganisationId, request.UserId, ct);
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

internal static class BundleCommands
{
    /// <summary>The bundle for a change by this member; a bundle they may not see is "not found", never "forbidden".</summary>
    public static async Task<Bundle> RequireBundleAsync(this MarketDb db, Guid bundleId, Guid organisationId, string userId, CancellationToken ct) =>
        await db.BundleForMemberAsync(bundleId, organisationId, userId, ct) ?? throw new DomainException("There is no such bundle.");
}
