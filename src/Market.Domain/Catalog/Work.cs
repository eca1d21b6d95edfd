using Market.Domain.Licensing;
using Market.Domain.Money;

namespace Market.Domain.Catalog;

/// <summary>
/// A creator's work on the marketplace. Its methods are the catalog rules: a work is sold only when its
/// creator opted in, it has an active offer, and the detection scan cleared it.
/// </summary>
public sealed class Work
{
    public const int MaxTitleLength = 200;
    public const int MaxDescriptionLength = 4000;

    private readonly List<LicenseOffer> _offers = [];

    private Work() { CreatorId = null!; Title = null!; Description = null!; OriginalKey = null!; OriginalFileName = null!; ContentType = null!; }

    public static Work Upload(Guid id, string creatorId, string? title, string? description, StoredImage image, DateTimeOffset now)
    {
        title = title?.Trim();
        if (string.IsNullOrEmpty(title)) throw new DomainException("Give the work a title.");
        if (title.Length > MaxTitleLength) throw new DomainException($"The title must be at most {MaxTitleLength} characters.");
        description = description?.Trim() ?? "";
        if (description.Length > MaxDescriptionLength)
            throw new DomainException($"The description must be at most {MaxDescriptionLength} characters.");

        return new Work
        {
            Id = id,
            CreatorId = creatorId,
            Title = title,
            Description = description,
            OriginalKey = image.StorageKey,
            OriginalFileName = image.FileName,
            ContentType = image.ContentType,
            ByteSize = image.ByteSize,
            Width = image.Width,
            Height = image.Height,
            State = WorkState.Draft,
            CreatedAt = now,
        };
    }

    public Guid Id { get; private set; }
    public string CreatorId { get; private set; }
    public string Title { get; private set; }
    public string Description { get; private set; }
    public string OriginalKey { get; private set; }
    public string OriginalFileName { get; private set; }
    public string ContentType { get; private set; }
    public long ByteSize { get; private set; }
    public int Width { get; private set; }
    public int Height { get; private set; }
    public WorkState State { get; private set; }
    public string? RejectionReason { get; private set; }
    public string? Sha256 { get; private set; }
    public string? PerceptualHash { get; private set; }
    public string? PreviewKey { get; private set; }
    public string? ConsentTextVersion { get; private set; }
    public DateTimeOffset? ConsentGrantedAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ListedAt { get; private set; }
    public DateTimeOffset? WithdrawnAt { get; private set; }
    public IReadOnlyList<LicenseOffer> Offers => _offers;
    public List<string> Tags { get; private set; } = [];
    public WorkMedium Medium { get; private set; }
    public int? CreationYear { get; private set; }

    public bool HasConsent => ConsentGrantedAt is not null;
    public bool IsForSale => State == WorkState.Listed && HasConsent;
    public IEnumerable<LicenseOffer> ActiveOffers => _offers.Where(o => o.Active);

    public bool IsOwnedBy(string userId) => CreatorId == userId;

    public const int MaxTags = 30;
    public const int MaxTagLength = 40;
    public const int EarliestYear = 1000;

    /// <summary>The creator's description of the work. Buyers search and filter on these fields.</summary>
    public void Describe(string userId, string? title, string? description, IEnumerable<string> tags, WorkMedium medium, int? creationYear, DateTimeOffset now)
    {
        EnsureOwner(userId);
        if (State == WorkState.Rejected) throw new DomainException("This work was refused; upload it again to describe it.");
        title = title?.Trim();
        if (string.IsNullOrEmpty(title)) throw new DomainException("Give the work a title.");
        if (title.Length > MaxTitleLength) throw new DomainException($"The title must be at most {MaxTitleLength} characters.");
        description = description?.Trim() ?? "";
        if (description.Length > MaxDescriptionLength)
            throw new DomainException($"The description must be at most {MaxDescriptionLength} characters.");
        if (!Enum.IsDefined(medium)) throw new DomainException("Choose the work's medium from the list.");
        if (creationYear is { } year && (year < EarliestYear || year > now.Year))
            throw new DomainException($"The year of creation must be between {EarliestYear} and {now.Year}.");
        Title = title;
        Description = description;
        Tags = NormaliseTags(tags);
        Medium = medium;
        CreationYear = creationYear;
    }

    /// <summary>Tags are trimmed, lower-cased and de-duplicated, in the order given.</summary>
    public static List<string> NormaliseTags(IEnumerable<string> tags)
    {
        var result = new List<string>();
        foreach (var raw in tags)
        {
            var tag = string.Join(' ', raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
            if (tag.Length == 0 || result.Contains(tag)) continue;
            if (tag.Length > MaxTagLength) throw new DomainException($"The tag \"{tag[..20]}…\" is longer than {MaxTagLength} characters.");
            result.Add(tag);
        }
        if (result.Count > MaxTags) throw new DomainException($"A work has at most {MaxTags} tags.");
        return result;
    }

    public ConsentRecord GrantConsent(string userId, bool ticked, string textVersion, string? remoteAddress, DateTimeOffset now)
    {
        EnsureOwner(userId);
        if (!ticked) throw new DomainException("Tick the box to opt this work in. Nothing is sold without it.");
        if (textVersion != ConsentText.CurrentVersion)
            throw new DomainException("The consent text changed while the page was open. Read the current text and confirm again.");
        if (State is WorkState.Rejected or WorkState.Withdrawn)
            throw new DomainException($"This work is {State.ToString().ToLowerInvariant()}; upload it again to offer it.");
        if (HasConsent) throw new DomainException("You already opted this work in.");
        ConsentGrantedAt = now;
        ConsentTextVersion = textVersion;
        return new ConsentRecord(Id, userId, ConsentAction.Granted, textVersion, ConsentText.For(Title), remoteAddress, now);
    }

    public ConsentRecord WithdrawConsent(string userId, string? remoteAddress, DateTimeOffset now)
    {
        EnsureOwner(userId);
        if (!HasConsent || State == WorkState.Withdrawn) throw new DomainException("This work is not opted in.");
        State = WorkState.Withdrawn;
        WithdrawnAt = now;
        ConsentGrantedAt = null;
        return new ConsentRecord(Id, userId, ConsentAction.Withdrawn, ConsentTextVersion ?? ConsentText.CurrentVersion,
            $"Consent for \"{Title}\" withdrawn. No new licenses; licenses already sold run to their end date.", remoteAddress, now);
    }

    public LicenseOffer AddOffer(string userId, Guid offerId, LicenseTerms terms, Price price, DateTimeOffset now)
    {
        EnsureOwner(userId);
        if (State is WorkState.Rejected or WorkState.Withdrawn)
            throw new DomainException($"This work is {State.ToString().ToLowerInvariant()}; it cannot take new offers.");
        var offer = new LicenseOffer(offerId, Id, terms.Validated(), Price.Create(price.Minor, price.Currency), now);
        _offers.Add(offer);
        return offer;
    }

    public void SubmitForListing(string userId)
    {
        EnsureOwner(userId);
        if (State != WorkState.Draft) throw new DomainException($"This work is already {State.ToString().ToLowerInvariant()}.");
        if (!HasConsent) throw new DomainException("Opt the work in on its consent page before listing it.");
        if (!ActiveOffers.Any()) throw new DomainException("Add at least one license offer before listing the work.");
        State = WorkState.Scanning;
    }

    /// <summary>Records the scan's hashes. Idempotent: a retried job finds the work already decided and changes nothing.</summary>
    public void CompleteScan(string sha256, string perceptualHash, string? previewKey, Work? listedDuplicate, DateTimeOffset now)
    {
        if (State != WorkState.Scanning) return;
        Sha256 = sha256;
        PerceptualHash = perceptualHash;
        PreviewKey = previewKey;
        if (listedDuplicate is not null)
        {
            State = WorkState.Rejected;
            RejectionReason = listedDuplicate.CreatorId == CreatorId
                ? $"This file is an exact copy of your work \"{listedDuplicate.Title}\", which is already listed."
                : "This file is an exact copy of a work another creator has already listed. If it is yours, file a claim.";
            return;
        }
        State = WorkState.Listed;
        ListedAt = now;
    }

    /// <summary>The scan could not read the file; the work is refused with the reason, for the creator to see.</summary>
    public void FailScan(string reason)
    {
        if (State != WorkState.Scanning) return;
        State = WorkState.Rejected;
        RejectionReason = reason;
    }

    /// <summary>The offer a buyer picked, if the work can be sold under it right now.</summary>
    public LicenseOffer OfferForSale(Guid offerId)
    {
        if (!IsForSale) throw new DomainException($"\"{Title}\" is not for sale any more.");
        return ActiveOffers.FirstOrDefault(o => o.Id == offerId)
            ?? throw new DomainException($"That offer for \"{Title}\" is no longer available.");
    }

    private void EnsureOwner(string userId)
    {
        // Pages look works up by owner already; this is the rule's own guard, not the access check.
        if (!IsOwnedBy(userId)) throw new DomainException("Only the work's creator can do that.");
    }
}

/// <summary>What the upload step learnt about a stored original, from its decoded header.</summary>
public sealed record StoredImage(string StorageKey, string FileName, string ContentType, long ByteSize, int Width, int Height);
