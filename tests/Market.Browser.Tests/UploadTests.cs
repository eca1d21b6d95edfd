using System.Collections.Concurrent;
using Market.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Market.Browser.Tests;

/// <summary>The upload page's script: many files, one request each, a progress bar and a result per file.</summary>
[Collection(BrowserCollection.Name)]
public sealed class UploadTests(BrowserFixture app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Three_files_chosen_at_once_go_up_one_request_each_with_progress_and_a_result_per_file()
    {
        var (context, page) = await CreatorPages.NewPageAsync(app);
        await using var _ = context;
        await CreatorPages.SignUpCreatorAsync(page, "Ada Lovelace", "ada@example.test");
        await page.GotoAsync("/Works/Upload");

        // Every request the page sends to the upload URL passes through here on its way to the real server.
        var uploads = new ConcurrentQueue<(string? Token, string? ContentType, string? Accept, byte[]? Body)>();
        await page.RouteAsync("**/Works/Upload", async route =>
        {
            var request = route.Request;
            if (request.Method == "POST")
                uploads.Enqueue((await request.HeaderValueAsync("RequestVerificationToken"), await request.HeaderValueAsync("Content-Type"),
                    await request.HeaderValueAsync("Accept"), request.PostDataBuffer));
            await route.ContinueAsync();
        });
        var navigations = new ConcurrentQueue<string>();
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations.Enqueue(frame.Url); };
        // A mark on this document: a form post, or any reload, would replace the document and lose it.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        var token = await page.Locator("#upload-form input[name=__RequestVerificationToken]").InputValueAsync();
        token.ShouldNotBeNullOrEmpty();

        await CreatorPages.UploadAsync(page,
            CreatorPages.Jpeg("harbour-at-dawn.jpg", CreatorSteps.Jpeg(2)),
            CreatorPages.Jpeg("fake.jpg", CreatorPages.HtmlDocument),
            CreatorPages.Jpeg("forest_rings.jpg", CreatorSteps.Jpeg(3)));
        await BuyerJourneyTests.SnapAsync(page, "8-multi-upload");

        // One row per file, in the order chosen.
        await Assertions.Expect(CreatorPages.Rows(page).Locator("td:first-child")).ToHaveTextAsync(["harbour-at-dawn.jpg", "fake.jpg", "forest_rings.jpg"]);

        // Every progress bar ran to its end.
        var bars = await CreatorPages.Rows(page).Locator("progress")
            .EvaluateAllAsync<double[][]>("bars => bars.map(p => [p.value, p.max])");
        bars.Length.ShouldBe(3);
        foreach (var bar in bars)
        {
            bar[1].ShouldBeGreaterThan(0);
            bar[0].ShouldBe(bar[1]);
        }

        // The two images are in; the HTML document is refused for what its bytes are, whatever its name says.
        var fake = CreatorPages.Row(page, "fake.jpg");
        await Assertions.Expect(fake.Locator("[data-testid=upload-error]")).ToContainTextAsync("not an image we accept");
        await Assertions.Expect(fake.Locator("[data-testid=upload-ok]")).ToHaveCountAsync(0);
        await Assertions.Expect(fake.GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
        var links = new Dictionary<string, string>();
        foreach (var (file, title) in new[] { ("harbour-at-dawn.jpg", "harbour at dawn"), ("forest_rings.jpg", "forest rings") })
        {
            var row = CreatorPages.Row(page, file);
            await Assertions.Expect(row.Locator("[data-testid=upload-ok]")).ToHaveTextAsync("Uploaded.");
            await Assertions.Expect(row.Locator("[data-testid=upload-error]")).ToHaveCountAsync(0);
            var open = row.GetByRole(AriaRole.Link, new() { Name = "Open" });
            links[title] = (await open.GetAttributeAsync("href")).ShouldNotBeNull();
        }
        await Assertions.Expect(page.Locator("#upload-next")).ToBeVisibleAsync();

        // The script did it all: the page is the same document it was before the click.
        page.Url.ShouldEndWith("/Works/Upload");
        (await page.EvaluateAsync<bool>("() => window.__sameDocument === true")).ShouldBeTrue("the upload page was replaced: the form was posted instead of being sent by the script");
        navigations.ShouldBeEmpty();

        // One request per file, each with the token in the header and no token field in the body.
        uploads.Count.ShouldBe(3);
        var sentNames = new List<string>();
        foreach (var (sentToken, contentType, accept, body) in uploads)
        {
            sentToken.ShouldBe(token);
            contentType.ShouldNotBeNull().ShouldStartWith("multipart/form-data");
            accept.ShouldNotBeNull().ShouldContain("application/json");
            var text = System.Text.Encoding.Latin1.GetString(body.ShouldNotBeNull());
            text.ShouldNotContain("__RequestVerificationToken");
            var parts = System.Text.RegularExpressions.Regex.Matches(text, "Content-Disposition: form-data; name=\"([^\"]*)\"(?:; filename=\"([^\"]*)\")?");
            var part = parts.ShouldHaveSingleItem();
            part.Groups[1].Value.ShouldBe("files");
            sentNames.Add(part.Groups[2].Value);
        }
        sentNames.ShouldBe(["harbour-at-dawn.jpg", "fake.jpg", "forest_rings.jpg"], ignoreOrder: true);

        // The Open links lead to the new works, titled from their file names.
        var works = await app.DbAsync(db => db.Works.Select(w => new { w.Id, w.Title }).ToListAsync());
        works.Select(w => w.Title).ShouldBe(["harbour at dawn", "forest rings"], ignoreOrder: true);
        var other = await context.NewPageAsync();
        foreach (var (title, href) in links)
        {
            href.ShouldBe($"/Works/Details/{works.Single(w => w.Title == title).Id}");
            var response = (await other.GotoAsync(href)).ShouldNotBeNull();
            response.Status.ShouldBe(200);
            await Assertions.Expect(other.Locator("h1")).ToHaveTextAsync(title);
            await Assertions.Expect(other.Locator("[data-testid=state]")).ToHaveTextAsync("draft");
        }

        // The dashboard lists the two works and nothing for the refused file.
        await page.GetByRole(AriaRole.Link, new() { Name = "see your works" }).ClickAsync();
        await page.WaitForURLAsync("**/Works");
        await Assertions.Expect(page.Locator("tr[data-work]")).ToHaveCountAsync(2);
        await Assertions.Expect(CreatorPages.DashboardRow(page, "harbour at dawn")).ToHaveCountAsync(1);
        await Assertions.Expect(CreatorPages.DashboardRow(page, "forest rings")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByText("fake", new() { Exact = false })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_in_the_browser_and_never_sent()
    {
        var (context, page) = await CreatorPages.NewPageAsync(app);
        await using var _ = context;
        await CreatorPages.SignUpCreatorAsync(page, "Ada Lovelace", "ada@example.test");
        await page.GotoAsync("/Works/Upload");

        var uploads = new ConcurrentQueue<IRequest>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && new Uri(request.Url).AbsolutePath == "/Works/Upload") uploads.Enqueue(request);
        };
        // One byte over the limit the page states, as a sparse file: nothing is written, and Chromium reads only its size.
        var maxBytes = long.Parse((await page.Locator("#upload-form").GetAttributeAsync("data-max-bytes")).ShouldNotBeNull());
        var folder = Directory.CreateTempSubdirectory("market-browser-");
        try
        {
            var big = Path.Combine(folder.FullName, "huge.jpg");
            await using (var stream = File.Create(big)) stream.SetLength(maxBytes + 1);
            var small = Path.Combine(folder.FullName, "small.jpg");
            await File.WriteAllBytesAsync(small, CreatorSteps.Jpeg(4));

            await page.Locator("input#files").SetInputFilesAsync([big, small]);
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
            await Assertions.Expect(CreatorPages.Results(page)).ToHaveCountAsync(2);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        await BuyerJourneyTests.SnapAsync(page, "9-too-large");

        await Assertions.Expect(CreatorPages.Row(page, "huge.jpg").Locator("[data-testid=upload-error]"))
            .ToHaveTextAsync($"The file is larger than the limit of {maxBytes / 1048576} MB.");
        await Assertions.Expect(CreatorPages.Row(page, "small.jpg").Locator("[data-testid=upload-ok]")).ToHaveTextAsync("Uploaded.");
        // Only the small file went to the server.
        uploads.Count.ShouldBe(1);
        (await app.DbAsync(db => db.Works.Select(w => w.Title).ToListAsync())).ShouldBe(["small"]);
    }
}
