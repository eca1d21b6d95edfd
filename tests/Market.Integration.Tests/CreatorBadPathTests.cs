using System.Net;
using System.Text;
using Market.Domain.Catalog;
using Market.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>Each bad input on the creator's side gets a clear message and changes nothing.</summary>
public sealed class CreatorBadPathTests(MarketAppFactory app) : IntegrationTest(app)
{
    private async Task<string> RefusedUploadAsync(WebSession creator, byte[] content, string fileName, string contentType)
    {
        var originals = Path.Combine(App.StorageRoot, "originals");
        string[] StoredOriginals() => Directory.Exists(originals) ? Directory.GetFiles(originals) : [];
        var before = StoredOriginals();
        // The plain form post, as a browser without script sends it.
        var response = await creator.SubmitFileAsync("/Works/Upload", new Dictionary<string, string>(), "files", content, fileName, contentType);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, "a refused upload stays on the form");
        (await Db(db => db.Works.CountAsync())).ShouldBe(0);
        StoredOriginals().ShouldBe(before, ignoreOrder: true, "a refused upload leaves no file behind");
        var staging = Path.Combine(App.StorageRoot, "staging");
        (Directory.Exists(staging) ? Directory.GetFiles(staging) : []).ShouldBeEmpty("nothing is left in staging");
        return (await WebSession.ParseAsync(response)).Text("[data-testid=upload-error]");
    }

    [Fact]
    public async Task Html_posing_as_a_jpeg_is_refused_by_its_content()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var error = await RefusedUploadAsync(creator, Encoding.UTF8.GetBytes("<html><body><script>alert(1)</script></body></html>"), "photo.jpg", "image/jpeg");
        error.ShouldContain("not an image we accept");
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var error = await RefusedUploadAsync(creator, [], "empty.jpg", "image/jpeg");
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task A_truncated_jpeg_is_refused_as_damaged()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var jpeg = CreatorSteps.Jpeg();
        var error = await RefusedUploadAsync(creator, jpeg[..(jpeg.Length / 2)], "half.jpg", "image/jpeg");
        error.ShouldContain("damaged or incomplete");
    }

    [Fact]
    public async Task Consent_without_the_tick_is_refused_and_records_nothing()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.UploadAsync("Unticked");
        var response = await creator.SubmitAsync($"/Works/Consent/{id}", new Dictionary<string, string> { ["Agree"] = "false" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(response)).Text("[data-testid=consent-error]").ShouldContain("Tick the box");
        (await Db(db => db.ConsentRecords.CountAsync())).ShouldBe(0);
        (await Db(db => db.Works.Where(w => w.Id == id).Select(w => w.ConsentGrantedAt).FirstAsync())).ShouldBeNull();
    }

    [Fact]
    public async Task Consent_given_to_a_stale_text_version_is_refused()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.UploadAsync("Stale");
        var response = await creator.SubmitAsync($"/Works/Consent/{id}", new Dictionary<string, string> { ["Agree"] = "true", ["TextVersion"] = "2020-01-v0" });
        (await WebSession.ParseAsync(response)).Text("[data-testid=consent-error]").ShouldContain("consent text changed");
        (await Db(db => db.ConsentRecords.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_work_cannot_be_submitted_without_consent()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.UploadAsync("No consent");
        await creator.OfferAsync(id);
        var response = await creator.SubmitAsync($"/Works/Details/{id}", new Dictionary<string, string>(), handler: "Submit");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(response)).Text("[data-testid=errors]").ShouldContain("Opt the work in");
        (await Db(db => db.Works.Where(w => w.Id == id).Select(w => w.State).FirstAsync())).ShouldBe(WorkState.Draft);
    }

    [Theory]
    [InlineData("-5", "greater than zero")]
    [InlineData("0", "greater than zero")]
    [InlineData("abc", "is not a price")]
    [InlineData("49.999", "2 decimal places")]
    [InlineData("99999999", "must not exceed")]
    [InlineData("", "Enter a price")]
    public async Task A_bad_price_is_refused_and_no_offer_is_saved(string price, string message)
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.UploadAsync("Priced");
        var response = await creator.SubmitAsync($"/Works/Offer/{id}", new Dictionary<string, string> { ["Price"] = price, ["Currency"] = "EUR" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(response)).Text("[data-testid=errors]").ShouldContain(message);
        (await Db(db => db.LicenseOffers.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task An_unsupported_currency_and_an_absurd_term_are_refused()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.UploadAsync("Terms");
        var currency = await creator.SubmitAsync($"/Works/Offer/{id}", new Dictionary<string, string> { ["Price"] = "10", ["Currency"] = "XBT" });
        (await WebSession.ParseAsync(currency)).Text("[data-testid=errors]").ShouldContain("not supported");
        var term = await creator.SubmitAsync($"/Works/Offer/{id}", new Dictionary<string, string> { ["Price"] = "10", ["Currency"] = "EUR", ["TermMonths"] = "600" });
        (await WebSession.ParseAsync(term)).Text("[data-testid=errors]").ShouldContain("between 1 and 120 months");
        (await Db(db => db.LicenseOffers.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_creator_cannot_see_or_change_another_creators_work()
    {
        var owner = await this.SignUpCreatorAsync("owner@example.test");
        var id = await owner.ListAsync(App, "Mine");
        var other = await this.SignUpCreatorAsync("other@example.test");

        (await other.GetAsync($"/Works/Details/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync($"/Works/Offer/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync($"/Works/Consent/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Forged posts, with a valid antiforgery token taken from the other creator's own upload page.
        async Task<HttpStatusCode> Post(string url, Dictionary<string, string> fields) =>
            (await other.PostWithTokenAsync(url, "/Works/Upload", fields)).StatusCode;
        (await Post($"/Works/Offer/{id}", new() { ["Price"] = "1.00", ["Currency"] = "EUR" })).ShouldBe(HttpStatusCode.NotFound);
        (await Post($"/Works/Details/{id}?handler=Withdraw", new())).ShouldBe(HttpStatusCode.NotFound);
        (await Post($"/Works/Consent/{id}", new() { ["Agree"] = "true", ["TextVersion"] = ConsentText.CurrentVersion })).ShouldBe(HttpStatusCode.NotFound);

        var work = await Db(db => db.Works.AsNoTracking().Include(w => w.Offers).FirstAsync(w => w.Id == id));
        work.State.ShouldBe(WorkState.Listed);
        work.Offers.Count.ShouldBe(1);
        (await Db(db => db.ConsentRecords.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task A_form_post_without_an_antiforgery_token_is_refused()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.UploadAsync("Guarded");
        var response = await creator.Http.PostAsync($"/Works/Offer/{id}", new FormUrlEncodedContent(new Dictionary<string, string> { ["Price"] = "10", ["Currency"] = "EUR" }));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Db(db => db.LicenseOffers.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task An_exact_copy_of_another_s_listed_work_is_held_for_review_and_of_one_s_own_rejected_with_a_clear_message()
    {
        var image = CreatorSteps.Jpeg(2);
        var original = await this.SignUpCreatorAsync("original@example.test");
        await original.ListAsync(App, "Original", image: image);

        var copier = await this.SignUpCreatorAsync("copier@example.test");
        var copy = await copier.UploadAsync("Copy", image);
        await copier.ConsentAsync(copy);
        await copier.OfferAsync(copy);
        await copier.SubmitAsync(copy);
        // Issue 6: another account's work is a moderator's call (it may be theft, or the copier may hold the rights).
        (await App.ScannedStateAsync(copy)).ShouldBe(WorkState.Quarantined);
        (await Db(db => db.ReviewCases.SingleAsync(c => c.WorkId == copy))).Edit.ShouldBe(Market.Domain.Moderation.ScanPolicy.ExactEdit);

        var again = await original.UploadAsync("Original again", image);
        await original.ConsentAsync(again);
        await original.OfferAsync(again);
        await original.SubmitAsync(again);
        (await App.ScannedStateAsync(again)).ShouldBe(WorkState.Rejected);
        (await original.PageAsync($"/Works/Details/{again}")).Text("[data-testid=rejection]").ShouldContain("exact copy of your work \"Original\"");

        (await Db(db => db.Works.CountAsync(w => w.State == WorkState.Listed))).ShouldBe(1);
    }
}
