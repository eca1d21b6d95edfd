using System.Net;
using System.Net.Http.Headers;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Market.Integration.Tests.Infrastructure;

/// <summary>
/// A person with a browser, minus the browser: loads pages, fills the forms the site renders (antiforgery
/// token and hidden fields included) and posts them as a browser would. Redirects are not followed
/// automatically so tests can see where the site sends people.
/// </summary>
public sealed class WebSession(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<IDocument> PageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Http.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, $"GET {url} answered {(int)response.StatusCode}: {Trim(html)}");
        return await ParseAsync(html, url);
    }

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(url);

    /// <summary>Fills and posts a form of the page. <paramref name="handler"/> picks the form posting to that page handler.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pageUrl, IReadOnlyDictionary<string, string> fields, string? handler = null)
    {
        var (form, action) = await FormAsync(pageUrl, handler);
        return await Http.PostAsync(action, new FormUrlEncodedContent(Fill(form, fields)));
    }

    public async Task<HttpResponseMessage> SubmitFileAsync(string pageUrl, IReadOnlyDictionary<string, string> fields, string fileField, byte[] content, string fileName, string contentType)
    {
        var (form, action) = await FormAsync(pageUrl, null);
        var multipart = new MultipartFormDataContent();
        foreach (var (k, v) in Fill(form, fields)) multipart.Add(new StringContent(v), k);
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        multipart.Add(file, fileField, fileName);
        return await Http.PostAsync(action, multipart);
    }

    /// <summary>
    /// Uploads files as the upload page's script does: one multipart request, the antiforgery token in a header
    /// (so the server streams the body), JSON back with one outcome per file.
    /// </summary>
    public async Task<(HttpStatusCode Status, List<UploadResult> Results)> UploadFilesAsync(params (byte[] Content, string Name, string Type)[] files)
    {
        var token = (await PageAsync("/Works/Upload")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var multipart = new MultipartFormDataContent();
        foreach (var (content, name, type) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            multipart.Add(part, "files", name);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Works/Upload") { Content = multipart };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Accept.ParseAdd("application/json");
        var response = await Http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        var results = System.Text.Json.JsonSerializer.Deserialize<List<UploadResult>>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"Upload answered {(int)response.StatusCode}: {Trim(json)}");
        return (response.StatusCode, results);
    }

    public sealed record UploadResult(string FileName, Guid? WorkId, string? Error, string? Url);

    /// <summary>
    /// Posts fields straight to a URL with a valid antiforgery token taken from <paramref name="tokenPage"/>: a
    /// forged or replayed post, as opposed to filling a form the site rendered for that URL.
    /// </summary>
    public async Task<HttpResponseMessage> PostWithTokenAsync(string url, string tokenPage, Dictionary<string, string>? fields = null)
    {
        var token = (await PageAsync(tokenPage)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        fields = new Dictionary<string, string>(fields ?? []) { ["__RequestVerificationToken"] = token };
        return await Http.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    /// <summary>Follows a redirect the way a browser would and returns the page it lands on.</summary>
    public async Task<IDocument> FollowAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"expected a redirect, got {(int)response.StatusCode}: {Trim(body)}");
        return await PageAsync(response.Headers.Location!.OriginalString);
    }

    public static async Task<IDocument> ParseAsync(string html, string url) =>
        await BrowsingContext.New(Configuration.Default).OpenAsync(r => r.Content(html).Address(new Uri(new Uri("http://localhost"), url)));

    public static async Task<IDocument> ParseAsync(HttpResponseMessage response) =>
        await ParseAsync(await response.Content.ReadAsStringAsync(), response.RequestMessage?.RequestUri?.PathAndQuery ?? "/");

    private async Task<(IHtmlFormElement Form, string Action)> FormAsync(string pageUrl, string? handler)
    {
        var page = await PageAsync(pageUrl);
        var forms = page.QuerySelectorAll<IHtmlFormElement>("form")
            .Where(f => string.Equals(f.Method, "post", StringComparison.OrdinalIgnoreCase))
            .Where(f => !(f.GetAttribute("action") ?? "").Contains("Logout", StringComparison.OrdinalIgnoreCase))
            .Where(f => handler is null || (f.GetAttribute("action") ?? "").Contains($"handler={handler}", StringComparison.OrdinalIgnoreCase))
            .ToList();
        forms.ShouldNotBeEmpty($"no form{(handler is null ? "" : $" for handler {handler}")} on {pageUrl}");
        var form = forms[0];
        var action = form.GetAttribute("action");
        return (form, string.IsNullOrEmpty(action) ? pageUrl : action);
    }

    /// <summary>
    /// What a browser would send: the form's own values (hidden and text inputs, checked boxes and radios,
    /// selected options, textareas) with the test's fields replacing every value of the same name.
    /// </summary>
    private static List<KeyValuePair<string, string>> Fill(IHtmlFormElement form, IReadOnlyDictionary<string, string> fields)
    {
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || fields.ContainsKey(name)) continue;
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box:
                    if (box.IsChecked) values.Add(new(name, box.Value));
                    break;
                case IHtmlInputElement { Type: "file" or "submit" or "button" }:
                    break;
                case IHtmlInputElement input:
                    values.Add(new(name, input.Value));
                    break;
                case IHtmlSelectElement select:
                    values.Add(new(name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area:
                    values.Add(new(name, area.Value));
                    break;
            }
        }
        values.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
        return values;
    }

    private static string Trim(string s) => s.Length > 600 ? s[..600] : s;
}

public static class PageExtensions
{
    public static string Text(this IDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "";

    public static string Errors(this IDocument page) =>
        string.Join(" | ", page.QuerySelectorAll(".text-danger, .alert-danger, .validation-summary-errors").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0));
}
