using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Licensing;

namespace Market.Integration.Tests;

/// <summary>The signed manifest a buyer takes away, and the certificate anyone can check without signing in.</summary>
public sealed class LicenseCertificateTests(MarketAppFactory app) : IntegrationTest(app)
{
    private async Task<(WebSession Buyer, Guid LicenseId)> BuyAsync()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await creator.ListAsync(App, "Harbour at dusk");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        await buyer.AddToBundleAsync(id);
        return (buyer, await buyer.PayWithTestProviderAsync((await buyer.CheckoutAsync()).Headers.Location!.OriginalString));
    }

    [Fact]
    public async Task The_buyer_downloads_a_manifest_that_verifies_offline_with_the_published_key_and_on_the_public_page()
    {
        var (buyer, licenseId) = await BuyAsync();

        var response = await buyer.GetAsync($"/Licenses/Details/{licenseId}?handler=Manifest");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var file = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(file);
        var jws = json.RootElement.GetProperty("jws").GetString()!;
        json.RootElement.GetProperty("manifest").GetProperty("licensee").GetString().ShouldBe("Lab Inc");
        var item = json.RootElement.GetProperty("manifest").GetProperty("items")[0];
        item.GetProperty("title").GetString().ShouldBe("Harbour at dusk");
        item.GetProperty("fileSha256").GetString()!.Length.ShouldBe(64);

        // Offline: nothing but the public key published on the site.
        var anonymous = Session();
        var pem = await (await anonymous.GetAsync("/.well-known/license-signing-key.pem")).Content.ReadAsStringAsync();
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        LicenseSigner.Verify(jws, key).Valid.ShouldBeTrue();

        // Online, signed out: paste the file on the public page.
        var verified = await anonymous.SubmitAsync("/Verify", new Dictionary<string, string> { ["Manifest"] = file });
        (await WebSession.ParseAsync(verified)).Text("[data-testid=verified]").ShouldContain(licenseId.ToString());

        var certificate = await anonymous.PageAsync($"/Verify/{licenseId}");
        certificate.Text("[data-testid=licensee]").ShouldBe("Lab Inc");
        certificate.Text("[data-testid=certificate-item]").ShouldContain("Harbour at dusk");
    }

    [Fact]
    public async Task A_tampered_manifest_fails_verification()
    {
        var (buyer, licenseId) = await BuyAsync();
        var file = await (await buyer.GetAsync($"/Licenses/Details/{licenseId}?handler=Manifest")).Content.ReadAsStringAsync();
        var jws = JsonDocument.Parse(file).RootElement.GetProperty("jws").GetString()!;
        var parts = jws.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(LicenseSigner.FromBase64Url(parts[1]));
        var longer = payload.Replace("\"termMonths\":12", "\"termMonths\":60");
        longer.ShouldNotBe(payload);
        var forged = $"{parts[0]}.{LicenseSigner.Base64Url(System.Text.Encoding.UTF8.GetBytes(longer))}.{parts[2]}";

        var response = await Session().SubmitAsync("/Verify", new Dictionary<string, string> { ["Manifest"] = forged });

        (await WebSession.ParseAsync(response)).Text("[data-testid=refused]").ShouldContain("signature does not match");
    }

    [Fact]
    public async Task Another_organisation_cannot_download_the_manifest_and_an_unknown_certificate_is_not_found()
    {
        var (_, licenseId) = await BuyAsync();
        var other = await this.SignUpBuyerAsync("cy@other.test", "Other Lab");
        (await other.GetAsync($"/Licenses/Details/{licenseId}?handler=Manifest")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Session().GetAsync($"/Verify/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
