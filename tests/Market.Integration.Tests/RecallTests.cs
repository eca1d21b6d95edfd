using System.Net;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Identity;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>
/// A work leaves the licenses that hold it: when its creator withdraws consent (the license stays valid for the copy
/// already downloaded) and when a moderator takes it down for theft (stop using it, delete it, attest).
/// </summary>
public sealed class RecallTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Withdrawal_recalls_the_work_from_every_running_license_and_tells_each_organisation_its_copy_stays_valid_to_the_end()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var harbour = await creator.ListAsync(App, "Harbour");
        var fields = await creator.ListAsync(App, "Fields", image: CreatorSteps.Jpeg(7));
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        var license = await buyer.BuyAsync(harbour, fields);
        var rival = await this.SignUpBuyerAsync("di@rival.test", "Rival Lab");
        var rivalLicense = await rival.BuyAsync(harbour);

        var withdraw = await creator.SubmitAsync($"/Works/Details/{harbour}", new Dictionary<string, string>(), handler: "Withdraw");
        withdraw.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(withdraw)).Errors());

        var items = await Db(db => db.Set<LicenseItem>().ToListAsync());
        items.Where(i => i.WorkId == harbour).ShouldAllBe(i => i.RecalledAt != null && i.RecallReason!.Contains("withdrew consent"));
        items.Single(i => i.WorkId == fields).RecalledAt.ShouldBeNull();
        (await Db(db => db.Licenses.Include(l => l.Items).SingleAsync(l => l.Id == license))).DeliverableItems(Now()).Select(i => i.WorkTitle)
            .ShouldBe(["Fields"]);

        var notices = await Db(db => db.Notifications.Where(n => n.Kind == NotificationKind.ConsentWithdrawn).ToListAsync());
        notices.Select(n => n.Link).ShouldBe([$"/Licenses/Details/{license}", $"/Licenses/Details/{rivalLicense}"], ignoreOrder: true);
        notices.ShouldAllBe(n => n.Subject == "Consent withdrawn for “Harbour”");
        notices[0].Body.ShouldContain("for the copy you have already downloaded");
        notices[0].Body.ShouldContain("can no longer be downloaded");
        (await Db(db => db.ExpiryNotices.CountAsync())).ShouldBe(0, "a withdrawal asks for no early deletion");
        (await buyer.PageAsync($"/Licenses/Details/{license}")).Text("[data-testid=recalls]").ShouldContain("“Harbour” recalled");
        (await rival.PageAsync($"/Licenses/Details/{rivalLicense}")).Text("[data-testid=recalls]").ShouldContain("“Harbour” recalled");
    }

    [Fact]
    public async Task A_takedown_leaves_the_catalog_recalls_every_license_tells_everyone_concerned_and_asks_for_an_attestation_once()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var work = await creator.ListAsync(App, "Harbour");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        var license = await buyer.BuyAsync(work);
        var moderator = await this.SignInAsync("mo@market.test", await App.CreateStaffAsync("mo@market.test", Roles.Moderator));

        var found = await moderator.PageAsync($"/Moderation/Takedown?WorkId={work}");
        found.Text("[data-testid=title]").ShouldBe("Harbour");
        found.Text("[data-testid=running]").ShouldBe("1");
        var response = await moderator.SubmitAsync($"/Moderation/Takedown?WorkId={work}",
            new Dictionary<string, string> { ["Reason"] = "Copied from Mei Chen's portfolio (case 12)." });
        var after = await moderator.FollowAsync(response);
        after.Text(".alert-success").ShouldContain("1 license recalled");
        after.Text("[data-testid=taken-down]").ShouldContain("Copied from Mei Chen's portfolio");

        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.TakenDown);
        (await buyer.GetAsync($"/Catalog/Details/{work}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await buyer.PageAsync("/Catalog")).Text("body").ShouldNotContain("Harbour");
        var item = await Db(db => db.Set<LicenseItem>().SingleAsync());
        item.RecalledAt.ShouldNotBeNull();
        item.RecallReason.ShouldBe("Taken down by a moderator: Copied from Mei Chen's portfolio (case 12).");

        var recall = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.WorkRecalled));
        recall.Subject.ShouldBe("“Harbour” was taken down: stop using it and delete it");
        recall.Body.ShouldContain("could not validly grant it");
        var takenDownAt = (await Db(db => db.Works.SingleAsync(w => w.Id == work))).TakenDownAt!.Value;
        recall.Body.ShouldContain($"sign a deletion attestation for it by {takenDownAt.AddDays(30):yyyy-MM-dd}");
        recall.Link.ShouldStartWith($"/Licenses/Attest/{license}?group=t");
        var creatorNotice = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.WorkTakenDown));
        creatorNotice.Body.ShouldContain("Copied from Mei Chen's portfolio");
        creatorNotice.Body.ShouldContain("the organisation holding a license on it was told to stop using it");
        (await creator.PageAsync($"/Works/Details/{work}")).Text("[data-testid=takedown]").ShouldContain("Copied from Mei Chen's portfolio");
        await App.WaitForMailAsync("bo@lab.test", "was taken down");
        await App.WaitForMailAsync("ana@example.test", "was taken down by a moderator");

        // The recall was the "access ended" notice for the item; the job does not send it again.
        await App.RunExpiryJobAsync();
        (await Db(db => db.ExpiryNotices.Select(n => new { n.Basis, n.Stage }).ToListAsync())).Select(n => (n.Basis, n.Stage))
            .ShouldBe([(DutyBasis.Takedown, ExpiryStage.Ended)]);
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.LicenseExpired))).ShouldBe(0);

        var attest = await buyer.PageAsync(recall.Link!);
        attest.Text("[data-testid=obligations]").ShouldContain("taken down");
        var signed = await buyer.SubmitAsync(recall.Link!, ExpiryTests.Valid(DateOnly.FromDateTime(Now().UtcDateTime)));
        signed.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(signed)).Errors());
        (await Db(db => db.DeletionAttestations.SingleAsync())).Basis.ShouldBe(DutyBasis.Takedown);

        var twice = await moderator.PostWithTokenAsync("/Moderation/Takedown", "/Moderation/Takedown",
            new Dictionary<string, string> { ["WorkId"] = work.ToString(), ["Reason"] = "Again" });
        (await WebSession.ParseAsync(twice)).Errors().ShouldContain("taken down already");
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.WorkRecalled))).ShouldBe(1);
    }

    [Fact]
    public async Task Only_a_moderator_with_two_factor_can_take_a_work_down_and_bad_input_changes_nothing()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var work = await creator.ListAsync(App, "Harbour");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        var admin = await this.SignInAsync("ad@market.test", await App.CreateStaffAsync("ad@market.test", Roles.Admin));
        var fields = new Dictionary<string, string> { ["WorkId"] = work.ToString(), ["Reason"] = "Theft" };

        foreach (var outsider in new[] { creator, buyer, admin })
        {
            (await outsider.GetAsync($"/Moderation/Takedown?WorkId={work}")).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
            (await outsider.PostWithTokenAsync("/Moderation/Takedown", "/Catalog", fields)).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
        }
        (await NewSession().GetAsync("/Moderation/Takedown")).Headers.Location!.OriginalString.ShouldContain("/Identity/Account/Login");
        await App.CreateStaffAsync("nofactor@market.test", Roles.Moderator, twoFactor: false);
        var unsecured = await this.SignInAsync("nofactor@market.test");
        (await unsecured.GetAsync("/Moderation/Takedown")).Headers.Location!.OriginalString.ShouldBe("/Identity/Account/Manage/EnableAuthenticator");

        var moderator = await this.SignInAsync("mo@market.test", await App.CreateStaffAsync("mo@market.test", Roles.Moderator));
        (await moderator.PageAsync("/Moderation/Takedown?WorkId=not-an-id")).Errors().ShouldContain("A work id looks like");
        (await moderator.PageAsync($"/Moderation/Takedown?WorkId={Guid.NewGuid()}")).Errors().ShouldContain("There is no work with that id.");
        (await moderator.PostWithTokenAsync("/Moderation/Takedown", "/Moderation/Takedown",
            new Dictionary<string, string> { ["WorkId"] = Guid.NewGuid().ToString(), ["Reason"] = "Theft" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var noReason = await moderator.SubmitAsync($"/Moderation/Takedown?WorkId={work}", new Dictionary<string, string> { ["Reason"] = "  " });
        noReason.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(noReason)).Errors().ShouldContain("Give the reason for the takedown");
        var forged = await moderator.Http.PostAsync("/Moderation/Takedown", new FormUrlEncodedContent(fields));
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a post without the antiforgery token");

        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.Listed);
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.WorkTakenDown || n.Kind == NotificationKind.WorkRecalled))).ShouldBe(0);
        (await buyer.GetAsync($"/Catalog/Details/{work}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
