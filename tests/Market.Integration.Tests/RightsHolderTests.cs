using System.Net;
using Market.Billing.Sales;
using Market.Billing.Ledger;
using Market.Domain.Catalog;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests;

/// <summary>Rights holders: splits summing to 100%, confirmation by e-mailed link or by account, refusal, and the ledger.</summary>
public sealed class RightsHolderTests(MarketAppFactory app) : IntegrationTest(app)
{
    // The mail folder outlives the database reset between tests, so each test writes to an address of its own.
    private readonly string _press = $"rights-{Guid.NewGuid():N}@baypress.test";

    private static Dictionary<string, string> Rows(params (string Name, string Email, string Role, string Percent)[] others)
    {
        // Row 0 is the creator's own ("me") row on the page; the rest are the blank rows, filled in order.
        var fields = new Dictionary<string, string>();
        for (var i = 0; i < others.Length; i++)
        {
            fields[$"Rows[{i + 1}].Name"] = others[i].Name;
            fields[$"Rows[{i + 1}].Email"] = others[i].Email;
            fields[$"Rows[{i + 1}].Role"] = others[i].Role;
            fields[$"Rows[{i + 1}].Percent"] = others[i].Percent;
        }
        return fields;
    }

    private async Task<Guid> ListedWorkWithCoOwnerAsync(WebSession creator, string coOwnerEmail, string myPercent = "60", string theirPercent = "40")
    {
        var id = await creator.ListAsync(App, "Shared harbour");
        var fields = Rows(("Bay Press Ltd", coOwnerEmail, "CopyrightOwner", theirPercent));
        fields["Rows[0].Percent"] = myPercent;
        var response = await creator.SubmitAsync($"/Works/Holders/{id}", fields);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
        return id;
    }

    [Theory]
    [InlineData("60", "30", "add up to 90%")]
    [InlineData("60", "50", "add up to 110%")]
    [InlineData("100", "0", "between 0.01% and 100%")]
    [InlineData("60", "forty", "must be a percentage")]
    [InlineData("60", "40.005", "must be a percentage")]
    public async Task Splits_that_do_not_make_exactly_100_percent_are_refused_and_nothing_changes(string mine, string theirs, string message)
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await creator.UploadAsync("Split test");
        var fields = Rows(("Bay Press Ltd", _press, "CopyrightOwner", theirs));
        fields["Rows[0].Percent"] = mine;

        var response = await creator.SubmitAsync($"/Works/Holders/{id}", fields);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(response)).Errors().ShouldContain(message);
        var holders = await Db(db => db.RightsHolders.Where(h => h.WorkId == id).ToListAsync());
        holders.ShouldHaveSingleItem().SplitBasisPoints.ShouldBe(10_000, "the creator still holds the whole share");
        (await Db(db => db.OutboxEmails.CountAsync())).ShouldBe(0, "no one was asked to confirm anything");
    }

    [Fact]
    public async Task A_holder_without_an_e_mail_or_named_twice_is_refused()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await creator.UploadAsync("Named twice");
        var fields = Rows(("Bay Press", _press, "CopyrightOwner", "20"), ("Bay Press again", _press.ToUpperInvariant(), "CoOwner", "20"));
        fields["Rows[0].Percent"] = "60";
        (await WebSession.ParseAsync(await creator.SubmitAsync($"/Works/Holders/{id}", fields))).Errors().ShouldContain("named twice");

        fields = Rows(("Bay Press", "not-an-address", "CopyrightOwner", "40"));
        fields["Rows[0].Percent"] = "60";
        (await WebSession.ParseAsync(await creator.SubmitAsync($"/Works/Holders/{id}", fields))).Errors().ShouldContain("Give an e-mail address for Bay Press");
        (await Db(db => db.RightsHolders.CountAsync(h => h.WorkId == id))).ShouldBe(1);
    }

    [Fact]
    public async Task An_unconfirmed_holder_keeps_the_work_off_the_market_until_they_confirm_by_the_e_mailed_link()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await ListedWorkWithCoOwnerAsync(creator, _press);

        (await creator.PageAsync($"/Works/Details/{id}")).Text("[data-testid=state]").ShouldBe("needs confirmation");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test");
        (await buyer.PageAsync("/Catalog")).QuerySelectorAll("[data-testid=catalog-item]").ShouldBeEmpty("an unconfirmed work is not for sale");
        (await buyer.GetAsync($"/Catalog/Details/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var mail = await App.WaitForMailAsync(_press, "Confirm your share");
        mail.TextBody.ShouldContain("Ana Lima named you as a rights holder");
        mail.TextBody.ShouldContain("40% as copyright owner");
        var link = Mailbox.LinkIn(mail, "/Shares/Respond?token=");

        // The holder has no account: the link alone is enough.
        var holder = Session();
        var page = await holder.PageAsync(link);
        page.Text("[data-testid=share]").ShouldBe("40%");
        var answered = await WebSession.ParseAsync(await holder.SubmitAsync(link, new Dictionary<string, string>(), handler: "Confirm"));
        answered.Text("[data-testid=answered]").ShouldContain("is confirmed");

        (await creator.PageAsync($"/Works/Details/{id}")).Text("[data-testid=state]").ShouldBe("listed");
        (await buyer.PageAsync("/Catalog")).QuerySelectorAll("[data-testid=catalog-item]").Length.ShouldBe(1);
        var notice = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.ShareAnswered));
        notice.Subject.ShouldBe("Bay Press Ltd confirmed their share of “Shared harbour”");

        // Single use: the same link cannot answer again.
        (await holder.PageAsync(link)).Text("[data-testid=invalid]").ShouldContain("no longer valid");
    }

    [Fact]
    public async Task A_refusal_keeps_the_work_unsellable_and_tells_the_creator_why()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await ListedWorkWithCoOwnerAsync(creator, _press);
        var link = Mailbox.LinkIn(await App.WaitForMailAsync(_press, "Confirm your share"), "/Shares/Respond?token=");

        var holder = Session();
        var response = await holder.SubmitAsync(link, new Dictionary<string, string> { ["Reason"] = "We own 100% of this image." }, handler: "Refuse");
        (await WebSession.ParseAsync(response)).Text("[data-testid=answered]").ShouldContain("You refused");

        var details = await creator.PageAsync($"/Works/Details/{id}");
        details.Text("[data-testid=state]").ShouldBe("needs confirmation");
        details.Text("[data-testid=holders]").ShouldContain("We own 100% of this image.");
        var notice = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.ShareAnswered));
        notice.Subject.ShouldContain("refused");
        notice.Body.ShouldContain("We own 100% of this image.");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test");
        (await buyer.GetAsync($"/Catalog/Details/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_holder_with_a_verified_account_confirms_signed_in_and_the_sale_pays_both_holders_by_split()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var partner = await this.SignUpCreatorAsync("bea@example.test", "Bea Costa");
        await App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<Market.Web.Data.MarketDb>();
            var user = await db.Users.SingleAsync(u => u.Email == "bea@example.test");
            user.EmailConfirmed = true;
            return await db.SaveChangesAsync();
        });
        var id = await ListedWorkWithCoOwnerAsync(creator, "bea@example.test", "75", "25");

        var shares = await partner.PageAsync("/Shares");
        shares.Text("[data-testid=share-row]").ShouldContain("25%");
        var answer = await partner.SubmitAsync("/Shares", new Dictionary<string, string>(), handler: "Confirm");
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(answer)).Errors());
        (await Db(db => db.RightsHolders.SingleAsync(h => h.WorkId == id && h.Email == "bea@example.test"))).UserId.ShouldNotBeNull();

        var buyer = await this.SignUpBuyerAsync("bo@lab.test");
        await buyer.AddToBundleAsync(id);
        var licenseId = await buyer.PayWithTestProviderAsync((await buyer.CheckoutAsync()).Headers.Location!.OriginalString);

        var order = await Db(db => db.Licenses.Where(l => l.Id == licenseId).Select(l => l.OrderId).SingleAsync());
        var royalties = (await App.SaleEventsAsync(order)).OfType<SalePosted>().Single().Items.Single().Royalties;
        var anaId = await Db(db => db.Users.Where(u => u.Email == "ana@example.test").Select(u => u.Id).SingleAsync());
        var beaId = await Db(db => db.Users.Where(u => u.Email == "bea@example.test").Select(u => u.Id).SingleAsync());
        // 49.00 EUR, 20% platform fee → 39.20 for the holders, split 75/25.
        royalties.Single(r => r.PayeeId == anaId).NetMinor.ShouldBe(2940);
        royalties.Single(r => r.PayeeId == beaId).NetMinor.ShouldBe(980);
        var item = await Db(db => db.Licenses.Where(l => l.Id == licenseId).SelectMany(l => l.Items).SingleAsync());
        item.CopyrightHolder.ShouldBe("Bay Press Ltd");
        item.RightsHolders.ShouldContain("Bay Press Ltd (copyright owner, 25%)");
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.LicenseSold))).ShouldBe(2, "both holders with accounts are told");
    }

    [Fact]
    public async Task Another_creator_cannot_see_or_change_the_rights_holders_and_a_forged_token_changes_nothing()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await ListedWorkWithCoOwnerAsync(creator, _press);
        var other = await this.SignUpCreatorAsync("eve@example.test", "Eve");

        (await other.GetAsync($"/Works/Holders/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostWithTokenAsync($"/Works/Holders/{id}", "/Works/Upload",
            new Dictionary<string, string> { ["Rows[0].IsMe"] = "true", ["Rows[0].Percent"] = "100" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Db(db => db.RightsHolders.CountAsync(h => h.WorkId == id))).ShouldBe(2);

        var stranger = Session();
        var response = await stranger.PostWithTokenAsync("/Shares/Respond?handler=Confirm&token=forged-token", "/Identity/Account/Login");
        (await WebSession.ParseAsync(response)).Errors().ShouldContain("no longer valid");
        (await Db(db => db.RightsHolders.CountAsync(h => h.Status == ShareStatus.Pending))).ShouldBe(1);
    }
}
