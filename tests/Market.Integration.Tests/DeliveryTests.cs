using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Market.Integration.Tests.Infrastructure;
using Market.Tests.Shared;
using Market.Web.Delivery;
using Market.Web.Licensing;
using MetadataExtractor;
using MetadataExtractor.Formats.Xmp;
using Microsoft.EntityFrameworkCore;
using NetVips;

namespace Market.Integration.Tests;

/// <summary>The license as a ZIP from the license page: what is in it, who may have it, and what is left out when.</summary>
public sealed class DeliveryTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task The_zip_holds_every_item_with_its_license_embedded_the_signed_manifest_the_license_text_and_croissant_metadata()
    {
        var (buyer, licenseId, works) = await this.BuyAsync(App, ("Harbour at dusk", DeliverySteps.Jpeg(1)), ("Red kite", DeliverySteps.Png()), ("Loop", DeliverySteps.Gif()));

        var response = await buyer.GetAsync($"/Licenses/Download/{licenseId}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe(LicenseArchive.DownloadName(licenseId));
        using var zip = await DeliverySteps.ZipAsync(response);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        names[..2].ShouldBe(["LICENSE.txt", "manifest.json"]);
        names[^1].ShouldBe("croissant.json");
        var files = names.Where(n => n.StartsWith("files/")).ToList();
        files.Count(n => n.EndsWith(".jpg")).ShouldBe(1);
        files.Count(n => n.EndsWith(".png")).ShouldBe(1);
        files.Count(n => n.EndsWith(".gif")).ShouldBe(1);
        files.Count(n => n.EndsWith(".xmp")).ShouldBe(1, "the GIF's license goes beside it");
        files.ShouldAllBe(n => n.StartsWith("files/Harbour-at-dusk-") || n.StartsWith("files/Red-kite-") || n.StartsWith("files/Loop-"));

        // The signed manifest verifies with the published key and covers every item with the original's hash.
        var manifest = DeliverySteps.Text(zip, "manifest.json");
        using var manifestJson = JsonDocument.Parse(manifest);
        using var key = ECDsa.Create();
        key.ImportFromPem(await (await Session().GetAsync("/.well-known/license-signing-key.pem")).Content.ReadAsStringAsync());
        var verified = LicenseSigner.Verify(manifestJson.RootElement.GetProperty("jws").GetString()!, key);
        verified.Valid.ShouldBeTrue(verified.Reason);
        verified.Manifest!.LicenseId.ShouldBe(licenseId);
        var hashes = await Db(db => db.Works.Where(w => works.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Sha256));
        verified.Manifest.Items.Select(i => (i.WorkId, i.FileSha256)).ShouldBe(hashes.Select(h => (h.Key, h.Value)), ignoreOrder: true);

        // Each image carries its license inside; its bytes differ from the original's only by that.
        foreach (var name in files.Where(n => !n.EndsWith(".gif") && !n.EndsWith(".xmp")))
        {
            var bytes = DeliverySteps.Bytes(zip, name);
            DeliverySteps.LicenseIdInXmp(bytes).ShouldBe(licenseId.ToString(), name);
            hashes.Values.ShouldNotContain(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        var gif = files.Single(n => n.EndsWith(".gif"));
        Convert.ToHexStringLower(SHA256.HashData(DeliverySteps.Bytes(zip, gif))).ShouldBeOneOf([.. hashes.Values.Select(v => v!)], "a GIF is delivered as uploaded");
        DeliverySteps.Text(zip, Path.ChangeExtension(gif, ".xmp")).ShouldContain($"<mkt:LicenseId>{licenseId}</mkt:LicenseId>");

        var licenseText = DeliverySteps.Text(zip, "LICENSE.txt");
        licenseText.ShouldContain("Licensee:        Lab Inc");
        licenseText.ShouldContain($"/Verify/{licenseId}");
        licenseText.ShouldContain("/.well-known/license-signing-key.pem");
        licenseText.ShouldContain("“Harbour at dusk” by Ana Lima");
        licenseText.ShouldContain("may NOT be used as a prompt or trigger token");
        licenseText.ShouldContain("DUTIES AT EXPIRY");

        // croissant.json: Croissant 1.0 + RAI, every file with the SHA-256 of the bytes actually in the archive.
        using var croissant = JsonDocument.Parse(DeliverySteps.Text(zip, "croissant.json"));
        var root = croissant.RootElement;
        root.GetProperty("@context").GetProperty("rai").GetString().ShouldBe("http://mlcommons.org/croissant/RAI/");
        root.GetProperty("conformsTo").EnumerateArray().Select(e => e.GetString()).ShouldBe([CroissantMetadata.CroissantSpec, CroissantMetadata.RaiSpec]);
        root.GetProperty("@type").GetString().ShouldBe("sc:Dataset");
        root.GetProperty("license").GetString()!.ShouldEndWith($"/Verify/{licenseId}");
        root.GetProperty("rai:dataCollection").GetString()!.ShouldContain("opted it in");
        root.GetProperty("rai:dataUseCases")[0].GetString()!.ShouldContain("generative model training");
        root.GetProperty("rai:dataLimitations").GetString()!.ShouldContain("prompt or trigger token");
        root.GetProperty("creator")[0].GetProperty("name").GetString().ShouldBe("Ana Lima");
        var distribution = root.GetProperty("distribution").EnumerateArray().ToList();
        foreach (var name in names.Where(n => n != "croissant.json"))
        {
            var entry = distribution.Single(d => d.GetProperty("contentUrl").GetString() == name);
            entry.GetProperty("@type").GetString().ShouldBe("cr:FileObject");
            entry.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(DeliverySteps.Bytes(zip, name))), name);
        }
        var records = root.GetProperty("recordSet")[0].GetProperty("data").EnumerateArray().ToList();
        records.Count.ShouldBe(3);
        records.Select(r => r.GetProperty("works/original_sha256").GetString()).ShouldBe(hashes.Values, ignoreOrder: true);
        records.ShouldAllBe(r => r.GetProperty("works/consent_granted_at").GetString() != null);
    }

    [Fact]
    public async Task The_license_page_links_to_the_zip_and_another_organisation_gets_not_found()
    {
        var (buyer, licenseId, _) = await this.BuyAsync(App, ("Harbour at dusk", DeliverySteps.Jpeg(1)));

        var page = await buyer.PageAsync($"/Licenses/Details/{licenseId}");
        page.QuerySelector("[data-testid=download-zip]")!.GetAttribute("href").ShouldBe($"/Licenses/Download/{licenseId}");

        var other = await this.SignUpBuyerAsync("cy@other.test", "Other Lab");
        (await other.GetAsync($"/Licenses/Download/{licenseId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync($"/Licenses/Download/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Signed out: to the sign-in page, not a byte of the archive.
        var anonymous = await Session().GetAsync($"/Licenses/Download/{licenseId}");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        anonymous.Headers.Location!.OriginalString.ShouldContain("/Identity/Account/Login");
    }

    [Fact]
    public async Task A_recalled_item_is_left_out_of_the_zip_and_the_license_text_says_why()
    {
        var (buyer, licenseId, works) = await this.BuyAsync(App, ("Harbour at dusk", DeliverySteps.Jpeg(1)), ("Red kite", DeliverySteps.Jpeg(2)));
        await DeliverySteps.RecallAsync(App, licenseId, works[1], "A rights claim was upheld.");

        using var zip = await DeliverySteps.ZipAsync(await buyer.GetAsync($"/Licenses/Download/{licenseId}"));

        var files = zip.Entries.Where(e => e.FullName.StartsWith("files/")).Select(e => e.FullName).ToList();
        files.ShouldHaveSingleItem().ShouldStartWith("files/Harbour-at-dusk-");
        var text = DeliverySteps.Text(zip, "LICENSE.txt");
        text.ShouldContain("NOT INCLUDED:      “Red kite” was recalled on");
        text.ShouldContain("A rights claim was upheld.");
        using var croissant = JsonDocument.Parse(DeliverySteps.Text(zip, "croissant.json"));
        croissant.RootElement.GetProperty("recordSet")[0].GetProperty("data").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Once_the_term_has_ended_nothing_is_delivered_and_the_page_says_why()
    {
        var (_, licenseId, _) = await this.BuyAsync(App, ("Harbour at dusk", DeliverySteps.Jpeg(1)));
        App.Clock.Advance(TimeSpan.FromDays(400));
        // A fresh sign-in: the old cookie has expired on the moved clock too.
        var buyer = await this.SignInAsync("bo@lab.test");

        var response = await buyer.GetAsync($"/Licenses/Download/{licenseId}");

        response.StatusCode.ShouldBe(HttpStatusCode.Gone);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var page = await WebSession.ParseAsync(response);
        page.Text("[data-testid=refusal]").ShouldContain("None of the works");
        page.Body!.TextContent.ShouldContain("may no longer be downloaded");
    }
}

/// <summary>Buying, fetching and reading archives, shared by the delivery and API tests.</summary>
internal static class DeliverySteps
{
    public static byte[] Jpeg(int variant) => CreatorSteps.Jpeg(variant);

    public static byte[] Png()
    {
        using var image = Image.NewFromBuffer(CreatorSteps.Jpeg(7));
        return image.PngsaveBuffer(keep: Enums.ForeignKeep.None);
    }

    public static byte[] Gif()
    {
        using var image = Image.NewFromBuffer(CreatorSteps.Jpeg(8));
        return image.GifsaveBuffer(keep: Enums.ForeignKeep.None);
    }

    /// <summary>Ana lists the works, Bo of Lab Inc buys them all in one bundle; returns Bo's session, the license and the work ids in order.</summary>
    public static async Task<(WebSession Buyer, Guid LicenseId, List<Guid> Works)> BuyAsync(this IntegrationTestAccess test, MarketAppFactory app,
        params (string Title, byte[] Image)[] works)
    {
        var creator = await test.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var ids = new List<Guid>();
        foreach (var (title, image) in works) ids.Add(await creator.ListAsync(app, title, image: image));
        var buyer = await test.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        foreach (var id in ids) await buyer.AddToBundleAsync(id);
        var licenseId = await buyer.PayWithTestProviderAsync((await buyer.CheckoutAsync()).Headers.Location!.OriginalString);
        return (buyer, licenseId, ids);
    }

    /// <summary>What a moderator's recall will do (that screen is another issue's): the domain's recall, saved.</summary>
    public static Task RecallAsync(MarketAppFactory app, Guid licenseId, Guid workId, string reason) => app.DbAsync(async db =>
    {
        var license = await db.Licenses.Include(l => l.Items).SingleAsync(l => l.Id == licenseId);
        license.Recall(workId, reason, app.Clock.GetUtcNow()).ShouldNotBeNull();
        return await db.SaveChangesAsync();
    });

    public static async Task<ZipArchive> ZipAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
    }

    public static byte[] Bytes(ZipArchive zip, string name)
    {
        using var entry = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

    public static string Text(ZipArchive zip, string name) => Encoding.UTF8.GetString(Bytes(zip, name));

    /// <summary>Our license id as the file's embedded XMP states it, read the way any XMP reader would.</summary>
    public static string? LicenseIdInXmp(byte[] file) =>
        ImageMetadataReader.ReadMetadata(new MemoryStream(file)).OfType<XmpDirectory>().Select(d => d.XmpMeta).OfType<XmpCore.IXmpMeta>()
            .Select(x => x.GetPropertyString(LicenseXmp.Namespace, "LicenseId")).SingleOrDefault();

    /// <summary>Makes a token on the admin's tokens page, ticking the given scopes, and returns the secret shown once.</summary>
    public static async Task<string> MakeTokenAsync(this WebSession admin, string name, params string[] scopes)
    {
        var page = await admin.PageAsync("/Organisation/Tokens");
        var form = page.QuerySelectorAll<IHtmlFormElement>("form").First(f => (f.GetAttribute("action") ?? "").Contains("handler=Create"));
        var antiforgery = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        List<KeyValuePair<string, string>> fields = [new("__RequestVerificationToken", antiforgery), new("Name", name), .. scopes.Select(s => new KeyValuePair<string, string>("Scopes", s))];
        var response = await admin.Http.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        var result = await WebSession.ParseAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, result.Errors());
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var secret = result.Text("[data-testid=new-secret]");
        secret.ShouldStartWith("mkt_");
        return secret;
    }

    public static HttpClient Api(this MarketAppFactory app, string? token)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
