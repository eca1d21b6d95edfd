using Market.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Market.Browser.Tests;

/// <summary>The buyer's part of the journey, clicked through in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BuyerJourneyTests(BrowserFixture app) : IAsyncLifetime, IntegrationTestAccess
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;
    // A plain client on the real port: under Kestrel the factory's client options do not stop redirects.
    public WebSession Session() => new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() })
        { BaseAddress = new Uri(app.BaseUrl) });
    public DateTimeOffset Now() => app.Clock.GetUtcNow();

    [Fact]
    public async Task A_buyer_signs_up_searches_adds_a_work_to_a_bundle_pays_reads_the_certificate_and_downloads_the_license()
    {
        var creator = await this.SignUpCreatorAsync("ada@example.test", "Ada Lovelace");
        var workId = await creator.ListAsync(app, "Harbour at dawn", "49.00");
        await creator.ListAsync(app, "Mountain lake", "20.00", image: CreatorSteps.Jpeg(1));

        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);

        await page.GotoAsync("/Identity/Account/Register");
        await page.GetByLabel("buying training data for an organisation").CheckAsync();
        await page.GetByLabel("Your name (as credited)").FillAsync("Bo Buyer");
        await page.GetByLabel("Email").FillAsync("bo@lab.test");
        await page.GetByLabel("Password (at least 10 characters)").FillAsync(People.Password);
        await page.GetByLabel("Organisation (buyers)").FillAsync("Lab Inc");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await page.WaitForURLAsync("**/Catalog");
        await Assertions.Expect(page.Locator("[data-testid=catalog-item]")).ToHaveCountAsync(2);

        // Full-text search narrows the catalog to the harbour.
        await page.Locator("#q").FillAsync("harbour");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/Catalog?q=harbour**");
        await Assertions.Expect(page.Locator("[data-testid=catalog-item]")).ToHaveCountAsync(1);
        await SnapAsync(page, "1-catalog");

        var card = page.Locator("[data-testid=catalog-item]", new() { HasText = "Harbour at dawn" });
        await Assertions.Expect(card).ToContainTextAsync("49.00 EUR");
        // The preview really renders: the image decoded in the browser has a size.
        var previewWidth = await card.Locator("img").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))");
        previewWidth.ShouldBeGreaterThan(0);
        await card.GetByRole(AriaRole.Link, new() { Name = "Harbour at dawn" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Add to bundle" }).ClickAsync();
        await page.WaitForURLAsync("**/Bundles/Details/**");
        await Assertions.Expect(page.Locator("[data-testid=total]")).ToHaveTextAsync("49.00 EUR");
        await SnapAsync(page, "2-bundle");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check out" }).ClickAsync();

        await page.WaitForURLAsync("**/Payments/Test/**");
        await Assertions.Expect(page.GetByText("TEST PAYMENT PROVIDER: no money moves")).ToBeVisibleAsync();
        await SnapAsync(page, "3-test-payment");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay (test)" }).ClickAsync();

        await page.WaitForURLAsync("**/Licenses/Details/**");
        var item = page.Locator("[data-testid=license-item]");
        await Assertions.Expect(item).ToHaveCountAsync(1);
        await Assertions.Expect(item).ToContainTextAsync("Harbour at dawn");
        await Assertions.Expect(item).ToContainTextAsync("generative model training");
        await Assertions.Expect(item.Locator("[data-testid=ends]")).ToHaveTextAsync(app.Clock.GetUtcNow().AddMonths(12).ToString("yyyy-MM-dd"));

        await SnapAsync(page, "4-license");

        var license = await app.DbAsync(db => db.Licenses.Include(l => l.Items).SingleAsync());
        license.Items.ShouldHaveSingleItem().WorkId.ShouldBe(workId);

        // 5. The public certificate, as anyone with the link sees it.
        await page.GetByTestId("certificate-link").ClickAsync();
        await page.WaitForURLAsync($"**/Verify/{license.Id}");
        await Assertions.Expect(page.GetByTestId("licensee")).ToHaveTextAsync("Lab Inc");
        await Assertions.Expect(page.GetByTestId("certificate-item")).ToContainTextAsync("Harbour at dawn");
        await SnapAsync(page, "5-certificate");
        await page.GoBackAsync();

        // 6. The signed manifest downloads and verifies on the public verify page.
        var manifestDownload = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("manifest").ClickAsync());
        var manifestPath = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        await manifestDownload.SaveAsAsync(manifestPath);
        await page.GotoAsync("/Verify");
        await page.Locator("textarea[name=Manifest]").FillAsync(await File.ReadAllTextAsync(manifestPath));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verified")).ToContainTextAsync(license.Id.ToString());

        // 7. The whole license as one ZIP: the file with its license embedded, the manifest, LICENSE and Croissant metadata.
        await page.GotoAsync($"/Licenses/Details/{license.Id}");
        var zipDownload = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-zip").ClickAsync());
        var zipPath = Path.Combine(Path.GetTempPath(), $"license-{Guid.NewGuid():N}.zip");
        await zipDownload.SaveAsAsync(zipPath);
        using (var zip = System.IO.Compression.ZipFile.OpenRead(zipPath))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            names.ShouldContain("manifest.json");
            names.ShouldContain("LICENSE.txt");
            names.ShouldContain("croissant.json");
            var file = zip.Entries.Where(e => e.FullName.StartsWith("files/", StringComparison.Ordinal) && !e.FullName.EndsWith(".xmp", StringComparison.Ordinal)).ShouldHaveSingleItem();
            file.Length.ShouldBeGreaterThan(0);
        }
        File.Delete(zipPath);
        File.Delete(manifestPath);
    }

    /// <summary>With MARKET_SCREENSHOTS set to a folder, keeps a picture of each step for a person to look at.</summary>
    internal static async Task SnapAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("MARKET_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
