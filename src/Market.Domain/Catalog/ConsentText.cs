namespace Market.Domain.Catalog;

/// <summary>
/// The versioned consent text a creator agrees to, per work. A grant records the version it was given under,
/// so changing the wording later means a new version, never an edit of what someone already agreed to.
/// </summary>
public static class ConsentText
{
    public const string CurrentVersion = "2026-11-v1";

    public static string For(string workTitle) => For([workTitle]);

    /// <summary>The text for one work or a selection given at once; every grant of the selection records this same text.</summary>
    public static string For(IReadOnlyList<string> workTitles)
    {
        if (workTitles.Count == 0) throw new ArgumentException("Consent is given to at least one work.", nameof(workTitles));
        if (workTitles.Count > 1)
            return $"I own or control the rights to each of these {workTitles.Count} works: {string.Join(", ", workTitles.Select(t => $"\"{t}\""))}. " +
                   "I choose to make them available for AI training, under the license offers I set for each and only under those. " +
                   "Buyers may use each only for the scope, " + Rest;
        return $"I own or control the rights to \"{workTitles[0]}\" and I choose to make it available for AI training, " +
               "under the license offers I set for it and only under those. Buyers may use it only for the scope, " + Rest;
    }

    private const string Rest =
        "commercial use and term each license states. I can withdraw this consent at any time: from that moment " +
        "no new licenses are sold; licenses already sold run to their end date, after which the licensee must " +
        "delete the data (and destroy or retrain models where the offer says so) and attest that they did. " +
        "Signing up to the marketplace never implied this consent; this page is the only place it is given.";
}
