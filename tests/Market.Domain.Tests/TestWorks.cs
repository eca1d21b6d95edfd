using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;

namespace Market.Domain.Tests;

/// <summary>Builds works through their public rules, in the order a creator would go through them.</summary>
internal static class TestWorks
{
    public const string Creator = "creator-1";
    public const string OtherCreator = "creator-2";
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static StoredImage Image { get; } = new("originals/harbour.png", "harbour.png", "image/png", 123_456, 1024, 768);

    /// <summary>The display names the app passes to <see cref="Work.Upload"/> for the test creators.</summary>
    public static string NameOf(string creatorId) => creatorId switch
    {
        Creator => "Ada Painter",
        OtherCreator => "Ben Lens",
        _ => "Someone Else",
    };

    public static Work Draft(string creatorId = Creator, string title = "Harbour at dusk", Guid? id = null) =>
        Work.Upload(id ?? Guid.NewGuid(), creatorId, title, "Oil on canvas, photographed.", Image, Now, NameOf(creatorId));

    /// <summary>A draft uploaded by <see cref="Creator"/> under <paramref name="creatorName"/> from a file carrying this metadata.</summary>
    public static Work UploadedWith(string? metadataCreator = null, string? digitalSourceType = null, string? creatorName = "Zoë Åkesson") =>
        Work.Upload(Guid.NewGuid(), Creator, "Harbour at dusk", null, Image, Now, creatorName,
            new EmbeddedMetadata("Harbour", metadataCreator, null, null, digitalSourceType));

    public static Work Consented(string creatorId = Creator, string title = "Harbour at dusk", Guid? id = null)
    {
        var work = Draft(creatorId, title, id);
        work.GrantConsent(creatorId, ticked: true, ConsentText.CurrentVersion, "203.0.113.7", Now);
        return work;
    }

    /// <summary>A draft with consent and one offer, submitted: the state the detection job picks it up in.</summary>
    public static Work Scanning(string creatorId = Creator, string title = "Harbour at dusk", long priceMinor = 4900, string currency = "EUR")
    {
        var work = Consented(creatorId, title);
        work.AddOffer(creatorId, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Price(priceMinor, currency), Now);
        work.SubmitForListing(creatorId);
        return work;
    }

    /// <summary>
    /// A listed work with one offer. Pass <paramref name="id"/> and <paramref name="offerId"/> to build the same
    /// work as it would load from the database after its stored offer had changed.
    /// </summary>
    public static Work Listed(
        string creatorId = Creator,
        string title = "Harbour at dusk",
        long priceMinor = 4900,
        string currency = "EUR",
        LicenseTerms? terms = null,
        Guid? id = null,
        Guid? offerId = null)
    {
        var work = Consented(creatorId, title, id);
        work.AddOffer(creatorId, offerId ?? Guid.NewGuid(), terms ?? LicenseTerms.OneYearGenerative, new Price(priceMinor, currency), Now);
        work.SubmitForListing(creatorId);
        work.CompleteScan(Sha256Of(work), "00ff00ff00ff00ff", $"previews/{work.Id}.webp", listedDuplicate: null, Now);
        return work;
    }

    public static Guid OnlyOfferId(this Work work) => work.ActiveOffers.Single().Id;

    // Rights holders

    /// <summary>The creator's own share, as the holders form sends it.</summary>
    public static RightsHolderSpec Mine(int basisPoints, RightsHolderRole role = RightsHolderRole.Creator) =>
        new(null, null, role, basisPoints, IsCreatorAccount: true);

    /// <summary>Someone else's share, named by e-mail.</summary>
    public static RightsHolderSpec Holder(string? name, string? email, int basisPoints, RightsHolderRole role = RightsHolderRole.CoOwner) =>
        new(name, email, role, basisPoints, IsCreatorAccount: false);

    public static RightsHolder HolderWithEmail(this Work work, string email) =>
        work.RightsHolders.Single(h => string.Equals(h.Email, email, StringComparison.OrdinalIgnoreCase));

    public static RightsHolder CreatorShare(this Work work) => work.RightsHolders.Single(h => h.IsCreatorAccount(work.CreatorId));

    /// <summary>Names the holders as <see cref="Creator"/> would, with their display name.</summary>
    public static IReadOnlyList<RightsHolder> NameHolders(this Work work, params RightsHolderSpec[] specs) =>
        work.SetRightsHolders(work.CreatorId, NameOf(work.CreatorId), specs, Now);

    /// <summary>Sends the holder a fresh link and answers through it, as the share page does.</summary>
    public static RightsHolder AnswerByLink(this Work work, RightsHolder holder, bool confirm, string? userId = null, string? reason = null)
    {
        var hash = $"hash-{Guid.NewGuid():N}";
        holder.IssueLink(hash, Now);
        return work.AnswerShareByLink(hash, confirm, userId, reason, Now.AddHours(1));
    }

    /// <summary>Every pending holder confirms through their link, without an account.</summary>
    public static Work ConfirmAll(this Work work)
    {
        foreach (var holder in work.RightsHolders.Where(h => h.Status == ShareStatus.Pending).ToList())
            work.AnswerByLink(holder, confirm: true);
        return work;
    }

    /// <summary>What a holder looks like from outside, to compare before and after a change.</summary>
    public static (Guid Id, string Name, string? Email, string? UserId, RightsHolderRole Role, int Split, ShareStatus Status, string? TokenHash)[]
        HolderSnapshot(this Work work) =>
        [.. work.RightsHolders.Select(h => (h.Id, h.Name, h.Email, h.UserId, h.Role, h.SplitBasisPoints, h.Status, h.TokenHash))];

    public static IReadOnlyDictionary<Guid, Work> ById(params Work[] works) => works.ToDictionary(w => w.Id);

    private static string Sha256Of(Work work) => work.Id.ToString("N") + work.Id.ToString("N");
}
