using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Market.Domain.Licensing;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Features.Api;
using Market.Web.Licensing;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>The organisation's API: tokens made by admins, each limited to its organisation and its scopes.</summary>
public sealed class ApiTests(MarketAppFactory app) : IntegrationTest(app)
{
    private const string AllScopes = "licenses:read downloads training-runs:write";

    private async Task<(WebSession Buyer, Guid LicenseId, List<Guid> Works, HttpClient Api)> BuyWithTokenAsync(string scopes = AllScopes)
    {
        var (buyer, licenseId, works) = await this.BuyAsync(App, ("Harbour at dusk", DeliverySteps.Jpeg(1)), ("Red kite", DeliverySteps.Png()));
        var secret = await buyer.MakeTokenAsync("pipeline", scopes.Split(' '));
        return (buyer, licenseId, works, App.Api(secret));
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await JsonAsync(response, expected);
        problem.GetProperty("status").GetInt32().ShouldBe((int)expected);
        return problem.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task A_token_lists_and_reads_the_organisations_licenses_and_gets_the_same_signed_manifest_as_the_page()
    {
        var (buyer, licenseId, works, api) = await BuyWithTokenAsync();

        var list = await JsonAsync(await api.GetAsync("/api/v1/licenses"));
        list.GetProperty("total").GetInt32().ShouldBe(1);
        list.GetProperty("licenses")[0].GetProperty("id").GetGuid().ShouldBe(licenseId);
        list.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);

        var license = await JsonAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}"));
        license.GetProperty("licensee").GetString().ShouldBe("Lab Inc");
        var items = license.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("workId").GetGuid()).ShouldBe(works, ignoreOrder: true);
        items.ShouldAllBe(i => i.GetProperty("deliverable").GetBoolean());
        items[0].GetProperty("terms").GetProperty("scope").GetString().ShouldBe("GenerativeTraining");
        items[0].GetProperty("terms").GetProperty("nameMayNotBeUsedAsPrompt").GetBoolean().ShouldBeTrue();

        var fromApi = await JsonAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}/manifest"));
        var fromPage = await JsonAsync(await buyer.GetAsync($"/Licenses/Details/{licenseId}?handler=Manifest"));
        // ES256 signatures differ each time; what is signed and how it is laid out are the same.
        fromApi.GetProperty("manifest").GetRawText().ShouldBe(fromPage.GetProperty("manifest").GetRawText());
        fromApi.GetProperty("keyId").GetString().ShouldBe(fromPage.GetProperty("keyId").GetString());
        using var key = ECDsa.Create();
        key.ImportFromPem(await (await Session().GetAsync("/.well-known/license-signing-key.pem")).Content.ReadAsStringAsync());
        LicenseSigner.Verify(fromApi.GetProperty("jws").GetString()!, key).Valid.ShouldBeTrue();

        var tokens = await buyer.PageAsync("/Organisation/Tokens");
        tokens.Text("[data-testid=last-used]").ShouldNotBe("never");
    }

    [Fact]
    public async Task Files_come_by_short_lived_signed_links_with_the_license_embedded_in_ranges_or_as_the_original()
    {
        var (_, licenseId, works, api) = await BuyWithTokenAsync();
        var files = await JsonAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}/files"));
        var file = files.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("workId").GetGuid() == works[1]);
        file.GetProperty("contentType").GetString().ShouldBe("image/png");
        file.GetProperty("metadata").GetString().ShouldBe("embedded-xmp");
        var expires = file.GetProperty("expiresAt").GetDateTimeOffset();
        expires.ShouldBe(Now().AddMinutes(15), TimeSpan.FromSeconds(5));
        var url = new Uri(file.GetProperty("url").GetString()!).PathAndQuery;
        var originalSha = file.GetProperty("originalSha256").GetString()!;

        // The link is the credential: no token needed to use it.
        var anonymous = App.Api(null);
        var whole = await anonymous.GetAsync(url);
        whole.StatusCode.ShouldBe(HttpStatusCode.OK);
        whole.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        whole.Content.Headers.ContentDisposition!.FileNameStar.ShouldStartWith("Red-kite-");
        whole.Headers.ETag.ShouldNotBeNull();
        var bytes = await whole.Content.ReadAsByteArrayAsync();
        DeliverySteps.LicenseIdInXmp(bytes).ShouldBe(licenseId.ToString());

        var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new RangeHeaderValue(100, 199);
        var partial = await anonymous.SendAsync(range);
        partial.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).ShouldBe(bytes[100..200]);

        var original = await anonymous.GetAsync(url + "?embed=false");
        Convert.ToHexStringLower(SHA256.HashData(await original.Content.ReadAsByteArrayAsync())).ShouldBe(originalSha);
        original.Headers.ETag!.Tag.ShouldBe($"\"{originalSha}\"");

        var sidecar = await anonymous.GetAsync(url + "?xmp=true");
        (await sidecar.Content.ReadAsStringAsync()).ShouldContain($"<plus:LicenseID>{licenseId}</plus:LicenseID>");
    }

    [Fact]
    public async Task A_tampered_or_expired_link_is_refused()
    {
        var (_, licenseId, _, api) = await BuyWithTokenAsync();
        var url = new Uri((await JsonAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}/files"))).GetProperty("files")[0].GetProperty("url").GetString()!).PathAndQuery;
        var anonymous = App.Api(null);

        var payload = url.Split('/')[^1].Split('.')[0];
        var forged = url.Replace(payload, payload[..10] + (payload[10] == 'A' ? 'B' : 'A') + payload[11..]);
        (await ProblemAsync(await anonymous.GetAsync(forged), HttpStatusCode.Forbidden)).ShouldContain("not valid");
        (await ProblemAsync(await anonymous.GetAsync(url[..^3]), HttpStatusCode.Forbidden)).ShouldContain("not valid");

        App.Clock.Advance(TimeSpan.FromMinutes(16));
        (await ProblemAsync(await anonymous.GetAsync(url), HttpStatusCode.Forbidden)).ShouldContain("expired");
    }

    [Fact]
    public async Task A_recalled_item_has_no_link_and_its_old_link_is_gone()
    {
        var (_, licenseId, works, api) = await BuyWithTokenAsync();
        var before = await JsonAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}/files"));
        var link = new Uri(before.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("workId").GetGuid() == works[0])
            .GetProperty("url").GetString()!).PathAndQuery;

        await DeliverySteps.RecallAsync(App, licenseId, works[0], "The creator proved it was not theirs to sell.");

        (await ProblemAsync(await App.Api(null).GetAsync(link), HttpStatusCode.Gone)).ShouldContain("was recalled on");
        var after = await JsonAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}/files"));
        after.GetProperty("files").EnumerateArray().ShouldNotContain(f => f.GetProperty("workId").GetGuid() == works[0]);
        after.GetProperty("notDelivered")[0].GetProperty("reason").GetString()!.ShouldContain("not theirs to sell");
        var license = await JsonAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}"));
        license.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("workId").GetGuid() == works[0])
            .GetProperty("deliverable").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task The_archive_comes_through_the_api_too_and_nothing_once_the_license_has_ended()
    {
        var (_, licenseId, _, api) = await BuyWithTokenAsync();
        var links = await JsonAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}/files"));
        var link = new Uri(links.GetProperty("files")[0].GetProperty("url").GetString()!).PathAndQuery;

        var response = await api.GetAsync($"/api/v1/licenses/{licenseId}/archive");
        using (var zip = await DeliverySteps.ZipAsync(response))
            zip.Entries.Count(e => e.FullName.StartsWith("files/")).ShouldBe(2);

        App.Clock.Advance(TimeSpan.FromDays(400));
        (await ProblemAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}/archive"), HttpStatusCode.Gone)).ShouldContain("ended on");
        // Also a link made before the end, still within its own time: checked again at download.
        App.Clock.Reset();
        var fresh = new Uri((await JsonAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}/files"))).GetProperty("files")[0].GetProperty("url").GetString()!).PathAndQuery;
        await App.DbAsync(async db =>
        {
            // The license's term is moved into the past instead of the clock forward, so the link itself is still fresh.
            var items = await db.Set<LicenseItem>().Where(i => i.LicenseId == licenseId).ToListAsync();
            foreach (var item in items) db.Entry(item).Property(i => i.EndsAt).CurrentValue = Now().AddMinutes(-1);
            return await db.SaveChangesAsync();
        });
        (await ProblemAsync(await App.Api(null).GetAsync(fresh), HttpStatusCode.Gone)).ShouldContain("ended on");
        link.ShouldNotBe(fresh);
    }

    [Fact]
    public async Task Another_organisations_license_is_not_found_through_any_endpoint()
    {
        var (_, licenseId, _, _) = await BuyWithTokenAsync();
        var other = await this.SignUpBuyerAsync("cy@other.test", "Other Lab");
        var otherApi = App.Api(await other.MakeTokenAsync("theirs", AllScopes.Split(' ')));

        (await JsonAsync(await otherApi.GetAsync("/api/v1/licenses"))).GetProperty("total").GetInt32().ShouldBe(0);
        foreach (var path in new[] { "", "/manifest", "/files", "/archive" })
            (await ProblemAsync(await otherApi.GetAsync($"/api/v1/licenses/{licenseId}{path}"), HttpStatusCode.NotFound)).ShouldBe(ApiProblems.NoSuchLicense);
        (await ProblemAsync(await otherApi.PostAsJsonAsync($"/api/v1/licenses/{licenseId}/training-runs",
            new { modelName = "M", modelVersion = "1", trainedOn = DateOnly.FromDateTime(Now().UtcDateTime) }), HttpStatusCode.NotFound)).ShouldBe(ApiProblems.NoSuchLicense);
        (await Db(db => db.TrainingRuns.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_and_so_are_the_links_it_made()
    {
        var (buyer, licenseId, _, api) = await BuyWithTokenAsync();
        var link = new Uri((await JsonAsync(await api.GetAsync($"/api/v1/licenses/{licenseId}/files"))).GetProperty("files")[0].GetProperty("url").GetString()!).PathAndQuery;
        var tokenId = await Db(db => db.ApiTokens.Select(t => t.Id).SingleAsync());

        var revoke = await buyer.PostWithTokenAsync("/Organisation/Tokens?handler=Revoke", "/Organisation/Tokens", new() { ["tokenId"] = tokenId.ToString() });
        revoke.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var refused = await api.GetAsync("/api/v1/licenses");
        (await ProblemAsync(refused, HttpStatusCode.Unauthorized)).ShouldBe("This token has been revoked.");
        refused.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");
        (await ProblemAsync(await App.Api(null).GetAsync(link), HttpStatusCode.Forbidden)).ShouldContain("revoked");
        (await buyer.PageAsync("/Organisation/Tokens")).Text("[data-testid=state]").ShouldStartWith("revoked");
    }

    [Fact]
    public async Task A_token_without_the_scope_gets_forbidden_and_no_token_or_a_cookie_gets_unauthorized()
    {
        var (buyer, licenseId, _, readOnly) = await BuyWithTokenAsync("licenses:read");

        (await readOnly.GetAsync("/api/v1/licenses")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ProblemAsync(await readOnly.GetAsync($"/api/v1/licenses/{licenseId}/files"), HttpStatusCode.Forbidden)).ShouldContain("lacks the scope \"downloads\"");
        (await ProblemAsync(await readOnly.GetAsync($"/api/v1/licenses/{licenseId}/archive"), HttpStatusCode.Forbidden)).ShouldContain("\"downloads\"");
        (await ProblemAsync(await readOnly.PostAsJsonAsync($"/api/v1/licenses/{licenseId}/training-runs", new { modelName = "M" }), HttpStatusCode.Forbidden))
            .ShouldContain("\"training-runs:write\"");

        var none = await App.Api(null).GetAsync("/api/v1/licenses");
        (await ProblemAsync(none, HttpStatusCode.Unauthorized)).ShouldContain("Authorization: Bearer");
        // The site's cookie never authenticates the API, so no page on another site can call it with a member's session.
        (await buyer.GetAsync("/api/v1/licenses")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ProblemAsync(await App.Api("mkt_" + new string('x', 43)).GetAsync("/api/v1/licenses"), HttpStatusCode.Unauthorized)).ShouldBe("This token is not known.");
        (await ProblemAsync(await App.Api("not-a-token").GetAsync("/api/v1/licenses"), HttpStatusCode.Unauthorized)).ShouldContain("not a marketplace API token");
        (await ProblemAsync(await readOnly.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound)).ShouldContain("no such API endpoint");
    }

    [Fact]
    public async Task A_training_run_reported_through_the_api_is_recorded_and_told_to_the_creator()
    {
        var (_, licenseId, _, api) = await BuyWithTokenAsync();
        var today = DateOnly.FromDateTime(Now().UtcDateTime);

        var created = await JsonAsync(await api.PostAsJsonAsync($"/api/v1/licenses/{licenseId}/training-runs",
            new { modelName = "Painter-XL", modelVersion = "2.1", trainedOn = today }), HttpStatusCode.Created);

        created.GetProperty("modelName").GetString().ShouldBe("Painter-XL");
        var run = await Db(db => db.TrainingRuns.SingleAsync());
        run.LicenseId.ShouldBe(licenseId);
        run.ReportedByUserId.ShouldBe(await Db(db => db.Users.Where(u => u.Email == "bo@lab.test").Select(u => u.Id).SingleAsync()));
        (await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.TrainingRunReported))).Subject
            .ShouldBe("Lab Inc trained Painter-XL 2.1 on your work");
        await App.WaitForMailAsync("ana@example.test", "trained Painter-XL");
    }

    [Fact]
    public async Task A_bad_training_run_request_gets_a_clear_problem_and_records_nothing()
    {
        var (_, licenseId, _, api) = await BuyWithTokenAsync();
        var url = $"/api/v1/licenses/{licenseId}/training-runs";
        var tomorrow = DateOnly.FromDateTime(Now().UtcDateTime).AddDays(1);

        (await ProblemAsync(await api.PostAsync(url, new StringContent("{\"modelName\": \"M\", ", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest))
            .ShouldContain("not valid JSON");
        (await ProblemAsync(await api.PostAsync(url, new StringContent("{\"trainedOn\": \"yesterday\"}", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest))
            .ShouldContain("not valid JSON");
        (await ProblemAsync(await api.PostAsync(url, new StringContent("[]", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest))
            .ShouldContain("not valid JSON");
        (await ProblemAsync(await api.PostAsJsonAsync(url, new { modelName = "M", modelVersion = "1" }), HttpStatusCode.BadRequest)).ShouldContain("trainedOn");
        (await ProblemAsync(await api.PostAsJsonAsync(url, new { modelName = "M", modelVersion = "1", trainedOn = tomorrow }), HttpStatusCode.BadRequest))
            .ShouldContain("in the future");
        (await ProblemAsync(await api.PostAsJsonAsync(url, new { modelVersion = "1", trainedOn = tomorrow.AddDays(-1) }), HttpStatusCode.BadRequest))
            .ShouldBe("Name the model that was trained.");
        (await ProblemAsync(await api.PostAsync(url, new StringContent("modelName=M", Encoding.UTF8, "application/x-www-form-urlencoded")), HttpStatusCode.UnsupportedMediaType))
            .ShouldContain("JSON");
        (await ProblemAsync(await api.PostAsync(url, new StringContent($"{{\"modelName\": \"{new string('m', 20_000)}\"}}", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest)).ShouldContain("larger than 16 KB");

        (await Db(db => db.TrainingRuns.CountAsync())).ShouldBe(0);
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.TrainingRunReported))).ShouldBe(0);
    }

    [Fact]
    public async Task Only_an_organisation_admin_manages_tokens_and_bad_input_makes_none()
    {
        var (buyer, _, _, _) = await BuyWithTokenAsync();

        var empty = await buyer.SubmitAsync("/Organisation/Tokens", new Dictionary<string, string> { ["Name"] = "" }, handler: "Create");
        (await WebSession.ParseAsync(empty)).Errors().ShouldContain("Name the token");
        var unknown = await buyer.PostWithTokenAsync("/Organisation/Tokens?handler=Create", "/Organisation/Tokens",
            new() { ["Name"] = "x", ["Scopes"] = "admin:all" });
        (await WebSession.ParseAsync(unknown)).Errors().ShouldContain("\"admin:all\" is not a scope");
        // A forged post without the antiforgery token.
        (await buyer.Http.PostAsync("/Organisation/Tokens?handler=Create", new FormUrlEncodedContent([new("Name", "forged"), new("Scopes", "downloads")])))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Db(db => db.ApiTokens.CountAsync())).ShouldBe(1);

        // A member who is not an admin: the page is shut.
        var member = await this.SignUpBuyerAsync("dee@lab.test", "Dee's own lab");
        var organisation = await Db(db => db.Users.Where(u => u.Email == "bo@lab.test").Select(u => u.OrganisationId).SingleAsync());
        await Db(async db =>
        {
            var dee = await db.Users.SingleAsync(u => u.Email == "dee@lab.test");
            (dee.OrganisationId, dee.OrganisationRole) = (organisation, OrganisationRole.Member);
            return await db.SaveChangesAsync();
        });
        member = await this.SignInAsync("dee@lab.test");
        var denied = await member.GetAsync("/Organisation/Tokens");
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        denied.Headers.Location!.OriginalString.ShouldContain("AccessDenied");
        var tokenId = await Db(db => db.ApiTokens.Select(t => t.Id).SingleAsync());
        (await member.PostWithTokenAsync("/Organisation/Tokens?handler=Revoke", "/Licenses", new() { ["tokenId"] = tokenId.ToString() }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Db(db => db.ApiTokens.SingleAsync())).RevokedAt.ShouldBeNull();

        // Another organisation's admin cannot revoke it either.
        var other = await this.SignUpBuyerAsync("cy@other.test", "Other Lab");
        (await other.PostWithTokenAsync("/Organisation/Tokens?handler=Revoke", "/Organisation/Tokens", new() { ["tokenId"] = tokenId.ToString() }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Db(db => db.ApiTokens.SingleAsync())).RevokedAt.ShouldBeNull();
    }

    [Fact]
    public async Task When_the_maker_leaves_the_organisation_their_tokens_stop_and_the_removal_helper_revokes_them()
    {
        var (_, _, _, api) = await BuyWithTokenAsync();
        (await api.GetAsync("/api/v1/licenses")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var (organisation, bo) = await Db(db => db.Users.Where(u => u.Email == "bo@lab.test").Select(u => new ValueTuple<Guid, string>(u.OrganisationId!.Value, u.Id)).SingleAsync());
        await Db(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == bo);
            (user.OrganisationId, user.OrganisationRole) = (null, null);
            return await db.SaveChangesAsync();
        });
        (await ProblemAsync(await api.GetAsync("/api/v1/licenses"), HttpStatusCode.Unauthorized)).ShouldContain("no longer a member");

        var at = Now();
        var revoked = await Db(async db =>
        {
            var count = await ApiTokens.RevokeCreatedByAsync(db, organisation, bo, "an-admin", at, CancellationToken.None);
            await db.SaveChangesAsync();
            return count;
        });
        revoked.ShouldBe(1);
        var token = await Db(db => db.ApiTokens.SingleAsync());
        token.RevokedAt!.Value.ShouldBe(at, TimeSpan.FromMilliseconds(1));
        token.RevokedByUserId.ShouldBe("an-admin", "revoked by the admin who removed the member");
    }

    [Fact]
    public async Task The_licenses_list_pages()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var works = new List<Guid>();
        for (var i = 0; i < 3; i++) works.Add(await creator.ListAsync(App, $"Work {i}", image: DeliverySteps.Jpeg(i + 1)));
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        foreach (var work in works)
        {
            await buyer.AddToBundleAsync(work);
            await buyer.PayWithTestProviderAsync((await buyer.CheckoutAsync()).Headers.Location!.OriginalString);
        }
        var api = App.Api(await buyer.MakeTokenAsync("reader", "licenses:read"));

        var first = await JsonAsync(await api.GetAsync("/api/v1/licenses?limit=2"));
        first.GetProperty("licenses").GetArrayLength().ShouldBe(2);
        first.GetProperty("total").GetInt32().ShouldBe(3);
        var next = new Uri(first.GetProperty("next").GetString()!).PathAndQuery;
        var second = await JsonAsync(await api.GetAsync(next));
        second.GetProperty("licenses").GetArrayLength().ShouldBe(1);
        second.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);
        (await ProblemAsync(await api.GetAsync("/api/v1/licenses?limit=0"), HttpStatusCode.BadRequest)).ShouldContain("limit");
        (await ProblemAsync(await api.GetAsync("/api/v1/licenses?offset=-1"), HttpStatusCode.BadRequest)).ShouldContain("offset");
    }
}
