using System.Net;
using System.Text;
using Market.Domain.Catalog;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>Consent for a selection, receipts, withdrawal and its notices; offers changed singly and in bulk.</summary>
public sealed class ConsentAndOfferTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Consent_for_a_selection_records_one_receipt_per_work_with_text_terms_address_and_browser()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var first = await creator.UploadAsync("Harbour", CreatorSteps.Jpeg(1));
        var second = await creator.UploadAsync("Lighthouse", CreatorSteps.Jpeg(2));
        await creator.OfferAsync(first, "49.00");
        var url = $"/Works/Consent?Ids={first}&Ids={second}";

        var page = await creator.PageAsync(url);
        page.Text("[data-testid=consent-works]").ShouldContain("Harbour");
        page.Text("[data-testid=consent-works]").ShouldContain("49.00 EUR: generative model training");
        page.Text("[data-testid=consent-works]").ShouldContain("No license offer yet");
        var refused = await creator.SubmitAsync(url, new Dictionary<string, string>());
        (await WebSession.ParseAsync(refused)).Text("[data-testid=consent-error]").ShouldContain("Tick the box");
        (await Db(db => db.ConsentRecords.CountAsync())).ShouldBe(0);

        var response = await creator.SubmitAsync(url, new Dictionary<string, string> { ["Agree"] = "true" });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());

        var records = await Db(db => db.ConsentRecords.OrderBy(c => c.WorkId).ToListAsync());
        records.Count.ShouldBe(2);
        records.ShouldAllBe(r => r.Action == ConsentAction.Granted && r.TextVersion == ConsentText.CurrentVersion);
        records.Single(r => r.WorkId == first).Terms.ShouldContain("49.00 EUR");
        records.Single(r => r.WorkId == second).Terms.ShouldContain("No license offer yet");
        records.Single(r => r.WorkId == first).Text.ShouldContain("\"Harbour\"");

        var receipts = await creator.PageAsync("/Works/Receipts");
        receipts.QuerySelectorAll("[data-testid=receipt]").Length.ShouldBe(2);
        var csv = await (await creator.GetAsync("/Works/Receipts?handler=Csv")).Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("receipt_id,work_id,work_title,action,at_utc,text_version,text,terms,remote_address,user_agent");
        lines.Length.ShouldBe(3);
        csv.ShouldContain(records[0].Id.ToString());
    }

    [Fact]
    public async Task A_selection_holding_another_creators_work_is_not_found_and_records_nothing()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var other = await this.SignUpCreatorAsync("eve@example.test", "Eve");
        var mine = await creator.UploadAsync("Mine", CreatorSteps.Jpeg(1));
        var theirs = await other.UploadAsync("Theirs", CreatorSteps.Jpeg(2));

        (await creator.GetAsync($"/Works/Consent?Ids={mine}&Ids={theirs}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await creator.PostWithTokenAsync($"/Works/Consent?Ids={mine}&Ids={theirs}", "/Works/Upload",
            new Dictionary<string, string> { ["Agree"] = "true", ["TextVersion"] = ConsentText.CurrentVersion })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await creator.GetAsync($"/Works/Receipts/{theirs}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await creator.GetAsync($"/Works/Edit/{theirs}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await creator.PostWithTokenAsync($"/Works/Edit/{theirs}", "/Works/Upload", new Dictionary<string, string> { ["Title"] = "Stolen" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Db(db => db.ConsentRecords.CountAsync())).ShouldBe(0);
        (await Db(db => db.Works.SingleAsync(w => w.Id == theirs))).Title.ShouldBe("Theirs");
    }

    [Fact]
    public async Task Withdrawal_stops_sales_keeps_sold_licenses_tells_their_holders_and_cannot_happen_twice()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await creator.ListAsync(App, "Harbour");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        await buyer.AddToBundleAsync(id);
        var licenseId = await buyer.PayWithTestProviderAsync((await buyer.CheckoutAsync()).Headers.Location!.OriginalString);
        (await creator.PageAsync($"/Works/Details/{id}")).Text("[data-testid=active-licenses]").ShouldContain("Lab Inc");

        var withdraw = await creator.SubmitAsync($"/Works/Details/{id}", new Dictionary<string, string>(), handler: "Withdraw");
        withdraw.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await buyer.GetAsync($"/Catalog/Details/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await buyer.PageAsync($"/Licenses/Details/{licenseId}")).Text("body").ShouldContain("Harbour", Case.Sensitive, "the sold license runs on");
        var notice = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.ConsentWithdrawn));
        notice.Subject.ShouldBe("Consent withdrawn for “Harbour”");
        notice.Link.ShouldBe($"/Licenses/Details/{licenseId}");
        (await buyer.PageAsync("/Notifications")).Text("[data-testid=notification-subject]").ShouldBe("Consent withdrawn for “Harbour”");
        await App.WaitForMailAsync("bo@lab.test", "Consent withdrawn");

        var again = await creator.PostWithTokenAsync($"/Works/Details/{id}?handler=Withdraw", $"/Works/Details/{id}");
        (await WebSession.ParseAsync(again)).Errors().ShouldContain("not opted in");
        (await Db(db => db.ConsentRecords.CountAsync(c => c.Action == ConsentAction.Withdrawn))).ShouldBe(1);
    }

    [Fact]
    public async Task Changing_an_offer_never_changes_a_license_already_sold_and_a_bundle_holding_the_old_offer_must_choose_again()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await creator.ListAsync(App, "Harbour", "49.00");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        await buyer.AddToBundleAsync(id);
        var licenseId = await buyer.PayWithTestProviderAsync((await buyer.CheckoutAsync()).Headers.Location!.OriginalString);
        var second = await this.SignUpBuyerAsync("cy@other.test", "Other Lab");
        await second.AddToBundleAsync(id);

        var offer = await Db(db => db.LicenseOffers.SingleAsync(o => o.WorkId == id && o.Active));
        var change = await creator.SubmitAsync($"/Works/Offer/{id}?offerId={offer.Id}",
            new Dictionary<string, string> { ["Price"] = "99.00", ["TermMonths"] = "24", ["Commercial"] = "false" });
        change.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(change)).Errors());

        var offers = await Db(db => db.LicenseOffers.Where(o => o.WorkId == id).ToListAsync());
        offers.Count.ShouldBe(2);
        offers.Single(o => o.Active).PriceMinor.ShouldBe(9900);
        offers.Single(o => o.Active).Terms.TermMonths.ShouldBe(24);
        var item = await Db(db => db.Licenses.Where(l => l.Id == licenseId).SelectMany(l => l.Items).SingleAsync());
        item.PriceMinor.ShouldBe(4900);
        item.Terms.TermMonths.ShouldBe(12);
        item.Terms.Commercial.ShouldBeTrue();

        var checkout = await second.CheckoutAsync();
        (await WebSession.ParseAsync(checkout)).Errors().ShouldContain("no longer available");
        (await Db(db => db.Orders.CountAsync())).ShouldBe(1, "the stale bundle placed no order");
    }

    [Fact]
    public async Task Offers_set_in_bulk_replace_the_offers_of_every_ticked_work_or_of_none()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var a = await creator.UploadAsync("A", CreatorSteps.Jpeg(1));
        var b = await creator.UploadAsync("B", CreatorSteps.Jpeg(2));
        await creator.OfferAsync(a, "10.00");
        var other = await this.SignUpCreatorAsync("eve@example.test", "Eve");
        var theirs = await other.UploadAsync("Theirs", CreatorSteps.Jpeg(3));

        var bad = await creator.SubmitAsync($"/Works/Offers?Ids={a}&Ids={b}", new Dictionary<string, string> { ["Price"] = "-1" });
        (await WebSession.ParseAsync(bad)).Errors().ShouldContain("greater than zero");
        (await creator.PostWithTokenAsync("/Works/Offers", "/Works/Upload",
            new Dictionary<string, string> { ["Ids"] = theirs.ToString(), ["Price"] = "5.00", ["Currency"] = "EUR", ["Replace"] = "true",
                ["Scope"] = "GenerativeTraining", ["TermMonths"] = "12", ["DutyAtExpiry"] = "DeleteData", ["AttestWithinDays"] = "30" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Db(db => db.LicenseOffers.CountAsync())).ShouldBe(1);

        var ok = await creator.SubmitAsync($"/Works/Offers?Ids={a}&Ids={b}",
            new Dictionary<string, string> { ["Price"] = "25.00", ["Scope"] = "NonGenerativeAnalysis", ["TermMonths"] = "6" });
        ok.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(ok)).Errors());
        var active = await Db(db => db.LicenseOffers.Where(o => o.Active).ToListAsync());
        active.Select(o => o.WorkId).ShouldBe([a, b], ignoreOrder: true);
        active.ShouldAllBe(o => o.PriceMinor == 2500 && o.Terms.TermMonths == 6);
        (await Db(db => db.LicenseOffers.CountAsync(o => !o.Active))).ShouldBe(1, "the old offer is retired, not deleted");
    }

    [Fact]
    public async Task A_csv_file_is_checked_row_by_row_and_saved_only_when_every_row_is_right()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var harbour = await creator.UploadAsync("harbour", CreatorSteps.Jpeg(1), "harbour.jpg");
        var lighthouse = await creator.UploadAsync("lighthouse", CreatorSteps.Jpeg(2), "lighthouse.jpg");

        const string Broken = "file,title,tags,medium,year,price,currency\r\n" +
                              "harbour.jpg,Harbour at dusk,harbour; dusk,Painting,2024,49.00,EUR\r\n" +
                              "missing.jpg,Nothing,,,,,\r\n" +
                              "lighthouse.jpg,Lighthouse,,Sculpture,3024,abc,EUR\r\n";
        var preview = await PreviewAsync(creator, Broken);
        var rows = preview.QuerySelectorAll("[data-testid=import-row]").Select(r => r.TextContent).ToList();
        rows.Count.ShouldBe(3);
        rows[0].ShouldContain("title “Harbour at dusk”");
        rows[1].ShouldContain("None of your works was uploaded as \"missing.jpg\"");
        rows[2].ShouldContain("'Sculpture' is not a medium");
        preview.QuerySelector("form[action*=Apply]").ShouldBeNull("a file with errors cannot be applied");
        (await Db(db => db.Works.SingleAsync(w => w.Id == harbour))).Title.ShouldBe("harbour", "checking saves nothing");

        const string Good = "file,title,description,tags,medium,year,price,currency\r\n" +
                            "harbour.jpg,Harbour at dusk,\"Oil, on canvas\",harbour; dusk,Painting,2024,49.00,EUR\r\n" +
                            "lighthouse.jpg,Lighthouse,,coast,Photograph,2019,12.50,USD\r\n";
        var checkedPage = await PreviewAsync(creator, Good);
        checkedPage.Text("[data-testid=import-summary]").ShouldContain("no errors");
        checkedPage.QuerySelector("form[action*=Apply] input[name=CsvText]")!.GetAttribute("value").ShouldBe(Good);
        var applied = await creator.PostWithTokenAsync("/Works/Import?handler=Apply", "/Works/Import", new Dictionary<string, string> { ["CsvText"] = Good });
        applied.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(applied)).Errors());

        var works = await Db(db => db.Works.Include(w => w.Offers).OrderBy(w => w.Title).ToListAsync());
        works[0].Title.ShouldBe("Harbour at dusk");
        works[0].Description.ShouldBe("Oil, on canvas");
        works[0].Tags.ShouldBe(["harbour", "dusk"]);
        works[0].Medium.ShouldBe(WorkMedium.Painting);
        works[0].CreationYear.ShouldBe(2024);
        works[0].Offers.Single(o => o.Active).PriceMinor.ShouldBe(4900);
        works[1].Id.ShouldBe(lighthouse);
        works[1].Offers.Single(o => o.Active).Currency.ShouldBe("USD");
    }

    [Fact]
    public async Task A_csv_file_that_is_not_csv_or_has_unknown_columns_is_refused_whole()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        (await PreviewAsync(creator, "file,colour\r\na.jpg,red\r\n")).Text("[data-testid=file-error]").ShouldContain("Unknown column: colour");
        (await PreviewAsync(creator, "file,title\r\n\"a.jpg,unclosed\r\n")).Text("[data-testid=file-error]").ShouldContain("never closed");
        (await PreviewAsync(creator, "title\r\nNo key\r\n")).Text("[data-testid=file-error]").ShouldContain("needs a 'file' or a 'work_id' column");
    }

    [Fact]
    public async Task Each_user_chooses_which_notifications_are_e_mailed_and_the_site_shows_them_all()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var settings = await creator.SubmitAsync("/Notifications/Settings",
            new Dictionary<string, string> { ["Emailed"] = NotificationKind.ShareAnswered.ToString() });
        settings.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Db(db => db.EmailOptOuts.CountAsync())).ShouldBe(Enum.GetValues<NotificationKind>().Length - 1);

        var id = await creator.ListAsync(App, "Harbour");

        var listed = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.WorkScanned));
        listed.Subject.ShouldBe("“Harbour” is listed");
        (await Db(db => db.OutboxEmails.CountAsync(m => m.To == "ana@example.test"))).ShouldBe(0, "the creator opted out of that e-mail");
        var page = await creator.PageAsync("/Works");
        page.Text("[data-testid=unread]").ShouldBe("1");
        var open = await creator.SubmitAsync("/Notifications", new Dictionary<string, string>(), handler: "Open");
        open.Headers.Location!.OriginalString.ShouldBe($"/Works/Details/{id}");
        (await Db(db => db.Notifications.SingleAsync(n => n.Id == listed.Id))).ReadAt.ShouldNotBeNull();
        var unread = await Db(db => db.Notifications.Where(n => n.ReadAt == null).Select(n => n.UserId + ":" + n.Subject).ToListAsync());
        (await creator.PageAsync("/Works")).QuerySelector("[data-testid=unread]").ShouldBeNull(string.Join(" | ", unread));

        var other = await this.SignUpCreatorAsync("eve@example.test", "Eve");
        (await other.PostWithTokenAsync("/Notifications?handler=Open", "/Notifications",
            new Dictionary<string, string> { ["id"] = listed.Id.ToString() })).Headers.Location!.OriginalString.ShouldBe("/Notifications");
    }

    private static async Task<AngleSharp.Dom.IDocument> PreviewAsync(WebSession creator, string csv)
    {
        var response = await creator.SubmitFileAsync("/Works/Import", new Dictionary<string, string>(), "file", Encoding.UTF8.GetBytes(csv), "works.csv", "text/csv");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await WebSession.ParseAsync(response);
    }
}
