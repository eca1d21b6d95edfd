using Market.Domain.Licensing;

namespace Market.Web.Licensing;

/// <summary>
/// The machine-readable license that travels with the data: every item with its creator, rights holders,
/// terms, dates and the SHA-256 of the licensed file. Signed by the marketplace (see <see cref="LicenseSigner"/>).
/// </summary>
public sealed record LicenseManifest(
    string Format,
    Guid LicenseId,
    Guid OrderId,
    string Licensee,
    DateTimeOffset IssuedAt,
    string Issuer,
    string VerifyUrl,
    IReadOnlyList<LicenseManifestItem> Items)
{
    public const string CurrentFormat = "market-license/1";

    public static LicenseManifest For(License license, string licensee, IReadOnlyDictionary<Guid, string?> fileHashes, SiteSettings site) =>
        new(CurrentFormat, license.Id, license.OrderId, licensee, license.IssuedAt, site.PublicUrl.TrimEnd('/'),
            site.Absolute($"/Verify/{license.Id}"),
            license.Items.OrderBy(i => i.WorkId).Select(i => new LicenseManifestItem(
                i.WorkId, i.WorkTitle, i.CreatorName, i.CopyrightHolder, i.RightsHolders, fileHashes.GetValueOrDefault(i.WorkId),
                i.Terms.Scope.ToString(), i.Terms.Commercial, i.Terms.TermMonths, i.Terms.AttributionRequired, i.Terms.NameMayNotBeUsedAsPrompt,
                i.Terms.DutyAtExpiry.ToString(), i.Terms.AttestWithinDays, i.StartsAt, i.EndsAt, i.PriceMinor, i.Currency)).ToList());
}

public sealed record LicenseManifestItem(
    Guid WorkId,
    string Title,
    string Creator,
    string CopyrightHolder,
    string RightsHolders,
    string? FileSha256,
    string Scope,
    bool Commercial,
    int TermMonths,
    bool AttributionRequired,
    bool NameMayNotBeUsedAsPrompt,
    string DutyAtExpiry,
    int AttestWithinDays,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    long PriceMinor,
    string Currency);
