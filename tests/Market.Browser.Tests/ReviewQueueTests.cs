using Market.Domain.Catalog;
using Market.Domain.Moderation;
using Market.Integration.Tests;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Market.Browser.Tests;

/// <summary>A moderator works the review queue in a real browser: the two images side by side, the distance and the edit, and a decision.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReviewQueueTests(BrowserFixture app) : IAsyncLifetime, IntegrationTestAccess
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;
    // A plain client on the real port: under Kestrel the factory's client options do not stop redirects.
    public WebSession Session() => new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() })
        { BaseAddress = new Uri(app.BaseUrl) });
    public DateTimeOffset Now() => app.Clock.GetUtcNow();

    [Fact]
    public async Task A_moderator_opens_the_queue_sees_both_images_side_by_side_with_distance_and_edit_and_clears_the_case()
    {
        var ana = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        await ana.ListAsync(app, "Grid at noon", image: CreatorSteps.Jpeg(2));
        var ben = await this.SignUpCreatorAsync("ben@example.test", "Ben Ortiz");
        var (copy, state) = await ben.SubmitAsync(app, "My grid", ReviewSteps.ReEncodedCopy());
        state.ShouldBe(WorkState.Quarantined);
        var review = await app.DbAsync(db => db.ReviewCases.SingleAsync());
        var key = await app.CreateStaffAsync("mo@market.test", Roles.Moderator);

        var (context, page) = await CreatorPages.NewPageAsync(app);
        await using var _ = context;
        await page.GotoAsync("/Identity/Account/Login");
        await page.FillAsync("input[name='Input.Email']", "mo@market.test");
        await page.FillAsync("input[name='Input.Password']", People.Password);
        await page.Locator("form#account button[type=submit], form button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync("**/LoginWith2fa**");
        await page.FillAsync("input[name='Input.TwoFactorCode']", Totp.Code(key!, DateTimeOffset.UtcNow));
        await page.Locator("form button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("LoginWith2fa"));

        await page.GotoAsync("/Moderation/Review");
        await Assertions.Expect(page.GetByTestId("open-cases")).ToHaveTextAsync("1");
        var row = page.GetByTestId("case");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("My grid");
        await Assertions.Expect(row).ToContainTextAsync("work “Grid at noon”");
        await row.GetByTestId("open-case").ClickAsync();
        await page.WaitForURLAsync($"**/Moderation/Review/{review.Id}");

        // Side by side: both images decoded by the browser, the upload's left of the matched work's, on one row.
        foreach (var side in new[] { "upload-image", "target-image" })
        {
            var image = page.GetByTestId(side);
            await Assertions.Expect(image).ToBeVisibleAsync();
            await page.WaitForFunctionAsync($"() => {{ const i = document.querySelector('[data-testid={side}]'); return i && i.complete && i.naturalWidth > 0; }}");
        }
        var upload = (await page.GetByTestId("upload").BoundingBoxAsync())!;
        var target = (await page.GetByTestId("target").BoundingBoxAsync())!;
        upload.X.ShouldBeLessThan(target.X);
        Math.Abs(upload.Y - target.Y).ShouldBeLessThan(2);
        await Assertions.Expect(page.GetByTestId("upload-title")).ToHaveTextAsync("My grid");
        await Assertions.Expect(page.GetByTestId("target-title")).ToHaveTextAsync("Grid at noon");
        await Assertions.Expect(page.GetByTestId("distance")).ToHaveTextAsync($"{review.Distance} bits");
        await Assertions.Expect(page.GetByTestId("edit")).ToHaveTextAsync("near-identical");
        await BuyerJourneyTests.SnapAsync(page, "9-review-case");

        await page.FillAsync("#clear-note", "Checked: same studio.");
        await page.GetByTestId("clear").ClickAsync();
        await Assertions.Expect(page.GetByTestId("decision")).ToContainTextAsync("Cleared");
        await Assertions.Expect(page.GetByTestId("decision")).ToContainTextAsync("Checked: same studio.");
        await Assertions.Expect(page.GetByTestId("open-cases")).ToHaveCountAsync(0);

        (await app.DbAsync(db => db.Works.SingleAsync(w => w.Id == copy))).State.ShouldBe(WorkState.Listed);
        (await app.DbAsync(db => db.ReviewCases.SingleAsync())).State.ShouldBe(ReviewCaseState.Cleared);
    }
}
