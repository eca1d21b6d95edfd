using Market.Domain.Catalog;

namespace Market.Domain.Licensing;

public enum BundleStatus
{
    Open = 0,
    CheckedOut = 1,
}

/// <summary>
/// A buyer organisation's selection of works, each under one chosen offer. One currency per bundle. A bundle is
/// its author's until they share it with the organisation; then every member may edit and check it out. The
/// intended use (scope, commercial) is what the buyer's legal team needs: items whose chosen offer does not cover
/// it are conflicts, shown on the bundle and refused at checkout.
/// </summary>
public sealed class Bundle
{
    public const int MaxItems = 10_000;
    public const int MaxNameLength = 120;
    public const string DefaultName = "My bundle";
    private readonly List<BundleItem> _items = [];

    private Bundle() { Name = null!; CreatedByUserId = null!; }

    public static Bundle Open(Guid id, Guid organisationId, string userId, DateTimeOffset now, string? name = null) =>
        new()
        {
            Id = id, OrganisationId = organisationId, CreatedByUserId = userId, Name = ValidName(name ?? DefaultName),
            CreatedAt = now, UpdatedAt = now, Status = BundleStatus.Open,
        };

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string CreatedByUserId { get; private set; }
    public string Name { get; private set; }
    public BundleStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    /// <summary>Whether every member of the organisation sees and may edit it; otherwise only its author.</summary>
    public bool SharedWithOrganisation { get; private set; }
    /// <summary>What the organisation means to use the data for; null until chosen (then nothing conflicts).</summary>
    public LicenseScope? IntendedScope { get; private set; }
    public bool IntendsCommercialUse { get; private set; }
    public IReadOnlyList<BundleItem> Items => _items;

    public bool IsVisibleTo(string userId) => SharedWithOrganisation || CreatedByUserId == userId;

    public void Rename(string? name, DateTimeOffset now)
    {
        EnsureOpen();
        Name = ValidName(name);
        UpdatedAt = now;
    }

    /// <summary>Only the author decides who sees their bundle: a colleague cannot hide a shared bundle from them.</summary>
    public void Share(bool withOrganisation, string userId, DateTimeOffset now)
    {
        if (userId != CreatedByUserId) throw new DomainException("Only the person who made this bundle can change who sees it.");
        SharedWithOrganisation = withOrganisation;
        UpdatedAt = now;
    }

    public void IntendUse(LicenseScope? scope, bool commercial, DateTimeOffset now)
    {
        EnsureOpen();
        if (scope is { } s && !Enum.IsDefined(s)) throw new DomainException("Choose what the data will be used for.");
        IntendedScope = scope;
        IntendsCommercialUse = commercial;
        UpdatedAt = now;
    }

    /// <summary>Why the terms do not cover the intended use, or null when they do.</summary>
    public string? ConflictWith(LicenseTerms terms)
    {
        if (IntendedScope is not { } scope) return null;
        var problems = new List<string>();
        if (terms.Scope != scope)
            problems.Add($"licensed for {LicenseTerms.ScopeText(terms.Scope)}, not {LicenseTerms.ScopeText(scope)}");
        if (IntendsCommercialUse && !terms.Commercial) problems.Add("non-commercial use only");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

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
        UpdatedAt = now;
        return item;
    }

    /// <summary>
    /// Puts a work in the bundle under another of its offers (to resolve a conflict, say). The item is replaced,
    /// so the price seen is the new offer's; returns the new item.
    /// </summary>
    public BundleItem ChangeOffer(Work work, Guid offerId, DateTimeOffset now)
    {
        EnsureOpen();
        var old = _items.FirstOrDefault(i => i.WorkId == work.Id) ?? throw new DomainException("That work is not in the bundle.");
        if (old.OfferId == offerId) return old;
        var offer = work.OfferForSale(offerId);
        if (_items.Count > 1 && offer.Currency != old.Currency)
            throw new DomainException($"This bundle is priced in {old.Currency}; that offer is in {offer.Currency}.");
        _items.Remove(old);
        var item = new BundleItem(Guid.CreateVersion7(now), Id, work.Id, offer.Id, offer.PriceMinor, offer.Currency, now);
        _items.Add(item);
        UpdatedAt = now;
        return item;
    }

    public void Remove(Guid workId, DateTimeOffset now)
    {
        EnsureOpen();
        var item = _items.FirstOrDefault(i => i.WorkId == workId)
            ?? throw new DomainException("That work is not in the bundle.");
        _items.Remove(item);
        UpdatedAt = now;
    }

    public void MarkCheckedOut()
    {
        EnsureOpen();
        Status = BundleStatus.CheckedOut;
    }

    private static string ValidName(string? name)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) throw new DomainException("Give the bundle a name.");
        if (name.Length > MaxNameLength) throw new DomainException($"A bundle's name must be at most {MaxNameLength} characters.");
        return name;
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
