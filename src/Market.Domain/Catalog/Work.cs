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

    public const int MaxRightsHolders = 10;
    public const int MaxActiveOffers = 10;

    private readonly List<LicenseOffer> _offers = [];
    private readonly List<RightsHolder> _holders = [];
    private readonly List<WorkFlag> _flags = [];

    private Work() { CreatorId = null!; Title = null!; Description = null!; OriginalKey = null!; OriginalFileName = null!; ContentType = null!; }

    /// <summary>
    /// A new draft from an uploaded file. The creator starts as its only rights holder, with the whole share;
    /// what the file's metadata says is kept, and raises a flag when it names someone else as the creator or
    /// declares the file AI-generated.
    /// </summary>
    public static Work Upload(Guid id, string creatorId, string? title, string? description, StoredImage image, DateTimeOffset now,
        string? creatorName = null, EmbeddedMetadata? metadata = null)
    {
        (title, description) = ValidText(title, description);

        var work = new Work
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
            Metadata = metadata ?? EmbeddedMetadata.None,
        };
        var name = string.IsNullOrWhiteSpace(creatorName) ? "The creator" : creatorName.Trim();
        work._holders.Add(new RightsHolder(Guid.CreateVersion7(now), id, Truncate(name, RightsHolder.MaxNameLength), null, creatorId,
            RightsHolderRole.Creator, Shares.Whole, ShareStatus.Confirmed, now));
        work.RaiseMetadataFlags(name, now);
        return work;
    }

    private void RaiseMetadataFlags(string creatorName, DateTimeOffset now)
    {
        var named = Metadata.Creator?.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(PersonNames.NamesSomeone).ToList() ?? [];
        if (named.Count > 0 && !named.Any(n => PersonNames.SamePerson(n, creatorName)))
            _flags.Add(new WorkFlag(Guid.CreateVersion7(now), Id, FlagKind.MetadataNamesAnotherCreator,
                $"The file's metadata names \"{Metadata.Creator}\" as its creator, not you ({creatorName}).", now));
        if (DigitalSourceTypes.IsAiGenerated(Metadata.DigitalSourceType))
            _flags.Add(new WorkFlag(Guid.CreateVersion7(now), Id, FlagKind.DeclaredAiGenerated,
                $"The file's metadata declares it AI-generated (IPTC digital source type \"{Metadata.DigitalSourceType}\").", now));
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
    public DateTimeOffset? TakenDownAt { get; private set; }
    /// <summary>The moderator's reason, as the creator and the licensees are told it.</summary>
    public string? TakedownReason { get; private set; }
    public string? TakenDownByUserId { get; private set; }
    public IReadOnlyList<LicenseOffer> Offers => _offers;
    public IReadOnlyList<RightsHolder> RightsHolders => _holders;
    public IReadOnlyList<WorkFlag> Flags => _flags;
    public EmbeddedMetadata Metadata { get; private set; } = EmbeddedMetadata.None;
    /// <summary>Labelled AI-generated: the file said so and the creator confirmed it.</summary>
    public bool AiGenerated { get; private set; }
    public List<string> Tags { get; private set; } = [];
    public WorkMedium Medium { get; private set; }
    public int? CreationYear { get; private set; }

    public bool HasConsent => ConsentGrantedAt is not null;
    public bool HoldersConfirmed => _holders.Count > 0 && _holders.All(h => h.Status == ShareStatus.Confirmed);
    public bool HasOpenFlags => _flags.Any(f => f.IsOpen);
    public bool IsForSale => State == WorkState.Listed && HasConsent && HoldersConfirmed;
    public IEnumerable<LicenseOffer> ActiveOffers => _offers.Where(o => o.Active);

    /// <summary>The one word a creator's dashboard shows for the work.</summary>
    public string Status => State switch
    {
        WorkState.Draft when HasOpenFlags => "flagged",
        WorkState.Listed when !HoldersConfirmed => "needs confirmation",
        WorkState.Draft when !HoldersConfirmed => "needs confirmation",
        _ => StateText,
    };

    /// <summary>The state in words, for messages: "withdrawn", "taken down".</summary>
    private string StateText => State switch
    {
        WorkState.TakenDown => "taken down",
        WorkState.Held => "held under a claim",
        WorkState.Quarantined => "under review",
        _ => State.ToString().ToLowerInvariant(),
    };

    public bool IsOwnedBy(string userId) => CreatorId == userId;

    public const int MaxTags = 30;
    public const int MaxTagLength = 40;
    public const int EarliestYear = 1000;

    /// <summary>The creator's description of the work. Buyers search and filter on these fields.</summary>
    public void Describe(string userId, string? title, string? description, IEnumerable<string> tags, WorkMedium medium, int? creationYear, DateTimeOffset now)
    {
        EnsureOwner(userId);
        if (State == WorkState.Rejected) throw new DomainException("This work was refused; upload it again to describe it.");
        if (State == WorkState.TakenDown) throw new DomainException("This work was taken down by a moderator; it can no longer be changed.");
        (title, description) = ValidText(title, description);
        if (!Enum.IsDefined(medium)) throw new DomainException("Choose the work's medium from the list.");
        if (creationYear is { } year && (year < EarliestYear || year > now.Year))
            throw new DomainException($"The year of creation must be between {EarliestYear} and {now.Year}.");
        var normalisedTags = NormaliseTags(tags);
        Title = title;
        Description = description;
        Tags = normalisedTags;
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

    /// <param name="selectionTitles">When consent is given to several works at once: all their titles, as the page showed them.</param>
    public ConsentRecord GrantConsent(string userId, bool ticked, string textVersion, string? remoteAddress, DateTimeOffset now, string? userAgent = null,
        IReadOnlyList<string>? selectionTitles = null)
    {
        EnsureOwner(userId);
        var titles = selectionTitles ?? [Title];
        if (!titles.Contains(Title)) throw new ArgumentException("The selection must include this work.", nameof(selectionTitles));
        if (!ticked)
            throw new DomainException(titles.Count == 1
                ? "Tick the box to opt this work in. Nothing is sold without it."
                : "Tick the box to opt these works in. Nothing is sold without it.");
        if (textVersion != ConsentText.CurrentVersion)
            throw new DomainException("The consent text changed while the page was open. Read the current text and confirm again.");
        if (State is WorkState.Rejected or WorkState.Withdrawn or WorkState.TakenDown)
            throw new DomainException($"This work is {StateText}; upload it again to offer it.");
        if (HasConsent) throw new DomainException("You already opted this work in.");
        ConsentGrantedAt = now;
        ConsentTextVersion = textVersion;
        return new ConsentRecord(Id, userId, ConsentAction.Granted, textVersion, ConsentText.For(titles), remoteAddress, now, userAgent, TermsInForce());
    }

    public ConsentRecord WithdrawConsent(string userId, string? remoteAddress, DateTimeOffset now, string? userAgent = null)
    {
        EnsureOwner(userId);
        if (State == WorkState.TakenDown) throw new DomainException("This work was taken down by a moderator; its licenses have been recalled.");
        if (!HasConsent || State == WorkState.Withdrawn) throw new DomainException("This work is not opted in.");
        State = WorkState.Withdrawn;
        WithdrawnAt = now;
        ConsentGrantedAt = null;
        return new ConsentRecord(Id, userId, ConsentAction.Withdrawn, ConsentTextVersion ?? ConsentText.CurrentVersion,
            $"Consent for \"{Title}\" withdrawn. No new licenses; licenses already sold run to their end date.", remoteAddress, now, userAgent, TermsInForce());
    }

    /// <summary>The offers a consent event refers to, in words: what the creator agreed buyers may license.</summary>
    private string TermsInForce()
    {
        var offers = ActiveOffers.ToList();
        if (offers.Count == 0) return "No license offer yet: nothing can be sold until the creator sets one.";
        return string.Join(" | ", offers.Select(o => $"{o.Price}: {o.Terms.Describe()}"));
    }

    public LicenseOffer AddOffer(string userId, Guid offerId, LicenseTerms terms, Price price, DateTimeOffset now)
    {
        EnsureOwner(userId);
        if (State is WorkState.Rejected or WorkState.Withdrawn or WorkState.TakenDown)
            throw new DomainException($"This work is {StateText}; it cannot take new offers.");
        terms = terms.Validated();
        price = Price.Create(price.Minor, price.Currency);
        if (ActiveOffers.Any(o => o.Terms == terms && o.PriceMinor == price.Minor && o.Currency == price.Currency))
            throw new DomainException($"\"{Title}\" already has this offer.");
        if (ActiveOffers.Count() >= MaxActiveOffers)
            throw new DomainException($"A work has at most {MaxActiveOffers} offers; retire one first.");
        var offer = new LicenseOffer(offerId, Id, terms, price, now);
        _offers.Add(offer);
        return offer;
    }

    /// <summary>
    /// Changes an offer by retiring it and adding its successor: licenses sold under the old one keep the
    /// terms they were sold under (they hold a copy), and a bundle holding the old offer must pick again.
    /// </summary>
    public LicenseOffer ReviseOffer(string userId, Guid offerId, Guid newOfferId, LicenseTerms terms, Price price, DateTimeOffset now)
    {
        var old = ActiveOffer(userId, offerId);
        old.Retire();
        try
        {
            return AddOffer(userId, newOfferId, terms, price, now);
        }
        catch
        {
            old.Reactivate();
            throw;
        }
    }

    public void RetireOffer(string userId, Guid offerId) => ActiveOffer(userId, offerId).Retire();

    /// <summary>The bulk edit: every active offer is retired and the given one takes their place.</summary>
    public LicenseOffer ReplaceOffers(string userId, Guid newOfferId, LicenseTerms terms, Price price, DateTimeOffset now)
    {
        EnsureOwner(userId);
        var retired = ActiveOffers.ToList();
        retired.ForEach(o => o.Retire());
        try
        {
            return AddOffer(userId, newOfferId, terms, price, now);
        }
        catch
        {
            retired.ForEach(o => o.Reactivate());
            throw;
        }
    }

    private LicenseOffer ActiveOffer(string userId, Guid offerId)
    {
        EnsureOwner(userId);
        return ActiveOffers.FirstOrDefault(o => o.Id == offerId) ?? throw new DomainException("There is no such active offer on this work.");
    }

    /// <summary>
    /// Names everyone with a share of the royalties. Splits are in basis points and must sum to exactly 10000.
    /// Holders whose share is unchanged keep their answer; everyone else is asked (again), and the work cannot be
    /// sold until all have confirmed. Returns the holders who must now be asked.
    /// </summary>
    public IReadOnlyList<RightsHolder> SetRightsHolders(string userId, string creatorName, IReadOnlyList<RightsHolderSpec> specs, DateTimeOffset now)
    {
        EnsureOwner(userId);
        if (State is WorkState.Rejected or WorkState.Withdrawn or WorkState.TakenDown)
            throw new DomainException($"This work is {StateText}; its rights holders can no longer change.");
        if (specs.Count == 0) throw new DomainException("Name at least one rights holder.");
        if (specs.Count > MaxRightsHolders) throw new DomainException($"A work has at most {MaxRightsHolders} rights holders.");
        if (specs.Count(s => s.IsCreatorAccount) > 1) throw new DomainException("Your own share can appear only once.");
        foreach (var spec in specs)
        {
            if (!Enum.IsDefined(spec.Role)) throw new DomainException("Choose each holder's role from the list.");
            if (spec.SplitBasisPoints is < 1 or > Shares.Whole)
                throw new DomainException("Each holder's share must be between 0.01% and 100%.");
        }
        var total = specs.Sum(s => (long)s.SplitBasisPoints);
        if (total != Shares.Whole)
            throw new DomainException($"The shares add up to {Shares.Percent((int)Math.Min(total, int.MaxValue))}; they must add up to exactly 100%.");

        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var next = new List<RightsHolder>();
        var toAsk = new List<RightsHolder>();
        // Renames wait until every holder has passed its checks, so a refused change leaves the holders untouched.
        var renames = new List<(RightsHolder Holder, string Name)>();
        foreach (var spec in specs)
        {
            if (spec.IsCreatorAccount)
            {
                var mine = _holders.FirstOrDefault(h => h.IsCreatorAccount(CreatorId));
                var name = Truncate(string.IsNullOrWhiteSpace(creatorName) ? "The creator" : creatorName.Trim(), RightsHolder.MaxNameLength);
                if (mine is not null && mine.Role == spec.Role && mine.SplitBasisPoints == spec.SplitBasisPoints)
                {
                    renames.Add((mine, name));
                    next.Add(mine);
                }
                else
                    next.Add(new RightsHolder(Guid.CreateVersion7(now), Id, name, null, CreatorId, spec.Role, spec.SplitBasisPoints, ShareStatus.Confirmed, now));
                continue;
            }
            var holderName = spec.Name?.Trim();
            if (string.IsNullOrEmpty(holderName)) throw new DomainException("Give every rights holder a name.");
            if (holderName.Length > RightsHolder.MaxNameLength) throw new DomainException($"A holder's name must be at most {RightsHolder.MaxNameLength} characters.");
            var email = EmailAddresses.Normalise(spec.Email)
                ?? throw new DomainException($"Give an e-mail address for {holderName}, so they can confirm their share.");
            if (!emails.Add(email)) throw new DomainException($"{email} is named twice.");
            var same = _holders.FirstOrDefault(h => h.Status != ShareStatus.Refused && h.SameShareAs(spec, email));
            if (same is not null)
            {
                renames.Add((same, holderName));
                next.Add(same);
                continue;
            }
            var holder = new RightsHolder(Guid.CreateVersion7(now), Id, holderName, email, null, spec.Role, spec.SplitBasisPoints, ShareStatus.Pending, now);
            next.Add(holder);
            toAsk.Add(holder);
        }
        foreach (var (holder, name) in renames) holder.Rename(name);
        _holders.Clear();
        _holders.AddRange(next);
        return toAsk;
    }

    /// <summary>
    /// A holder answers through their e-mailed link. <paramref name="userId"/> is set when they answer signed in:
    /// their royalties then go to that account.
    /// </summary>
    public RightsHolder AnswerShareByLink(string tokenHash, bool confirm, string? userId, string? reason, DateTimeOffset now)
    {
        var holder = _holders.FirstOrDefault(h => h.TokenHash is not null && CryptoEquals(h.TokenHash, tokenHash))
            ?? throw new DomainException("This link is no longer valid: the share was answered already, or the creator changed the rights holders.");
        if (holder.TokenIssuedAt is { } issued && now - issued > RightsHolder.LinkLifetime)
            throw new DomainException("This link has expired. Ask the creator to send it again.");
        EnsureAnswerable();
        holder.Respond(confirm, userId, reason, now);
        return holder;
    }

    /// <summary>A holder answers signed in, with an account whose verified e-mail is the one the creator named.</summary>
    public RightsHolder AnswerShareAsAccount(Guid holderId, string userId, string? verifiedEmail, bool confirm, string? reason, DateTimeOffset now)
    {
        var holder = _holders.FirstOrDefault(h => h.Id == holderId && h.Email is not null
                                                  && string.Equals(h.Email, EmailAddresses.Normalise(verifiedEmail), StringComparison.OrdinalIgnoreCase))
            ?? throw new DomainException("There is no share for you to answer on this work.");
        EnsureAnswerable();
        holder.Respond(confirm, userId, reason, now);
        return holder;
    }

    private void EnsureAnswerable()
    {
        if (State is WorkState.Rejected or WorkState.Withdrawn or WorkState.TakenDown)
            throw new DomainException($"This work is {StateText}; there is nothing to confirm any more.");
    }

    /// <summary>The creator answers a metadata flag; the answer is recorded with who and when.</summary>
    public void AnswerFlag(string userId, Guid flagId, FlagAnswer answer, DateTimeOffset now)
    {
        EnsureOwner(userId);
        var flag = _flags.FirstOrDefault(f => f.Id == flagId) ?? throw new DomainException("There is no such flag on this work.");
        flag.Resolve(answer, userId, now);
        if (answer == FlagAnswer.AiGeneratedConfirmed) AiGenerated = true;
    }

    public void SubmitForListing(string userId)
    {
        EnsureOwner(userId);
        if (State != WorkState.Draft) throw new DomainException($"This work is already {StateText}.");
        if (!HasConsent) throw new DomainException("Opt the work in on its consent page before listing it.");
        if (!ActiveOffers.Any()) throw new DomainException("Add at least one license offer before listing the work.");
        if (HasOpenFlags) throw new DomainException("Answer the questions about the file's metadata before listing the work.");
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

    /// <summary>
    /// Records the scan's hashes and applies the scan policy's decision (<see cref="Moderation.ScanPolicy"/>).
    /// Idempotent like the overload above: a work that has left Scanning is not touched.
    /// </summary>
    public void DecideScan(string sha256, string perceptualHash, string? previewKey, Moderation.ScanDecision decision, DateTimeOffset now)
    {
        if (State != WorkState.Scanning) return;
        Sha256 = sha256;
        PerceptualHash = perceptualHash;
        PreviewKey = previewKey;
        switch (decision.Outcome)
        {
            case Moderation.ScanOutcome.Listed:
                State = WorkState.Listed;
                ListedAt = now;
                break;
            case Moderation.ScanOutcome.Quarantined:
                Quarantine();
                break;
            default:
                State = WorkState.Rejected;
                RejectionReason = decision.Reason ?? "The checks refused it.";
                break;
        }
    }

    /// <summary>Held for a moderator: not listed, not for sale, until its review cases are decided.</summary>
    public void Quarantine()
    {
        if (State != WorkState.Scanning) throw new DomainException($"Only a work being scanned can be quarantined; this one is {StateText}.");
        State = WorkState.Quarantined;
    }

    /// <summary>
    /// A re-scan of the catalog (nightly, or after its creator was found to have listed a stolen work) matched this
    /// listed work to another account's work or a registry entry: it leaves the catalog until a moderator decides,
    /// as the upload scan would have held it. Licenses already sold run on. False when it is not listed.
    /// </summary>
    public bool QuarantineAfterRescan()
    {
        if (State != WorkState.Listed) return false;
        State = WorkState.Quarantined;
        return true;
    }

    /// <summary>Every review case was cleared: the work is listed as a clean scan would have listed it.</summary>
    public void ReleaseFromQuarantine(DateTimeOffset now)
    {
        if (State != WorkState.Quarantined) throw new DomainException($"This work is not under review; it is {StateText}.");
        State = WorkState.Listed;
        ListedAt = now;
    }

    /// <summary>A moderator confirmed it is a copy: refused with the reason, for the creator to see (and appeal).</summary>
    public void RefuseAfterReview(string reason)
    {
        if (State != WorkState.Quarantined) throw new DomainException($"This work is not under review; it is {StateText}.");
        State = WorkState.Rejected;
        RejectionReason = reason;
    }

    /// <summary>The scan could not read the file; the work is refused with the reason, for the creator to see.</summary>
    public void FailScan(string reason)
    {
        if (State != WorkState.Scanning) return;
        State = WorkState.Rejected;
        RejectionReason = reason;
    }

    public const int MaxTakedownReasonLength = 500;

    /// <summary>
    /// A moderator takes the work off the market because the person who listed it had no right to (theft, a
    /// protected work). Unlike a withdrawal it applies whatever the work's state, a withdrawn one included, since
    /// licenses sold earlier must be recalled either way; it cannot be undone here.
    /// </summary>
    public void TakeDown(string? reason, string moderatorId, DateTimeOffset now)
    {
        if (State == WorkState.TakenDown) throw new DomainException("This work was taken down already.");
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw new DomainException("Give the reason for the takedown; the creator and the licensees are told it.");
        if (reason.Length > MaxTakedownReasonLength) throw new DomainException($"The reason must be at most {MaxTakedownReasonLength} characters.");
        State = WorkState.TakenDown;
        TakenDownAt = now;
        TakedownReason = reason;
        TakenDownByUserId = moderatorId;
    }

    /// <summary>
    /// An ownership claim was filed: the work leaves the catalog (nothing new is sold) until a moderator decides.
    /// Returns false when another open claim already holds it: a work is held once, however many claim it.
    /// </summary>
    public bool HoldForClaim()
    {
        if (State == WorkState.Held) return false;
        if (State != WorkState.Listed) throw new DomainException("Only works listed in the catalog can be claimed.");
        State = WorkState.Held;
        return true;
    }

    /// <summary>
    /// The last open claim was rejected or withdrawn: a held work returns to the catalog. A work that left the hold
    /// meanwhile (its creator withdrew consent, a moderator took it down) stays where it is.
    /// </summary>
    public bool ReleaseHold()
    {
        if (State != WorkState.Held) return false;
        State = WorkState.Listed;
        return true;
    }

    /// <summary>The offer a buyer picked, if the work can be sold under it right now.</summary>
    public LicenseOffer OfferForSale(Guid offerId)
    {
        if (!IsForSale) throw new DomainException($"\"{Title}\" is not for sale any more.");
        return ActiveOffers.FirstOrDefault(o => o.Id == offerId)
            ?? throw new DomainException($"That offer for \"{Title}\" is no longer available.");
    }

    /// <summary>The title and description trimmed and checked, the same at upload and on every later edit.</summary>
    private static (string Title, string Description) ValidText(string? title, string? description)
    {
        title = title?.Trim();
        if (string.IsNullOrEmpty(title)) throw new DomainException("Give the work a title.");
        if (title.Length > MaxTitleLength) throw new DomainException($"The title must be at most {MaxTitleLength} characters.");
        description = description?.Trim() ?? "";
        if (description.Length > MaxDescriptionLength)
            throw new DomainException($"The description must be at most {MaxDescriptionLength} characters.");
        return (title, description);
    }

    private static string Truncate(string value, int max) => value.Length > max ? value[..max] : value;

    private static bool CryptoEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(a), System.Text.Encoding.ASCII.GetBytes(b));

    private void EnsureOwner(string userId)
    {
        // Pages look works up by owner already; this is the rule's own guard, not the access check.
        if (!IsOwnedBy(userId)) throw new DomainException("Only the work's creator can do that.");
    }
}

/// <summary>What the upload step learnt about a stored original, from its decoded header.</summary>
public sealed record StoredImage(string StorageKey, string FileName, string ContentType, long ByteSize, int Width, int Height);
