using System.Net;
using Market.Billing.Reports;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Moderation;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Identity;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>Ownership claims through the pages: filing holds the work and its royalties; a moderator upholds or rejects.</summary>
public sealed class ClaimTests(MarketAppFactory app) : IntegrationTest(app)
{
    private const long Royalty = 3_920; // 49.00 EUR less the 20 % fee
    private const string Statement = "I shot this photograph in Lisbon in 2019 and never licensed it to anyone.";

    private Task<string> UserIdAsync(string email) => Db(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private async Task<PayeeBalance> BalanceAsync(string payeeId) =>
        (await App.PayeeBalancesAsync()).SingleOrDefault(b => b.PayeeId == payeeId) ?? new PayeeBalance(payeeId, "EUR", 0, 0, 0);

    /// <summary>A verified address without the round trip (see <see cref="A_self_registered_account_verifies_its_address_through_the_account_page_and_can_then_file"/>).</summary>
    private Task ConfirmEmailAsync(string email) =>
        Db(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmed, true)));

    private async Task<WebSession> ClaimantAsync(string email, string name = "Real Author")
    {
        var session = await this.SignUpCreatorAsync(email, name);
        await ConfirmEmailAsync(email);
        return session;
    }

    private static async Task<HttpResponseMessage> FileAsync(WebSession claimant, Guid workId, string urls = "https://portfolio.example/lisbon\nhttp://archive.example/2019") =>
        await claimant.SubmitAsync($"/Claims/File/{workId}", new Dictionary<string, string>
        {
            ["Statement"] = Statement, ["EvidenceText"] = "First published on my portfolio in May 2019; RAW files available.", ["EvidenceUrls"] = urls,
        });

    private static async Task<Guid> FiledAsync(WebSession claimant, Guid workId)
    {
        var response = await FileAsync(claimant, workId);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);
    }

    private static async Task DecideAsync(WebSession moderator, Guid claimId, string handler, string reason)
    {
        var response = await moderator.SubmitAsync($"/Claims/Review/{claimId}", new Dictionary<string, string> { ["Reason"] = reason }, handler);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
    }

    private async Task<WebSession> ModeratorAsync() =>
        await this.SignInAsync("mo@market.test", await App.CreateStaffAsync("mo@market.test", Roles.Moderator));

    private Task<List<string>> AuditAsync(Guid claimId) =>
        Db(db => db.AuditEntries.Where(a => a.Subject == AuditSubject.Claim && a.SubjectId == claimId).OrderBy(a => a.At).Select(a => a.Action).ToListAsync());

    [Fact]
    public async Task An_upheld_claim_takes_the_work_down_recalls_its_licenses_pays_the_owner_and_sanctions_the_uploader()
    {
        var uploader = await this.SignUpCreatorAsync("up@example.test", "Quick Copier");
        var uploaderId = await UserIdAsync("up@example.test");
        var work = await uploader.ListAsync(App, "Lisbon rooftops");
        var second = await uploader.ListAsync(App, "Lisbon tram", image: CreatorSteps.Jpeg(5));
        var licensee = await this.SignUpBuyerAsync("bo@lab.test", "Lab One");
        await licensee.BuyAsync(work);
        // A buyer who put the work in a bundle before the claim cannot buy it while it is held.
        var late = await this.SignUpBuyerAsync("late@lab.test", "Lab Two");
        await late.AddToBundleAsync(work);
        (await BalanceAsync(uploaderId)).PendingMinor.ShouldBe(Royalty);

        var claimant = await ClaimantAsync("owner@example.test");
        var ownerId = await UserIdAsync("owner@example.test");
        (await claimant.PageAsync($"/Claims/File/{work}")).Text("h1").ShouldContain("Lisbon rooftops");
        var claimId = await FiledAsync(claimant, work);

        // Held: out of the catalog, not purchasable, its royalties held; the license already sold keeps running.
        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.Held);
        (await licensee.GetAsync($"/Catalog/Details/{work}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await late.CheckoutAsync()).StatusCode.ShouldBe(HttpStatusCode.OK, "the bundle page answers with an error instead of a payment");
        (await BalanceAsync(uploaderId)).ShouldBe(new PayeeBalance(uploaderId, "EUR", 0, 0, Royalty));
        (await Db(db => db.Set<LicenseItem>().SingleAsync(i => i.WorkId == work))).RecalledAt.ShouldBeNull();
        (await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.ClaimFiled))).UserId.ShouldBe(uploaderId);
        (await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.ClaimReceived))).UserId.ShouldBe(ownerId);

        // The uploader sees the claim without the claimant's address, and answers it.
        var seen = await uploader.PageAsync($"/Claims/Details/{claimId}");
        seen.Text("[data-testid=statement]").ShouldBe(Statement);
        seen.Body!.TextContent.ShouldNotContain("owner@example.test");
        var answer = await uploader.SubmitAsync($"/Claims/Details/{claimId}", new Dictionary<string, string> { ["CounterStatement"] = "I bought it." }, "Counter");
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(answer)).Errors());

        var moderator = await ModeratorAsync();
        (await moderator.PageAsync("/Claims/Queue")).QuerySelectorAll("[data-testid=claim]").Length.ShouldBe(1);
        var review = await moderator.PageAsync($"/Claims/Review/{claimId}");
        review.Text("[data-testid=sales]").ShouldBe("1");
        review.Text("[data-testid=strikes]").ShouldBe("none");
        review.Text("[data-testid=audit]").ShouldContain("claim.answered");
        await DecideAsync(moderator, claimId, "Uphold", "The RAW files and the 2019 publication prove ownership.");

        (await Db(db => db.Claims.SingleAsync(c => c.Id == claimId))).State.ShouldBe(ClaimState.Upheld);
        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.TakenDown);
        (await Db(db => db.Set<LicenseItem>().SingleAsync(i => i.WorkId == work))).RecalledAt.ShouldNotBeNull("the licensee is told to stop using it");
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.WorkRecalled))).ShouldBe(1);
        (await BalanceAsync(ownerId)).PendingMinor.ShouldBe(Royalty, "the held royalty goes to the proven owner");
        (await BalanceAsync(uploaderId)).ShouldBe(new PayeeBalance(uploaderId, "EUR", 0, 0, 0));
        var decided = await Db(db => db.Notifications.Where(n => n.Kind == NotificationKind.ClaimDecided).Select(n => n.UserId).ToListAsync());
        decided.ShouldBe([ownerId, uploaderId], ignoreOrder: true);
        var strike = await Db(db => db.Sanctions.SingleAsync());
        (strike.UserId, strike.ClaimId, strike.Kind).ShouldBe((uploaderId, claimId, SanctionKind.Warning));
        (await AuditAsync(claimId)).ShouldBe(["claim.filed", "work.held", "claim.answered", "claim.upheld", "work.taken-down", "royalties.redirected", "sanction.applied", "creator.recheck-queued"]);
        // Deciding twice changes nothing.
        var again = await moderator.PostWithTokenAsync($"/Claims/Review/{claimId}?handler=Reject", $"/Claims/Review/{claimId}", new() { ["Reason"] = "Oops." });
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(again)).Errors().ShouldContain("already upheld");
        (await Db(db => db.Claims.SingleAsync(c => c.Id == claimId))).State.ShouldBe(ClaimState.Upheld);

        // A second upheld claim suspends the uploader's uploads.
        var secondClaim = await FiledAsync(claimant, second);
        (await moderator.PageAsync($"/Claims/Review/{secondClaim}")).Text("[data-testid=strikes]").ShouldContain("Warning");
        await DecideAsync(moderator, secondClaim, "Uphold", "Same series, same proof.");
        (await Db(db => db.Sanctions.SingleAsync(s => s.ClaimId == secondClaim))).Kind.ShouldBe(SanctionKind.UploadsSuspended);
        var (status, results) = await uploader.UploadFilesAsync((CreatorSteps.Jpeg(9), "new.jpg", "image/jpeg"));
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        results.ShouldHaveSingleItem().Error!.ShouldContain("suspended until");
        (await Db(db => db.Works.CountAsync(w => w.CreatorId == uploaderId))).ShouldBe(2);
        (await uploader.PageAsync("/Claims")).Text("[data-testid=sanctions]").ShouldContain("Second strike");
    }

    [Fact]
    public async Task A_rejected_claim_releases_the_work_once_no_other_claim_holds_it_and_tells_both_parties()
    {
        var uploader = await this.SignUpCreatorAsync("up@example.test", "Honest Uploader");
        var uploaderId = await UserIdAsync("up@example.test");
        var work = await uploader.ListAsync(App, "Harbour");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab One");
        await buyer.BuyAsync(work);

        var first = await ClaimantAsync("first@example.test", "First Claimant");
        var firstId = await UserIdAsync("first@example.test");
        var firstClaim = await FiledAsync(first, work);
        var other = await ClaimantAsync("second@example.test", "Second Claimant");
        var secondClaim = await FiledAsync(other, work);
        var claims = await Db(db => db.Claims.OrderBy(c => c.FiledAt).ToListAsync());
        claims.Select(c => c.HoldId).ShouldBe([firstClaim, firstClaim], "the work is held once, under the first claim");
        (await BalanceAsync(uploaderId)).HeldMinor.ShouldBe(Royalty);

        var moderator = await ModeratorAsync();
        await DecideAsync(moderator, firstClaim, "Reject", "The portfolio link was published after the upload.");
        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.Held, "the second claim still holds it");
        (await BalanceAsync(uploaderId)).HeldMinor.ShouldBe(Royalty);
        (await AuditAsync(firstClaim)).ShouldBe(["claim.filed", "work.held", "claim.rejected", "work.still-held"]);

        await DecideAsync(moderator, secondClaim, "Reject", "No evidence of earlier publication.");
        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.Listed);
        (await buyer.GetAsync($"/Catalog/Details/{work}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await BalanceAsync(uploaderId)).ShouldBe(new PayeeBalance(uploaderId, "EUR", Royalty, 0, 0));
        (await AuditAsync(secondClaim)).ShouldBe(["claim.filed", "work.held", "claim.rejected", "work.released"]);
        var told = await Db(db => db.Notifications.Where(n => n.Kind == NotificationKind.ClaimDecided).Select(n => n.UserId).ToListAsync());
        told.Count(u => u == uploaderId).ShouldBe(2);
        told.ShouldContain(firstId);
        (await Db(db => db.Sanctions.AnyAsync())).ShouldBeFalse();
        (await first.PageAsync($"/Claims/Details/{firstClaim}")).Text("[data-testid=reason]").ShouldBe("The portfolio link was published after the upload.");
    }

    [Fact]
    public async Task Bad_claims_and_strangers_change_nothing()
    {
        var uploader = await this.SignUpCreatorAsync("up@example.test");
        var work = await uploader.ListAsync(App, "Harbour");
        var draft = await uploader.UploadAsync("Unlisted draft", CreatorSteps.Jpeg(3));
        await ConfirmEmailAsync("up@example.test");

        // Own work, unlisted work, unknown id.
        var own = await FileAsync(uploader, work);
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(own)).Errors().ShouldContain("you cannot claim it");
        var claimant = await ClaimantAsync("owner@example.test");
        (await claimant.GetAsync($"/Claims/File/{draft}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await claimant.GetAsync($"/Claims/File/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await claimant.PostWithTokenAsync($"/Claims/File/{draft}", $"/Claims/File/{work}",
            new() { ["Statement"] = Statement, ["EvidenceText"] = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // A link that is not a web address, and an unverified address.
        var badLink = await FileAsync(claimant, work, urls: "javascript:alert(1)");
        (await WebSession.ParseAsync(badLink)).Errors().ShouldContain("not a web address");
        var unverified = await this.SignUpCreatorAsync("new@example.test");
        (await WebSession.ParseAsync(await FileAsync(unverified, work))).Errors().ShouldContain("Verify your e-mail");
        (await Db(db => db.Claims.AnyAsync())).ShouldBeFalse();
        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.Listed);

        var claimId = await FiledAsync(claimant, work);
        (await WebSession.ParseAsync(await FileAsync(claimant, work))).Errors().ShouldContain("already have an open claim");

        // Someone else's claim by its id: not found, for reading and for acting.
        var stranger = await ClaimantAsync("stranger@example.test", "Stranger");
        (await stranger.GetAsync($"/Claims/Details/{claimId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PageAsync("/Claims")).QuerySelectorAll("[data-testid=claim]").ShouldBeEmpty();
        (await stranger.PostWithTokenAsync($"/Claims/Details/{claimId}?handler=Withdraw", "/Claims")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await uploader.PostWithTokenAsync($"/Claims/Details/{claimId}?handler=Withdraw", "/Claims")).StatusCode.ShouldBe(HttpStatusCode.NotFound,
            "only the claimant withdraws");
        (await claimant.PostWithTokenAsync($"/Claims/Details/{claimId}?handler=Counter", "/Claims", new() { ["CounterStatement"] = "x" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound, "only the uploader answers");

        // Deciding is for moderators only (with two-factor), whoever else asks.
        foreach (var notModerator in new[] { claimant, uploader, stranger })
        {
            (await notModerator.GetAsync($"/Claims/Review/{claimId}")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
            (await notModerator.GetAsync("/Claims/Queue")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
            var post = await notModerator.PostWithTokenAsync($"/Claims/Review/{claimId}?handler=Uphold", "/Claims", new() { ["Reason"] = "mine" });
            post.StatusCode.ShouldNotBe(HttpStatusCode.OK);
            (post.Headers.Location?.OriginalString ?? "").ShouldNotStartWith("/Claims/Review");
        }
        var moderator = await ModeratorAsync();
        (await moderator.GetAsync($"/Claims/Review/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var noReason = await moderator.SubmitAsync($"/Claims/Review/{claimId}", new Dictionary<string, string> { ["Reason"] = " " }, "Reject");
        (await WebSession.ParseAsync(noReason)).Errors().ShouldContain("Give the reason");
        (await Db(db => db.Claims.SingleAsync())).State.ShouldBe(ClaimState.Open);
        (await Db(db => db.Sanctions.AnyAsync())).ShouldBeFalse();

        // The claimant withdraws: the work is back, and every step is on the trail.
        var withdrawn = await claimant.SubmitAsync($"/Claims/Details/{claimId}", new Dictionary<string, string>(), "Withdraw");
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(withdrawn)).Errors());
        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.Listed);
        (await AuditAsync(claimId)).ShouldBe(["claim.filed", "work.held", "claim.withdrawn", "work.released"]);
        (await Db(db => db.AuditEntries.CountAsync())).ShouldBe(4, "refused attempts leave no entry");
    }

    [Fact]
    public async Task A_self_registered_account_verifies_its_address_through_the_account_page_and_can_then_file()
    {
        var uploader = await this.SignUpCreatorAsync("up@example.test", "Up Loader");
        var work = await uploader.ListAsync(App, "Lisbon rooftops");
        var claimant = await this.SignUpCreatorAsync("new@example.test", "New Person");
        (await WebSession.ParseAsync(await FileAsync(claimant, work))).Errors().ShouldContain("send yourself the verification e-mail");

        // ASP.NET Core Identity's own account page sends the verification e-mail through our outbox.
        // (Its button posts through formaction; the page's model validates the e-mail field on every handler.)
        (await claimant.PostWithTokenAsync("/Identity/Account/Manage/Email?handler=SendVerificationEmail", "/Identity/Account/Manage/Email",
            new() { ["Input.NewEmail"] = "new@example.test" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var mail = await App.WaitForMailAsync("new@example.test", "Confirm your email");
        var link = Mailbox.LinkIn(mail, "/Identity/Account/ConfirmEmail");
        (await claimant.GetAsync(link)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Db(db => db.Users.SingleAsync(u => u.Email == "new@example.test"))).EmailConfirmed.ShouldBeTrue();

        await FiledAsync(claimant, work);
        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.Held);
    }
}
