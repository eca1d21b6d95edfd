using Market.Domain.Catalog;

namespace Market.Domain.Licensing;

/// <summary>
/// The license an organisation holds after paying for a bundle. Every item is a snapshot taken at purchase:
/// terms, creator and copyright holder, price, start and end. Nothing here has a setter a later edit could
/// reach; the offer it came from can change or vanish without touching it.
/// </summary>
public sealed class License
{
    private readonly List<LicenseItem> _items = [];

    private License() { }

    public static License Issue(Guid id, Order order, Func<string, string> creatorName, DateTimeOffset now)
    {
        if (order.Status != OrderStatus.Paid) throw new DomainException("A license is issued only for a paid order.");
        var license = new License { Id = id, OrganisationId = order.OrganisationId, OrderId = order.Id, IssuedAt = now };
        foreach (var line in order.Lines)
        {
            var name = creatorName(line.CreatorId);
            // The copyright holder is whoever the creator named as copyright owner (a publisher, say); when no one
            // was, the creator and co-owners hold it.
            var owners = line.Shares.Where(s => s.Role == RightsHolderRole.CopyrightOwner).Select(s => s.Name).ToList();
            if (owners.Count == 0) owners = line.Shares.Where(s => s.Role != RightsHolderRole.CopyrightOwner).Select(s => s.Name).ToList();
            var copyrightHolder = owners.Count == 0 ? name : string.Join("; ", owners);
            var holders = string.Join("; ", line.Shares.Select(s => $"{s.Name} ({RoleText(s.Role)}, {Shares.Percent(s.BasisPoints)})"));
            license._items.Add(new LicenseItem(
                Guid.CreateVersion7(now), id, line.WorkId, line.OfferId, line.WorkTitle, line.CreatorId, name,
                Clip(copyrightHolder, LicenseItem.MaxHolderTextLength), Clip(holders, LicenseItem.MaxHolderTextLength),
                line.Terms, line.PriceMinor, line.Currency, StartsAt: now, EndsAt: now.AddMonths(line.Terms.TermMonths)));
        }
        return license;
    }

    private static string Clip(string value, int max) => value.Length > max ? value[..(max - 1)] + "…" : value;

    public static string RoleText(RightsHolderRole role) => role switch
    {
        RightsHolderRole.Creator => "creator",
        RightsHolderRole.CopyrightOwner => "copyright owner",
        RightsHolderRole.CoOwner => "co-owner",
        _ => "holder",
    };

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid OrderId { get; private set; }
    public DateTimeOffset IssuedAt { get; private set; }
    public IReadOnlyList<LicenseItem> Items => _items;

    /// <summary>The items the organisation may download now: started, not ended, not recalled.</summary>
    public IEnumerable<LicenseItem> DeliverableItems(DateTimeOffset now) => _items.Where(i => i.IsDeliverable(now));

    /// <summary>
    /// Takes a work out of this license's deliveries (theft found, consent withdrawn). Returns the item, or null
    /// when the license does not hold the work or it was recalled already; the term itself is not rewritten.
    /// </summary>
    public LicenseItem? Recall(Guid workId, string reason, DateTimeOffset now)
    {
        var item = _items.FirstOrDefault(i => i.WorkId == workId && i.RecalledAt is null);
        item?.MarkRecalled(reason, now);
        return item;
    }
}

public sealed class LicenseItem
{
    public const int MaxHolderTextLength = 1000;

    private LicenseItem() { WorkTitle = null!; CreatorId = null!; CreatorName = null!; CopyrightHolder = null!; RightsHolders = null!; Terms = null!; Currency = null!; }

    internal LicenseItem(Guid id, Guid licenseId, Guid workId, Guid offerId, string workTitle, string creatorId, string creatorName,
        string CopyrightHolder, string rightsHolders, LicenseTerms terms, long priceMinor, string currency, DateTimeOffset StartsAt, DateTimeOffset EndsAt)
    {
        Id = id; LicenseId = licenseId; WorkId = workId; OfferId = offerId; WorkTitle = workTitle; CreatorId = creatorId;
        CreatorName = creatorName; this.CopyrightHolder = CopyrightHolder; RightsHolders = rightsHolders; Terms = terms; PriceMinor = priceMinor; Currency = currency;
        this.StartsAt = StartsAt; this.EndsAt = EndsAt;
    }

    public Guid Id { get; private set; }
    public Guid LicenseId { get; private set; }
    public Guid WorkId { get; private set; }
    public Guid OfferId { get; private set; }
    public string WorkTitle { get; private set; }
    public string CreatorId { get; private set; }
    public string CreatorName { get; private set; }
    public string CopyrightHolder { get; private set; }
    /// <summary>Everyone with a share, with role and split, as confirmed when the order was placed.</summary>
    public string RightsHolders { get; private set; }
    public LicenseTerms Terms { get; private set; }
    public long PriceMinor { get; private set; }
    public string Currency { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset EndsAt { get; private set; }
    /// <summary>When the work was taken out of deliveries, and why (as told to the organisation).</summary>
    public DateTimeOffset? RecalledAt { get; private set; }
    public string? RecallReason { get; private set; }

    public const int MaxRecallReasonLength = 500;

    public bool IsDeliverable(DateTimeOffset now) => RecalledAt is null && now >= StartsAt && now < EndsAt;

    internal void MarkRecalled(string reason, DateTimeOffset now)
    {
        reason = reason.Trim();
        if (reason.Length == 0) throw new DomainException("Say why the work is recalled.");
        RecalledAt = now;
        RecallReason = reason.Length > MaxRecallReasonLength ? reason[..MaxRecallReasonLength] : reason;
    }
}
