using Market.Integration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Market.Browser.Tests;

/// <summary>The creator's part, clicked through in Chromium: upload, describe, opt in, offer, submit, listed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CreatorJourneyTests(BrowserFixture app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_creator_uploads_describes_opts_in_makes_an_offer_and_sees_the_work_listed()
    {
        var (context, page) = await CreatorPages.NewPageAsync(app);
        await using var _ = context;
        await CreatorPages.SignUpCreatorAsync(page, "Ada Lovelace", "ada@example.test");

        // Upload: no title on this page any more; the file name gives a first one.
        await page.GetByRole(AriaRole.Link, new() { Name = "Upload works" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Upload");
        await CreatorPages.UploadAsync(page, CreatorPages.Jpeg("rings.jpg", CreatorSteps.Jpeg(1)));
        var row = CreatorPages.Row(page, "rings.jpg");
        await Assertions.Expect(row.Locator("[data-testid=upload-ok]")).ToHaveTextAsync("Uploaded.");
        await row.GetByRole(AriaRole.Link, new() { Name = "Open" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Details/**");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("rings");
        await Assertions.Expect(page.Locator("[data-testid=state]")).ToHaveTextAsync("draft");

        // Describe: the real title goes in on the edit page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit description" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Edit/**");
        await Assertions.Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync("rings");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Forest rings");
        await page.GetByLabel("Description", new() { Exact = true }).FillAsync("Growth rings of a felled spruce.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Details/**");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Forest rings");
        await Assertions.Expect(page.GetByText("Growth rings of a felled spruce.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Opt this work in" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Consent/**");
        await Assertions.Expect(page.Locator("[data-testid=consent-text]")).ToContainTextAsync("\"Forest rings\"");
        await Assertions.Expect(page.Locator("[data-testid=consent-text]")).ToContainTextAsync("I can withdraw this consent at any time");
        await BuyerJourneyTests.SnapAsync(page, "5-consent");
        await page.GetByLabel("I opt this work in, on the terms above.").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Give consent" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Details/**");
        await Assertions.Expect(page.GetByText("Opted in on")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Add an offer" }).ClickAsync();
        await page.GetByLabel("Price").FillAsync("29.00");
        await BuyerJourneyTests.SnapAsync(page, "6-offer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save offer" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Details/**");
        await Assertions.Expect(page.Locator("[data-testid=offer]")).ToContainTextAsync("29.00 EUR");
        await Assertions.Expect(page.Locator("[data-testid=offer]")).ToContainTextAsync("commercial use, 12 months");

        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for listing" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Details/**");
        // The scan runs as a Hangfire job; a person would reload the page until it says listed.
        await Wait.UntilAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.Locator("[data-testid=state]").TextContentAsync() is not ("scanning" or "draft");
        }, "the scan job decided");
        await Assertions.Expect(page.Locator("[data-testid=state]")).ToHaveTextAsync("listed");
        await Assertions.Expect(page.Locator("img.preview")).ToBeVisibleAsync();
        var previewWidth = await page.Locator("img.preview").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))");
        previewWidth.ShouldBeGreaterThan(0);
        await BuyerJourneyTests.SnapAsync(page, "7-work-listed");
    }
}
