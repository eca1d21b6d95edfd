using Market.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Licensing;

public static class LicensingSetup
{
    public static WebApplicationBuilder AddLicensing(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Licensing").Get<LicenseSigningSettings>() ?? new LicenseSigningSettings();
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton(sp => new LicenseSigner(
            LicenseSigner.LoadOrCreate(settings, contentRoot, sp.GetRequiredService<ILoggerFactory>().CreateLogger<LicenseSigner>())));
        return builder;
    }

    /// <summary>The public key, for anyone to verify manifests offline: PEM and JWK at fixed, well-known paths.</summary>
    public static WebApplication MapLicenseKeys(this WebApplication app)
    {
        app.MapGet("/.well-known/license-signing-key.pem", (LicenseSigner signer) => Results.Text(signer.PublicKeyPem, "application/x-pem-file"));
        app.MapGet("/.well-known/license-signing-key.jwk", (LicenseSigner signer) => Results.Text(signer.PublicJwk, "application/jwk+json"));
        return app;
    }

    /// <summary>
    /// Builds a license's manifest from its stored snapshot; <paramref name="organisationId"/> scopes it to the
    /// holder (null: the public certificate, reachable only through the license's unguessable id).
    /// </summary>
    public static async Task<LicenseManifest?> ManifestAsync(this MarketDb db, Guid licenseId, Guid? organisationId, SiteSettings site, CancellationToken ct)
    {
        var license = await db.Licenses.AsNoTracking().Include(l => l.Items)
            .FirstOrDefaultAsync(l => l.Id == licenseId && (organisationId == null || l.OrganisationId == organisationId), ct);
        if (license is null) return null;
        var licensee = await db.Organisations.Where(o => o.Id == license.OrganisationId).Select(o => o.Name).FirstAsync(ct);
        var workIds = license.Items.Select(i => i.WorkId).ToList();
        var hashes = await db.Works.Where(w => workIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Sha256, ct);
        return LicenseManifest.For(license, licensee, hashes, site);
    }
}
