namespace Market.Domain.Catalog;

/// <summary>
/// The versioned consent text a creator agrees to, per work. A grant records the version it was given under,
/// so changing the wording later means a new version, never an edit of what someone already agreed to.
/// </summary>
public static class ConsentText
{
    public const string CurrentVersion = "2026-11-v1";

    public static string For(string workTitle) =>
        $"I own or control the rights to \"{workTitle}\" and I choose to make it available for AI training, " +
        "under the license offers I set for it and only under those. Buyers may use it only for the scope, " +
        "commercial use and term each license states. I can withdraw this consent at any time: from that moment " +
        "no new licenses are sold; licenses already sold run to their end date, after which the licensee must " +
        "delete the data (and destroy or retrain models where the offer says so) and attest that they did. " +
        "Signing up to the marketplace never implied this consent; this page is the only place it is given.";
}
