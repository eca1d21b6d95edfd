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

    public static Work Draft(string creatorId = Creator, string title = "Harbour at dusk", Guid? id = null) =>
        Work.Upload(id ?? Guid.NewGuid(), creatorId, title, "Oil on canvas, photographed.", Image, Now);

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

    public static IReadOnlyDictionary<Guid, Work> ById(params Work[] works) => works.ToDictionary(w => w.Id);

    private static string Sha256Of(Work work) => work.Id.ToString("N") + work.Id.ToString("N");
}
