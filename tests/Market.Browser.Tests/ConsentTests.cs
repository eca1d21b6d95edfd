using Market.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Market.Browser.Tests;

/// <summary>Opting a selection of works in from the dashboard, on the consent page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsentTests(BrowserFixture app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_creator_ticks_two_works_on_the_dashboard_and_opts_them_in_only_once_the_box_is_ticked()
    {
        var (context, page) = await CreatorPages.NewPageAsync(app);
        await using var _ = context;
        await CreatorPages.SignUpCreatorAsync(page, "Ada Lovelace", "ada@example.test");
        await CreatorPages.UploadAsync(page,
            CreatorPages.Jpeg("harbour-at-dawn.jpg", CreatorSteps.Jpeg(5)),
            CreatorPages.Jpeg("forest_rings.jpg", CreatorSteps.Jpeg(6)));
        await Assertions.Expect(page.Locator("[data-testid=upload-ok]")).ToHaveCountAsync(2);

        await page.GotoAsync("/Works");
        var harbour = CreatorPages.DashboardRow(page, "harbour at dawn");
        var forest = CreatorPages.DashboardRow(page, "forest rings");
        await Assertions.Expect(OptedIn(harbour)).ToHaveTextAsync("No");
        await Assertions.Expect(OptedIn(forest)).ToHaveTextAsync("No");
        await page.GetByLabel("Select harbour at dawn").CheckAsync();
        await page.GetByLabel("Select forest rings").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Opt the ticked works in…" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/Works/Consent\?Ids="));

        // The page says what is agreed to, and for which works.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Opt 2 works in for AI training");
        var text = page.Locator("[data-testid=consent-text]");
        await Assertions.Expect(text).ToContainTextAsync("each of these 2 works: \"forest rings\", \"harbour at dawn\"");
        await Assertions.Expect(text).ToContainTextAsync("I can withdraw this consent at any time");
        await Assertions.Expect(text).ToContainTextAsync("Signing up to the marketplace never implied this consent");
        var listed = page.Locator("[data-testid=consent-works] > li");
        await Assertions.Expect(listed).ToHaveCountAsync(2);
        await Assertions.Expect(listed.Locator("strong")).ToHaveTextAsync(["forest rings", "harbour at dawn"]);
        await Assertions.Expect(listed.Filter(new() { HasText = "No license offer yet" })).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByText("Consent text version 2026-11-v1")).ToBeVisibleAsync();
        await BuyerJourneyTests.SnapAsync(page, "10-consent-selection");

        // Without the tick: refused, and nothing is opted in.
        var box = page.GetByLabel("I opt these works in, on the terms above.");
        await Assertions.Expect(box).Not.ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Give consent" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=consent-error]")).ToContainTextAsync("Tick the box");
        await Assertions.Expect(listed).ToHaveCountAsync(2);
        await BuyerJourneyTests.SnapAsync(page, "11-consent-refused");
        var dashboard = await context.NewPageAsync();
        await dashboard.GotoAsync("/Works");
        await Assertions.Expect(OptedIn(CreatorPages.DashboardRow(dashboard, "harbour at dawn"))).ToHaveTextAsync("No");
        await Assertions.Expect(OptedIn(CreatorPages.DashboardRow(dashboard, "forest rings"))).ToHaveTextAsync("No");
        (await app.DbAsync(db => db.ConsentRecords.CountAsync())).ShouldBe(0);

        // With the tick: both works are opted in, with a receipt each.
        await box.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Give consent" }).ClickAsync();
        await page.WaitForURLAsync("**/Works");
        await Assertions.Expect(page.GetByText("2 works are opted in")).ToBeVisibleAsync();
        await Assertions.Expect(OptedIn(harbour)).ToHaveTextAsync("Yes");
        await Assertions.Expect(OptedIn(forest)).ToHaveTextAsync("Yes");
        await BuyerJourneyTests.SnapAsync(page, "12-dashboard-opted-in");

        await page.GetByRole(AriaRole.Link, new() { Name = "Consent receipts" }).ClickAsync();
        await page.WaitForURLAsync("**/Works/Receipts");
        var receipts = page.Locator("[data-testid=receipt]");
        await Assertions.Expect(receipts).ToHaveCountAsync(2);
        await Assertions.Expect(receipts.Filter(new() { HasText = "“harbour at dawn”" })).ToHaveCountAsync(1);
        await Assertions.Expect(receipts.Filter(new() { HasText = "“forest rings”" })).ToHaveCountAsync(1);
        await Assertions.Expect(receipts.Filter(new() { HasText = "Granted" })).ToHaveCountAsync(2);
        // Each receipt records exactly the text the page showed, naming both works.
        await Assertions.Expect(receipts.Filter(new() { HasText = "each of these 2 works: \"forest rings\", \"harbour at dawn\"" })).ToHaveCountAsync(2);
        await BuyerJourneyTests.SnapAsync(page, "13-receipts");
    }

    /// <summary>The dashboard's "Opted in" column.</summary>
    private static ILocator OptedIn(ILocator row) => row.Locator("td").Nth(3);
}
