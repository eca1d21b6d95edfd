using Market.Domain.Catalog;

namespace Market.Domain.Licensing;

/// <summary>
/// A bundle published for every buyer to start from: a creator's selection of their own works, or the
/// marketplace's (an admin may pick anyone's). Buyers copy it into a bundle of their own; nothing is sold from it
/// directly, so each copied item is re-checked against the work as it is then.
/// </summary>
public sealed class CuratedBundle
{
    public const int MaxTitleLength = 120;
    public const int MaxDescriptionLength = 2000;
    public const int MaxItems = 500;
    private readonly List<CuratedBundleItem> _items = [];

    private CuratedBundle() { Title = null!; Description = null!; CuratorUserId = null!; }

    public static CuratedBundle Draft(Guid id, string curatorUserId, bool curatorIsMarketplace, string? title, string? description, DateTimeOffset now)
    {
        var bundle = new CuratedBundle { Id = id, CuratorUserId = curatorUserId, ByMarketplace = curatorIsMarketplace, CreatedAt = now };
        bundle.Describe(title, description);
        return bundle;
    }

    public Guid Id { get; private set; }
    public string CuratorUserId { get; private set; }
    /// <summary>Curated by the marketplace's staff rather than by a creator of the works.</summary>
    public bool ByMarketplace { get; private set; }
    public string Title { get; private set; }
    public string Description { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public IReadOnlyList<CuratedBundleItem> Items => _items;

    public bool IsPublished => PublishedAt is not null;

    public void Describe(string? title, string? description)
    {
        title = title?.Trim();
        if (string.IsNullOrEmpty(title)) throw new DomainException("Give the curated bundle a title.");
        if (title.Length > MaxTitleLength) throw new DomainException($"The title must be at most {MaxTitleLength} characters.");
        description = description?.Trim() ?? "";
        if (description.Length > MaxDescriptionLength) throw new DomainException($"The description must be at most {MaxDescriptionLength} characters.");
        Title = title;
        Description = description;
    }

    /// <summary>A creator curates only their own works: putting someone else's work in their showcase is not theirs to do.</summary>
    public void Add(Work work, Guid offerId)
    {
        if (!ByMarketplace && work.CreatorId != CuratorUserId)
            throw new DomainException($"\"{work.Title}\" is not yours; creators curate their own works.");
        var offer = work.OfferForSale(offerId);
        if (_items.Any(i => i.WorkId == work.Id)) throw new DomainException($"\"{work.Title}\" is already in it.");
        if (_items.Count >= MaxItems) throw new DomainException($"A curated bundle holds at most {MaxItems} works.");
        if (_items.Count > 0 && _items[0].Currency != offer.Currency)
            throw new DomainException($"This curated bundle is priced in {_items[0].Currency}; that offer is in {offer.Currency}.");
        _items.Add(new CuratedBundleItem(Id, work.Id, offer.Id, offer.Currency, _items.Count));
    }

    public void Remove(Guid workId)
    {
        var item = _items.FirstOrDefault(i => i.WorkId == workId) ?? throw new DomainException("That work is not in it.");
        _items.Remove(item);
    }

    public void Publish(DateTimeOffset now)
    {
        if (_items.Count == 0) throw new DomainException("Add at least one work before publishing.");
        PublishedAt ??= now;
    }

    public void Unpublish() => PublishedAt = null;

    /// <summary>
    /// Copies the curated selection into a buyer's bundle: every work still for sale under the curated offer goes
    /// in; the rest are reported by title, so the buyer sees what was left out and why.
    /// </summary>
    public IReadOnlyList<string> CopyInto(Bundle bundle, IReadOnlyDictionary<Guid, Work> works, DateTimeOffset now)
    {
        if (!IsPublished) throw new DomainException("This curated bundle is not published.");
        var skipped = new List<string>();
        foreach (var item in _items.OrderBy(i => i.Position))
        {
            if (!works.TryGetValue(item.WorkId, out var work)) { skipped.Add("a work that no longer exists"); continue; }
            try
            {
                bundle.Add(work, item.OfferId, now);
            }
            catch (DomainException e)
            {
                skipped.Add(e.Message);
            }
        }
        return skipped;
    }
}

public sealed class CuratedBundleItem
{
    private CuratedBundleItem() { Currency = null!; }

    internal CuratedBundleItem(Guid curatedBundleId, Guid workId, Guid offerId, string currency, int position)
    {
        CuratedBundleId = curatedBundleId; WorkId = workId; OfferId = offerId; Currency = currency; Position = position;
    }

    public Guid CuratedBundleId { get; private set; }
    public Guid WorkId { get; private set; }
    public Guid OfferId { get; private set; }
    public string Currency { get; private set; }
    public int Position { get; private set; }
}
