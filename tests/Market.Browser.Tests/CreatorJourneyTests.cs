using Market.Integration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Market.Browser.Tests;

/// <summary>The creator's part, clicked through in Chromium: upload, opt in, offer, submit, listed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CreatorJourneyTests(BrowserFixture app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_creator_uploads_opts_in_makes_an_offer_and_sees_the_work_listed()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);

        await page.GotoAsync("/Identity/Account/Register");
        await page.GetByLabel("a creator offering my works").CheckAsync();
        await page.GetByLabel("Your name (as credited)").FillAsync("Ada Lovelace");
        await page.GetByLabel("Email").FillAsync("ada@example.test");
        await page.GetByLabel("Password (at least 10 characters)").FillAsync(People.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await page.WaitForURLAsync("**/Works");

        await page.GetByRole(AriaRole.Link, new() { Name = "Upload a work" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Forest rings");
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "rings.jpg", MimeType = "image/jpeg", Buffer = CreatorSteps.Jpeg(1) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Details/**");
        await Assertions.Expect(page.Locator("[data-testid=state]")).ToHaveTextAsync("Draft");

        await page.GetByRole(AriaRole.Link, new() { Name = "Opt this work in" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=consent-text]")).ToContainTextAsync("I can withdraw this consent at any time");
        await BuyerJourneyTests.SnapAsync(page, "5-consent");
        await page.GetByLabel("I opt this work in, on the terms above.").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Give consent" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Details/**");

        await page.GetByRole(AriaRole.Link, new() { Name = "Add an offer" }).ClickAsync();
        await page.GetByLabel("Price").FillAsync("29.00");
        await BuyerJourneyTests.SnapAsync(page, "6-offer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save offer" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Details/**");
        await Assertions.Expect(page.Locator("[data-testid=offer]")).ToContainTextAsync("29.00 EUR");
        await Assertions.Expect(page.Locator("[data-testid=offer]")).ToContainTextAsync("commercial use, 12 months");

        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for listing" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Details/**");
        // The scan runs as a Hangfire job; a person would reload the page until it says Listed.
        await Wait.UntilAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.Locator("[data-testid=state]").TextContentAsync() == "Listed";
        }, "the work shows as listed");
        await Assertions.Expect(page.Locator("img.preview")).ToBeVisibleAsync();
        await BuyerJourneyTests.SnapAsync(page, "7-work-listed");
    }
}
