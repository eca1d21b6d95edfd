using Market.Domain.Licensing;
using Market.Domain.Money;

namespace Market.Domain.Catalog;

/// <summary>One way a work may be licensed: terms plus a price. Owned by its <see cref="Work"/>.</summary>
public sealed class LicenseOffer
{
    private LicenseOffer() { Terms = null!; Currency = null!; }

    internal LicenseOffer(Guid id, Guid workId, LicenseTerms terms, Price price, DateTimeOffset createdAt)
    {
        Id = id;
        WorkId = workId;
        Terms = terms;
        PriceMinor = price.Minor;
        Currency = price.Currency;
        CreatedAt = createdAt;
        Active = true;
    }

    public Guid Id { get; private set; }
    public Guid WorkId { get; private set; }
    public LicenseTerms Terms { get; private set; }
    public long PriceMinor { get; private set; }
    public string Currency { get; private set; }
    public bool Active { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public Price Price => new(PriceMinor, Currency);

    internal void Retire() => Active = false;

    /// <summary>Undoes a retirement inside the same change that made it, when its replacement was refused.</summary>
    internal void Reactivate() => Active = true;
}
