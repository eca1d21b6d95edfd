using Market.Domain.Catalog;

namespace Market.Domain.Licensing;

public enum BundleStatus
{
    Open = 0,
    CheckedOut = 1,
}

/// <summary>A buyer organisation's selection of works, each under one chosen offer. One currency per bundle.</summary>
public sealed class Bundle
{
    public const int MaxItems = 10_000;
    private readonly List<BundleItem> _items = [];

    private Bundle() { Name = null!; CreatedByUserId = null!; }

    public static Bundle Open(Guid id, Guid organisationId, string userId, DateTimeOffset now) =>
        new() { Id = id, OrganisationId = organisationId, CreatedByUserId = userId, Name = "My bundle", CreatedAt = now, Status = BundleStatus.Open };

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string CreatedByUserId { get; private set; }
    public string Name { get; private set; }
    public BundleStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public IReadOnlyList<BundleItem> Items => _items;

    public BundleItem Add(Work work, Guid offerId, DateTimeOffset now)
    {
        EnsureOpen();
        var offer = work.OfferForSale(offerId);
        if (_items.Any(i => i.WorkId == work.Id))
            throw new DomainException($"\"{work.Title}\" is already in the bundle.");
        if (_items.Count >= MaxItems)
            throw new DomainException($"A bundle holds at most {MaxItems:N0} works.");
        var currency = _items.FirstOrDefault()?.Currency;
        if (currency is not null && currency != offer.Currency)
            throw new DomainException($"This bundle is priced in {currency}; \"{work.Title}\" is offered in {offer.Currency}. Use another bundle.");
        var item = new BundleItem(Guid.CreateVersion7(now), Id, work.Id, offer.Id, offer.PriceMinor, offer.Currency, now);
        _items.Add(item);
        return item;
    }

    public void Remove(Guid workId)
    {
        EnsureOpen();
        var item = _items.FirstOrDefault(i => i.WorkId == workId)
            ?? throw new DomainException("That work is not in the bundle.");
        _items.Remove(item);
    }

    public void MarkCheckedOut()
    {
        EnsureOpen();
        Status = BundleStatus.CheckedOut;
    }

    private void EnsureOpen()
    {
        if (Status != BundleStatus.Open) throw new DomainException("This bundle has been checked out already.");
    }
}

/// <summary>A work in a bundle with the offer chosen and the price seen when it was added.</summary>
public sealed class BundleItem
{
    private BundleItem() { Currency = null!; }

    internal BundleItem(Guid id, Guid bundleId, Guid workId, Guid offerId, long priceMinor, string currency, DateTimeOffset addedAt)
    {
        Id = id; BundleId = bundleId; WorkId = workId; OfferId = offerId; PriceMinor = priceMinor; Currency = currency; AddedAt = addedAt;
    }

    public Guid Id { get; private set; }
    public Guid BundleId { get; private set; }
    public Guid WorkId { get; private set; }
    public Guid OfferId { get; private set; }
    public long PriceMinor { get; private set; }
    public string Currency { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }
}
