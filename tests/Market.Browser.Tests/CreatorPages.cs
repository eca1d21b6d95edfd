using System.Text;
using Microsoft.Playwright;

namespace Market.Browser.Tests;

/// <summary>The creator's steps as a person clicks them, shared by the creator-side browser tests.</summary>
internal static class CreatorPages
{
    /// <summary>An HTML document dressed up as a photo: the name and the browser's content type say JPEG, the bytes do not.</summary>
    public static readonly byte[] HtmlDocument = Encoding.UTF8.GetBytes("<!doctype html><html><head><title>x</title></head><body><p>Not a photo.</p></body></html>");

    public static FilePayload Jpeg(string name, byte[] content) => new() { Name = name, MimeType = "image/jpeg", Buffer = content };

    public static async Task<(IBrowserContext Context, IPage Page)> NewPageAsync(BrowserFixture app)
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return (context, page);
    }

    /// <summary>Signs up through the form as a creator; the site lands the new creator on the dashboard.</summary>
    public static async Task SignUpCreatorAsync(IPage page, string name, string email)
    {
        await page.GotoAsync("/Identity/Account/Register");
        await page.GetByLabel("a creator offering my works").CheckAsync();
        await page.GetByLabel("Your name (as credited)").FillAsync(name);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password (at least 10 characters)").FillAsync(Market.Integration.Tests.Infrastructure.People.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await page.WaitForURLAsync("**/Works");
    }

    /// <summary>Chooses the files on the upload page, clicks Upload and waits until every row has its result.</summary>
    public static async Task UploadAsync(IPage page, params FilePayload[] files)
    {
        if (!page.Url.EndsWith("/Works/Upload", StringComparison.Ordinal)) await page.GotoAsync("/Works/Upload");
        await page.Locator("input#files").SetInputFilesAsync(files);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(files.Length);
        await Assertions.Expect(Results(page)).ToHaveCountAsync(files.Length);
    }

    public static ILocator Rows(IPage page) => page.Locator("tr[data-testid=upload-row]");

    /// <summary>The rows' outcomes, success or refusal, once the script has written them.</summary>
    public static ILocator Results(IPage page) => page.Locator("tr[data-testid=upload-row] :is([data-testid=upload-ok], [data-testid=upload-error])");

    /// <summary>The row of one file (the tests give their files names that are not part of one another).</summary>
    public static ILocator Row(IPage page, string fileName) => Rows(page).Filter(new() { HasText = fileName });

    /// <summary>The dashboard's row for a work, found by its title.</summary>
    public static ILocator DashboardRow(IPage page, string title) =>
        page.Locator("tr[data-work]").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });
}
