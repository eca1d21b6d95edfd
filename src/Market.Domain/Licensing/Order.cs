using Market.Domain.Catalog;

namespace Market.Domain.Licensing;

public enum OrderStatus
{
    AwaitingPayment = 0,
    Paid = 1,
    Cancelled = 2,
}

/// <summary>
/// A checkout of a bundle: the lines and prices as they were when the buyer went to pay. The payment
/// provider is asked for exactly <see cref="TotalMinor"/>; the license is issued only when it confirms.
/// </summary>
public sealed class Order
{
    private readonly List<OrderLine> _lines = [];

    private Order() { BuyerUserId = null!; Currency = null!; Provider = null!; }

    public static Order Place(Guid id, Bundle bundle, string buyerUserId, IReadOnlyDictionary<Guid, Work> works, string provider, DateTimeOffset now)
    {
        if (bundle.Status != BundleStatus.Open) throw new DomainException("This bundle has been checked out already.");
        if (bundle.Items.Count == 0) throw new DomainException("The bundle is empty.");
        var order = new Order
        {
            Id = id,
            OrganisationId = bundle.OrganisationId,
            BundleId = bundle.Id,
            BuyerUserId = buyerUserId,
            Currency = bundle.Items[0].Currency,
            Provider = provider,
            Status = OrderStatus.AwaitingPayment,
            CreatedAt = now,
        };
        foreach (var item in bundle.Items)
        {
            if (!works.TryGetValue(item.WorkId, out var work))
                throw new DomainException("A work in the bundle no longer exists.");
            // Re-checked here, not only when added: consent may have been withdrawn since.
            var offer = work.OfferForSale(item.OfferId);
            if (offer.PriceMinor != item.PriceMinor || offer.Currency != item.Currency)
                throw new DomainException($"The price of \"{work.Title}\" changed since you added it. Remove it and add it again.");
            if (bundle.ConflictWith(offer.Terms) is { } conflict)
                throw new DomainException($"\"{work.Title}\" does not fit the bundle's intended use: {conflict}. Choose another offer or remove it.");
            var line = new OrderLine(Guid.CreateVersion7(now), id, work.Id, offer.Id, work.Title, work.CreatorId, offer.PriceMinor, offer.Currency, offer.Terms);
            // The split as it stands when the buyer goes to pay is the split the sale is shared by, whatever the
            // creator changes before the payment arrives.
            foreach (var holder in work.RightsHolders)
                line.AddShare(new OrderLineShare(Guid.CreateVersion7(now), line.Id, holder.PayeeId, holder.Name, holder.Role, holder.SplitBasisPoints));
            order._lines.Add(line);
        }
        order.TotalMinor = order._lines.Sum(l => l.PriceMinor);
        return order;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid BundleId { get; private set; }
    public string BuyerUserId { get; private set; }
    public string Currency { get; private set; }
    public long TotalMinor { get; private set; }
    public OrderStatus Status { get; private set; }
    public string Provider { get; private set; }
    public string? ProviderSessionId { get; private set; }
    public string? ProviderPaymentReference { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public IReadOnlyList<OrderLine> Lines => _lines;

    public void AttachProviderSession(string sessionId) => ProviderSessionId = sessionId;

    /// <summary>
    /// Marks the order paid. Returns false when it already was, so a confirmation delivered twice issues one
    /// license and posts one sale.
    /// </summary>
    public bool MarkPaid(long amountMinor, string currency, string paymentReference, DateTimeOffset now)
    {
        if (Status == OrderStatus.Paid) return false;
        if (Status != OrderStatus.AwaitingPayment) throw new DomainException("This order was cancelled.");
        if (amountMinor != TotalMinor || currency != Currency)
            throw new DomainException($"The payment ({amountMinor} {currency}) does not match the order ({TotalMinor} {Currency}).");
        Status = OrderStatus.Paid;
        PaidAt = now;
        ProviderPaymentReference = paymentReference;
        return true;
    }

    public void Cancel()
    {
        if (Status == OrderStatus.Paid) throw new DomainException("A paid order cannot be cancelled; it needs a refund.");
        Status = OrderStatus.Cancelled;
    }
}

public sealed class OrderLine
{
    private readonly List<OrderLineShare> _shares = [];

    private OrderLine() { WorkTitle = null!; CreatorId = null!; Currency = null!; Terms = null!; }

    internal OrderLine(Guid id, Guid orderId, Guid workId, Guid offerId, string workTitle, string creatorId, long priceMinor, string currency, LicenseTerms terms)
    {
        Id = id; OrderId = orderId; WorkId = workId; OfferId = offerId; WorkTitle = workTitle; CreatorId = creatorId;
        PriceMinor = priceMinor; Currency = currency; Terms = terms;
    }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid WorkId { get; private set; }
    public Guid OfferId { get; private set; }
    public string WorkTitle { get; private set; }
    public string CreatorId { get; private set; }
    public long PriceMinor { get; private set; }
    public string Currency { get; private set; }
    public LicenseTerms Terms { get; private set; }
    public IReadOnlyList<OrderLineShare> Shares => _shares;

    internal void AddShare(OrderLineShare share) => _shares.Add(share);
}

/// <summary>One rights holder's split of an order line, copied from the work when the order was placed.</summary>
public sealed class OrderLineShare
{
    private OrderLineShare() { PayeeId = null!; Name = null!; }

    internal OrderLineShare(Guid id, Guid orderLineId, string payeeId, string name, RightsHolderRole role, int basisPoints)
    {
        Id = id; OrderLineId = orderLineId; PayeeId = payeeId; Name = name; Role = role; BasisPoints = basisPoints;
    }

    public Guid Id { get; private set; }
    public Guid OrderLineId { get; private set; }
    public string PayeeId { get; private set; }
    public string Name { get; private set; }
    public RightsHolderRole Role { get; private set; }
    public int BasisPoints { get; private set; }
}
