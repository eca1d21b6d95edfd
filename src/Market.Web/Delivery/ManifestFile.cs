using System.Text.Json;
using Market.Web.Data;
using Market.Web.Licensing;

namespace Market.Web.Delivery;

/// <summary>
/// The signed manifest file, byte for byte what the license page's download serves: the manifest for reading,
/// the compact JWS that proves it, the format and the key id. The page, the API and the ZIP all take it from here.
/// </summary>
public static class ManifestFile
{
    public static async Task<byte[]?> SignedManifestFileAsync(this MarketDb db, LicenseSigner signer, SiteSettings site, Guid licenseId, Guid organisationId,
        CancellationToken ct)
    {
        var manifest = await db.ManifestAsync(licenseId, organisationId, site, ct);
        return manifest is null ? null : Serialize(manifest, signer);
    }

    public static byte[] Serialize(LicenseManifest manifest, LicenseSigner signer) =>
        JsonSerializer.SerializeToUtf8Bytes(new { format = LicenseManifest.CurrentFormat, keyId = signer.KeyId, jws = signer.Sign(manifest), manifest },
            new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public static string DownloadName(Guid licenseId) => $"license-{licenseId}.manifest.json";
}
