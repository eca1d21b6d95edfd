using System.Text.Json;
using Market.Web.Data;
using Market.Web.Licensing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.Verify;

/// <summary>
/// Public, no sign-in: the certificate of a license by its id (the link printed on every certificate and in
/// every manifest), and a check of any manifest file pasted in, against the marketplace's key.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(MarketDb db, LicenseSigner signer, SiteSettings site) : PageModel
{
    public const int MaxManifestLength = 2 * 1024 * 1024;

    public LicenseManifest? Certificate { get; private set; }
    public Verification? Checked { get; private set; }
    public string KeyId => signer.KeyId;
    [BindProperty] public string? Manifest { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is null) return Page();
        Certificate = await db.ManifestAsync(id.Value, organisationId: null, site, ct);
        return Certificate is null ? NotFound() : Page();
    }

    public IActionResult OnPost()
    {
        var text = Manifest?.Trim() ?? "";
        if (text.Length == 0 || text.Length > MaxManifestLength)
        {
            ModelState.AddModelError(nameof(Manifest), "Paste the contents of a license manifest file.");
            return Page();
        }
        Checked = signer.Verify(JwsOf(text));
        return Page();
    }

    /// <summary>A manifest file is JSON holding the JWS; a bare JWS is accepted too.</summary>
    public static string JwsOf(string text)
    {
        if (!text.StartsWith('{')) return text;
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.TryGetProperty("jws", out var jws) ? jws.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
