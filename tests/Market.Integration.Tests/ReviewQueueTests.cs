using Market.Domain.Detection;
using System.Net;
using Market.Domain.Catalog;
using Market.Domain.Moderation;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Identity;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>
/// The upload scan's decision (issue 6) and the moderators' review queue: near copies of another account's work are
/// quarantined, never listed, and decided by a moderator who sees both images side by side.
/// </summary>
public sealed class ReviewQueueTests(MarketAppFactory app) : IntegrationTest(app)
{
    private async Task<(WebSession Ana, Guid Original, WebSession Ben, Guid Copy, ReviewCase Case)> QuarantinedCopyAsync()
    {
        var ana = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var original = await ana.ListAsync(App, "Grid at noon", image: CreatorSteps.Jpeg(2));
        var ben = await this.SignUpCreatorAsync("ben@example.test", "Ben Ortiz");
        var (copy, state) = await ben.SubmitAsync(App, "My grid", ReviewSteps.ReEncodedCopy());
        state.ShouldBe(WorkState.Quarantined);
        var review = await Db(db => db.ReviewCases.SingleAsync());
        return (ana, original, ben, copy, review);
    }

    private async Task<WebSession> ModeratorAsync() =>
        await this.SignInAsync("mo@market.test", await App.CreateStaffAsync("mo@market.test", Roles.Moderator));

    [Fact]
    public async Task A_resized_re_encoded_copy_of_another_creator_s_work_is_quarantined_never_listed_and_queued_with_both_images()
    {
        var (_, original, ben, copy, review) = await QuarantinedCopyAsync();

        var work = await Db(db => db.Works.SingleAsync(w => w.Id == copy));
        work.Sha256.ShouldNotBe((await Db(db => db.Works.SingleAsync(w => w.Id == original))).Sha256, "a near copy, not the same bytes");
        work.ListedAt.ShouldBeNull();
        review.Kind.ShouldBe(ReviewCaseKind.WorkMatch);
        review.TargetId.ShouldBe(original);
        review.State.ShouldBe(ReviewCaseState.Open);
        review.Distance!.Value.ShouldBeInRange(0, PdqHash.MatchThreshold);
        review.Edit.ShouldBe("near-identical", "a resized, re-encoded copy needs no edit undone");
        (await Db(db => db.AuditEntries.SingleAsync(a => a.SubjectId == review.Id))).Action.ShouldBe("work.quarantined");

        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        (await buyer.GetAsync($"/Catalog/Details/{copy}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await buyer.PageAsync("/Catalog")).Text("body").ShouldNotContain("My grid");
        (await buyer.GetAsync($"/previews/{copy}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a quarantined preview is not public");
        (await ben.PageAsync($"/Works/Details/{copy}")).Text("[data-testid=state]").ShouldBe("under review");
        (await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.WorkScanned && n.Subject.Contains("My grid"))))
            .Subject.ShouldBe("“My grid” is waiting for a moderator");

        var moderator = await ModeratorAsync();
        var queue = await moderator.PageAsync("/Moderation/Review");
        queue.Text("[data-testid=open-cases]").ShouldBe("1");
        var row = queue.QuerySelector("[data-testid=case]")!.TextContent;
        row.ShouldContain("My grid");
        row.ShouldContain("Ben Ortiz");
        row.ShouldContain("work “Grid at noon”");

        var page = await moderator.PageAsync($"/Moderation/Review/{review.Id}");
        page.Text("[data-testid=upload-title]").ShouldBe("My grid");
        page.Text("[data-testid=target-title]").ShouldBe("Grid at noon");
        page.Text("[data-testid=upload-owner]").ShouldBe("Ben Ortiz <ben@example.test>");
        page.Text("[data-testid=target-owner]").ShouldBe("Ana Lima <ana@example.test>");
        page.Text("[data-testid=distance]").ShouldBe($"{review.Distance} bits");
        page.Text("[data-testid=edit]").ShouldBe("near-identical");
        page.Text("[data-testid=history]").ShouldContain("work.quarantined");
        foreach (var side in new[] { "upload", "target" })
        {
            var src = page.QuerySelector($"[data-testid={side}-image]")!.GetAttribute("src")!;
            var image = await moderator.GetAsync(src);
            image.StatusCode.ShouldBe(HttpStatusCode.OK);
            image.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
            (await image.Content.ReadAsByteArrayAsync())[..2].ShouldBe(new byte[] { 0xFF, 0xD8 });
        }
        (await moderator.GetAsync($"/Moderation/Review/{review.Id}?handler=Image&side=other")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await moderator.GetAsync($"/Moderation/Review/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Clearing_the_only_case_lists_the_work_and_tells_its_creator()
    {
        var (_, _, ben, copy, review) = await QuarantinedCopyAsync();
        var moderator = await ModeratorAsync();

        var response = await moderator.SubmitAsync($"/Moderation/Review/{review.Id}", new Dictionary<string, string> { ["Note"] = "Same studio, licensed." }, handler: "Clear");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());

        var work = await Db(db => db.Works.SingleAsync(w => w.Id == copy));
        work.State.ShouldBe(WorkState.Listed);
        work.ListedAt.ShouldNotBeNull();
        var decided = await Db(db => db.ReviewCases.SingleAsync());
        decided.State.ShouldBe(ReviewCaseState.Cleared);
        decided.Note.ShouldBe("Same studio, licensed.");
        (await Db(db => db.AuditEntries.Where(a => a.SubjectId == review.Id).OrderBy(a => a.At).Select(a => a.Action).ToListAsync()))
            .ShouldBe(["work.quarantined", "case.cleared"]);
        (await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.ReviewDecided))).Subject.ShouldBe("“My grid” is listed");
        (await ben.GetAsync($"/Catalog/Details/{copy}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await moderator.PageAsync("/Moderation/Review")).Text("[data-testid=empty]").ShouldBe("No open cases.");

        var again = await moderator.PostWithTokenAsync($"/Moderation/Review/{review.Id}?handler=Confirm", $"/Moderation/Review/{review.Id}",
            new Dictionary<string, string> { ["Note"] = "Changed my mind" });
        (await WebSession.ParseAsync(again)).Errors().ShouldContain("This case was decided already (cleared).");
        (await Db(db => db.Works.SingleAsync(w => w.Id == copy))).State.ShouldBe(WorkState.Listed);
    }

    [Fact]
    public async Task Confirming_refuses_the_work_with_the_reason_tells_the_creator_how_to_appeal_and_tells_the_owner()
    {
        var (_, original, _, copy, review) = await QuarantinedCopyAsync();
        var moderator = await ModeratorAsync();

        var noReason = await moderator.SubmitAsync($"/Moderation/Review/{review.Id}", new Dictionary<string, string> { ["Note"] = " " }, handler: "Confirm");
        (await WebSession.ParseAsync(noReason)).Errors().ShouldContain("Give the reason for confirming the copy");
        (await Db(db => db.Works.SingleAsync(w => w.Id == copy))).State.ShouldBe(WorkState.Quarantined);
        (await Db(db => db.ReviewCases.SingleAsync())).State.ShouldBe(ReviewCaseState.Open);

        var response = await moderator.SubmitAsync($"/Moderation/Review/{review.Id}",
            new Dictionary<string, string> { ["Note"] = "The grid is Ana Lima's, posted in 2024." }, handler: "Confirm");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());

        var work = await Db(db => db.Works.SingleAsync(w => w.Id == copy));
        work.State.ShouldBe(WorkState.Rejected);
        work.ListedAt.ShouldBeNull();
        work.RejectionReason.ShouldBe("A moderator found that this file copies “Grid at noon”, a work another account holds: The grid is Ana Lima's, posted in 2024.");
        var told = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.ReviewDecided));
        told.Subject.ShouldBe("“My grid” was refused by a moderator");
        told.Body.ShouldContain("you can appeal");
        told.Body.ShouldContain(review.Id.ToString());
        var owner = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.CopyRefused));
        owner.UserId.ShouldBe(await Db(db => db.Works.Where(w => w.Id == original).Select(w => w.CreatorId).SingleAsync()));
        owner.Body.ShouldContain("“Grid at noon”");
        (await Db(db => db.AuditEntries.CountAsync(a => a.Action == "case.confirmed" && a.WorkId == copy))).ShouldBe(1);
        (await moderator.PageAsync($"/Moderation/Review/{review.Id}")).Text("[data-testid=decision]").ShouldContain("Confirmed");
    }

    [Fact]
    public async Task Nobody_but_a_moderator_with_two_factor_sees_the_queue_a_case_or_its_images_or_decides()
    {
        var (ana, _, ben, copy, review) = await QuarantinedCopyAsync();
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        var admin = await this.SignInAsync("ad@market.test", await App.CreateStaffAsync("ad@market.test", Roles.Admin));
        var urls = new[] { "/Moderation/Review", $"/Moderation/Review/{review.Id}", $"/Moderation/Review/{review.Id}?handler=Image&side=upload", "/Moderation/Registrants" };
        foreach (var outsider in new[] { ana, ben, buyer, admin })
        {
            foreach (var url in urls)
                (await outsider.GetAsync(url)).Headers.Location!.OriginalString.ShouldContain("AccessDenied", customMessage: url);
            (await outsider.PostWithTokenAsync($"/Moderation/Review/{review.Id}?handler=Clear", "/Catalog", new Dictionary<string, string>()))
                .Headers.Location!.OriginalString.ShouldContain("AccessDenied");
        }
        (await NewSession().GetAsync("/Moderation/Review")).Headers.Location!.OriginalString.ShouldContain("/Identity/Account/Login");
        await App.CreateStaffAsync("nofactor@market.test", Roles.Moderator, twoFactor: false);
        (await (await this.SignInAsync("nofactor@market.test")).GetAsync($"/Moderation/Review/{review.Id}")).Headers.Location!.OriginalString
            .ShouldBe("/Identity/Account/Manage/EnableAuthenticator");
        var forged = await (await ModeratorAsync()).Http.PostAsync($"/Moderation/Review/{review.Id}?handler=Clear", new FormUrlEncodedContent(new Dictionary<string, string>()));
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a post without the antiforgery token");

        (await Db(db => db.Works.SingleAsync(w => w.Id == copy))).State.ShouldBe(WorkState.Quarantined);
        (await Db(db => db.ReviewCases.SingleAsync())).State.ShouldBe(ReviewCaseState.Open);
    }

    [Fact]
    public async Task An_exact_copy_of_one_s_own_listed_work_is_refused_with_a_message_naming_it_and_opens_no_case()
    {
        var ana = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        await ana.ListAsync(App, "Rings", image: CreatorSteps.Jpeg(1));
        var (again, state) = await ana.SubmitAsync(App, "Rings again", CreatorSteps.Jpeg(1));

        state.ShouldBe(WorkState.Rejected);
        (await Db(db => db.Works.SingleAsync(w => w.Id == again))).RejectionReason
            .ShouldBe("This file is an exact copy of your work \"Rings\", which is already listed.");
        (await Db(db => db.Notifications.SingleAsync(n => n.Subject == "“Rings again” was not listed")))
            .Body.ShouldBe("This file is an exact copy of your work \"Rings\", which is already listed.");
        (await Db(db => db.ReviewCases.CountAsync())).ShouldBe(0);
        (await Db(db => db.AuditEntries.SingleAsync(a => a.WorkId == again))).Action.ShouldBe("scan.refused");
    }

    [Fact]
    public async Task A_near_copy_of_one_s_own_work_is_listed_and_the_match_noted()
    {
        var ana = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var first = await ana.ListAsync(App, "Grid", image: CreatorSteps.Jpeg(2));
        var (second, state) = await ana.SubmitAsync(App, "Grid, smaller", ReviewSteps.ReEncodedCopy());
        state.ShouldBe(WorkState.Listed);
        (await Db(db => db.ReviewCases.CountAsync())).ShouldBe(0);
        (await Db(db => db.AuditEntries.SingleAsync(a => a.WorkId == second && a.Action == "scan.noted"))).Detail.ShouldContain(first.ToString());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    public async Task A_file_damaged_in_storage_after_the_upload_checks_is_refused_with_a_clear_failure_and_never_listed(string damage)
    {
        var ana = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await ana.UploadAsync("Broken", CreatorSteps.Jpeg(2));
        await ana.ConsentAsync(id);
        await ana.OfferAsync(id);
        var key = await Db(db => db.Works.Where(w => w.Id == id).Select(w => w.OriginalKey).SingleAsync());
        var path = Path.Combine(App.StorageRoot, key);
        File.Exists(path).ShouldBeTrue();
        await File.WriteAllBytesAsync(path, damage == "garbage"
            ? "this is not an image at all, just text that was written over it"u8.ToArray()
            : CreatorSteps.Jpeg(2)[..120]);

        await ana.SubmitAsync(id);

        (await App.ScannedStateAsync(id)).ShouldBe(WorkState.Rejected);
        var work = await Db(db => db.Works.SingleAsync(w => w.Id == id));
        work.RejectionReason.ShouldBe("The file could not be decoded. Upload it again, or export it anew from your editing software.");
        work.ListedAt.ShouldBeNull();
        work.PreviewKey.ShouldBeNull();
        (await Db(db => db.AuditEntries.SingleAsync(a => a.WorkId == id))).Action.ShouldBe("scan.failed");
        (await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.WorkScanned))).Subject.ShouldBe("“Broken” was not listed");
        (await ana.GetAsync($"/Catalog/Details/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
