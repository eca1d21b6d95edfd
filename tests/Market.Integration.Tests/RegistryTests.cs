using System.Net;
using Market.Domain.Catalog;
using Market.Domain.Moderation;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Identity;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>
/// The protected-works registry: a rights holder with no account applies, verifies their address by the e-mailed link,
/// is approved by a moderator, registers works by hash or by upload, and later uploads of those works are quarantined.
/// </summary>
public sealed partial class RegistryTests(MarketAppFactory app) : IntegrationTest(app)
{
    private const string HashA = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    // HashA with its last 5 bits flipped: within PDQ's threshold of 31.
    private const string NearA = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b3d";
    private const string HashB = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";

    // The mail folder outlives each test's database reset: fresh addresses keep an earlier test's link out of this one.
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private string Mei => $"mei.{_run}@studio-chen.test";
    private string Olu => $"olu.{_run}@archive.test";
    private string Zed => $"zed.{_run}@else.test";

    private async Task<WebSession> ModeratorAsync() =>
        await this.SignInAsync("mo@market.test", await App.CreateStaffAsync("mo@market.test", Roles.Moderator));

    private static Dictionary<string, string> Application(string email, string? name = "Mei Chen") => new()
    {
        ["DisplayName"] = name ?? "", ["Password"] = People.Password, ["LegalName"] = "Mei Chen", ["Email"] = email,
        ["Organisation"] = "Studio Chen", ["Statement"] = "I painted the harbour series (2019–2024).", ["EvidenceUrl"] = "https://studio-chen.test/about",
    };

    /// <summary>Applies with no account, as the page offers; returns the signed-in session.</summary>
    private async Task<WebSession> ApplyAsync(string email)
    {
        var session = NewSession();
        var response = await session.SubmitAsync("/Registry/Apply", Application(email));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
        response.Headers.Location!.OriginalString.ShouldBe("/Registry");
        return session;
    }

    private async Task VerifyAsync(WebSession session, string email)
    {
        var mail = await App.WaitForMailAsync(email, "Verify your e-mail address for the protected-works registry");
        var link = Mailbox.LinkIn(mail, "/Registry/Verify");
        var verified = await WebSession.ParseAsync(await NewSession().SubmitAsync(link, new Dictionary<string, string>()));
        verified.Text("[data-testid=verified]").ShouldContain("verified");
    }

    private async Task<WebSession> ApprovedRegistrantAsync(string email, WebSession moderator)
    {
        var session = await ApplyAsync(email);
        await VerifyAsync(session, email);
        var id = await Db(db => db.Registrants.Where(r => r.Email == email).Select(r => r.Id).SingleAsync());
        var approve = await moderator.SubmitAsync("/Moderation/Registrants", new Dictionary<string, string> { ["RegistrantId"] = id.ToString() }, handler: "Approve");
        approve.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(approve)).Errors());
        return session;
    }

    [Fact]
    public async Task A_rights_holder_without_an_account_applies_verifies_by_link_is_approved_and_registers_hashes_each_step_audited()
    {
        var holder = await ApplyAsync(Mei);
        var user = await Db(db => db.Users.SingleAsync(u => u.Email == Mei));
        (await Db(db => db.UserRoles.CountAsync(r => r.UserId == user.Id))).ShouldBe(0, "a plain account: neither creator nor buyer");
        (await holder.PageAsync("/Registry")).Text("[data-testid=standing]").ShouldContain("Waiting for you to verify your e-mail address");

        // Not verified: no registering, and no moderator can approve yet.
        (await holder.PageAsync("/Registry/Entries")).Text("[data-testid=standing]").ShouldContain("Verify your e-mail address first");
        var early = await holder.PostWithTokenAsync("/Registry/Entries?handler=Hashes", "/Registry/Entries", new Dictionary<string, string> { ["Lines"] = $"{HashA} Harbour" });
        (await WebSession.ParseAsync(early)).Errors().ShouldContain("Verify your e-mail address first");
        var moderator = await ModeratorAsync();
        var registrantId = await Db(db => db.Registrants.Select(r => r.Id).SingleAsync());
        var tooSoon = await moderator.SubmitAsync("/Moderation/Registrants", new Dictionary<string, string> { ["RegistrantId"] = registrantId.ToString() }, handler: "Approve");
        (await WebSession.ParseAsync(tooSoon)).Errors().ShouldContain("has not verified their e-mail address yet");

        // A damaged link verifies nothing.
        var mail = await App.WaitForMailAsync(Mei, "Verify your e-mail address");
        var link = Mailbox.LinkIn(mail, "/Registry/Verify");
        var forged = await NewSession().SubmitAsync(link[..^4] + "AAAA", new Dictionary<string, string>());
        (await WebSession.ParseAsync(forged)).Errors().ShouldContain("This link is not valid or has expired");
        (await Db(db => db.Registrants.SingleAsync())).EmailVerified.ShouldBeFalse();

        await VerifyAsync(holder, Mei);
        (await holder.PageAsync("/Registry/Entries")).Text("[data-testid=standing]").ShouldContain("not approved your application yet");
        var unapproved = await holder.PostWithTokenAsync("/Registry/Entries?handler=Hashes", "/Registry/Entries", new Dictionary<string, string> { ["Lines"] = $"{HashA} Harbour" });
        (await WebSession.ParseAsync(unapproved)).Errors().ShouldContain("not approved your application yet");
        (await Db(db => db.ProtectedWorks.CountAsync())).ShouldBe(0);

        var listed = await moderator.PageAsync("/Moderation/Registrants");
        listed.Text("[data-testid=verified]").ShouldBe("e-mail verified");
        var approve = await moderator.SubmitAsync("/Moderation/Registrants", new Dictionary<string, string> { ["RegistrantId"] = registrantId.ToString() }, handler: "Approve");
        approve.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(approve)).Errors());
        (await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.RegistrantDecided))).UserId.ShouldBe(user.Id);

        // Any bad line: every one reported by number, nothing registered.
        var bad = await holder.SubmitAsync("/Registry/Entries", new Dictionary<string, string>
        {
            ["Lines"] = $"hash_hex,quality,file\n{HashA},100,harbour.jpg\n{HashB},20,flat.png\nnot-a-hash,90,x.jpg",
        }, handler: "Hashes");
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        var errors = (await WebSession.ParseAsync(bad)).QuerySelectorAll("[data-testid=line-errors] li").Select(e => e.TextContent).ToList();
        errors.Count.ShouldBe(2);
        errors[0].ShouldStartWith("Line 3: Quality 20 is below 50");
        errors[1].ShouldStartWith("Line 4: \"not-a-hash\" is not a PDQ hash");
        (await Db(db => db.ProtectedWorks.CountAsync())).ShouldBe(0);

        var good = await holder.SubmitAsync("/Registry/Entries", new Dictionary<string, string>
        {
            ["Lines"] = $"hash_hex,quality,file\n{HashA},100,harbour.jpg\n{HashB.ToUpperInvariant()} Fields in May",
        }, handler: "Hashes");
        good.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(good)).Errors());
        var entries = await Db(db => db.ProtectedWorks.OrderBy(p => p.Label).ToListAsync());
        entries.Select(e => (e.Label, e.PerceptualHash, e.Quality, e.Source, e.ImageKey)).ShouldBe([
            ("Fields in May", HashB, (int?)null, ProtectedWorkSource.Hashes, (string?)null),
            ("harbour.jpg", HashA, 100, ProtectedWorkSource.Hashes, null)]);
        (await holder.PageAsync("/Registry/Entries")).QuerySelectorAll("[data-testid=entry]").Length.ShouldBe(2);

        (await Db(db => db.AuditEntries.Where(a => a.Subject == AuditSubject.Registrant).OrderBy(a => a.At).Select(a => a.Action).ToListAsync()))
            .ShouldBe(["registrant.applied", "registrant.verified", "registrant.approved"]);
        (await Db(db => db.AuditEntries.CountAsync(a => a.Action == "entry.registered"))).ShouldBe(2);
    }

    [Fact]
    public async Task A_hash_only_entry_quarantines_a_later_upload_whose_scan_hash_is_near_it_and_the_case_says_no_image_is_held()
    {
        var moderator = await ModeratorAsync();
        var holder = await ApprovedRegistrantAsync(Mei, moderator);
        (await holder.SubmitAsync("/Registry/Entries", new Dictionary<string, string> { ["Lines"] = $"{HashA},98,harbour.jpg" }, handler: "Hashes"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var ben = await this.SignUpCreatorAsync("ben@example.test", "Ben Ortiz");
        var id = await ben.UploadAsync("Harbour (mine, honestly)", CreatorSteps.Jpeg(1));
        await ben.ConsentAsync(id);
        await ben.OfferAsync(id);
        // The scan's hash of this upload, as PDQ will compute it: 5 bits from the registered hash.
        (await App.ScanWithHashAsync(id, NearA)).ShouldBe(WorkState.Quarantined);

        var review = await Db(db => db.ReviewCases.SingleAsync());
        review.Kind.ShouldBe(ReviewCaseKind.ProtectedWorkMatch);
        review.Distance.ShouldBe(5);
        review.TargetId.ShouldBe(await Db(db => db.ProtectedWorks.Select(p => p.Id).SingleAsync()));
        var page = await moderator.PageAsync($"/Moderation/Review/{review.Id}");
        page.Text("[data-testid=target-no-image]").ShouldStartWith("No image is held");
        page.Text("[data-testid=target-title]").ShouldBe("harbour.jpg");
        page.Text("[data-testid=target-owner]").ShouldBe($"Mei Chen (Studio Chen) <{Mei}>");
        (await moderator.GetAsync($"/Moderation/Review/{review.Id}?handler=Image&side=target")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Far from every entry: listed.
        var other = await ben.UploadAsync("Something else", CreatorSteps.Jpeg(2));
        await ben.ConsentAsync(other);
        await ben.OfferAsync(other);
        (await App.ScanWithHashAsync(other, "00000000000000000000000000000000ffffffffffffffffffffffffffffffff")).ShouldBe(WorkState.Listed);

        // Confirming tells the registrant.
        var confirm = await moderator.SubmitAsync($"/Moderation/Review/{review.Id}", new Dictionary<string, string> { ["Note"] = "Registered by Studio Chen." }, handler: "Confirm");
        confirm.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(confirm)).Errors());
        var told = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.CopyRefused));
        told.UserId.ShouldBe(await Db(db => db.Registrants.Select(r => r.UserId).SingleAsync()));
        told.Link.ShouldBe("/Registry/Entries");
    }

    [Fact]
    public async Task An_uploaded_entry_quarantines_a_re_encoded_upload_through_the_real_scan_and_its_private_copy_is_shown_to_moderators_only()
    {
        var moderator = await ModeratorAsync();
        var holder = await ApprovedRegistrantAsync(Mei, moderator);
        var upload = await holder.SubmitFileAsync("/Registry/Entries", new Dictionary<string, string> { ["Label"] = "Grid, 2021" }, "Image",
            CreatorSteps.Jpeg(2), "grid.jpg", "image/jpeg");
        upload.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(upload)).Errors());
        var entry = await Db(db => db.ProtectedWorks.SingleAsync());
        entry.Source.ShouldBe(ProtectedWorkSource.Upload);
        entry.ImageKey.ShouldStartWith("registry/");
        entry.Sha256.ShouldNotBeNull();

        var notAnImage = await holder.SubmitFileAsync("/Registry/Entries", new Dictionary<string, string> { ["Label"] = "Fake" }, "Image",
            "<html>not an image</html>"u8.ToArray(), "fake.jpg", "image/jpeg");
        (await WebSession.ParseAsync(notAnImage)).Errors().ShouldNotBeEmpty();
        (await Db(db => db.ProtectedWorks.CountAsync())).ShouldBe(1);

        var ben = await this.SignUpCreatorAsync("ben@example.test", "Ben Ortiz");
        var (copy, state) = await ben.SubmitAsync(App, "Grid", ReviewSteps.ReEncodedCopy());
        state.ShouldBe(WorkState.Quarantined);
        var review = await Db(db => db.ReviewCases.SingleAsync());
        review.Kind.ShouldBe(ReviewCaseKind.ProtectedWorkMatch);
        var exact = await ben.SubmitAsync(App, "Grid exact", CreatorSteps.Jpeg(2));
        exact.State.ShouldBe(WorkState.Quarantined, "an exact copy of a registered upload, by SHA-256");
        (await Db(db => db.ReviewCases.SingleAsync(c => c.WorkId == exact.Id))).Edit.ShouldBe(ScanPolicy.ExactEdit);

        var src = (await moderator.PageAsync($"/Moderation/Review/{review.Id}")).QuerySelector("[data-testid=target-image]")!.GetAttribute("src")!;
        (await moderator.GetAsync(src)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ben.GetAsync(src)).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
        (await holder.GetAsync(src)).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
        (await ben.GetAsync($"/previews/{copy}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the creator still sees their own upload");
    }

    [Fact]
    public async Task A_registrant_removes_only_their_own_entries_and_bad_applications_change_nothing()
    {
        var moderator = await ModeratorAsync();
        var mei = await ApprovedRegistrantAsync(Mei, moderator);
        var other = await ApprovedRegistrantAsync(Olu, moderator);
        (await mei.SubmitAsync("/Registry/Entries", new Dictionary<string, string> { ["Lines"] = $"{HashA} Harbour" }, handler: "Hashes")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var entry = await Db(db => db.ProtectedWorks.SingleAsync());

        var theft = await other.PostWithTokenAsync("/Registry/Entries?handler=Remove", "/Registry/Entries", new Dictionary<string, string> { ["entryId"] = entry.Id.ToString() });
        (await WebSession.ParseAsync(theft)).Errors().ShouldContain("There is no such entry in your registry.");
        (await other.PageAsync("/Registry/Entries")).QuerySelectorAll("[data-testid=entry]").Length.ShouldBe(0, "one registrant never sees another's entries");
        (await Db(db => db.ProtectedWorks.SingleAsync())).RemovedAt.ShouldBeNull();

        var removed = await mei.SubmitAsync("/Registry/Entries", new Dictionary<string, string>(), handler: "Remove");
        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(removed)).Errors());
        (await Db(db => db.ProtectedWorks.SingleAsync())).RemovedAt.ShouldNotBeNull();
        (await Db(db => db.AuditEntries.SingleAsync(a => a.Action == "entry.removed"))).SubjectId.ShouldBe(entry.Id);

        // A removed entry no longer protects.
        var ben = await this.SignUpCreatorAsync("ben@example.test", "Ben Ortiz");
        var id = await ben.UploadAsync("Harbour", CreatorSteps.Jpeg(1));
        await ben.ConsentAsync(id);
        await ben.OfferAsync(id);
        (await App.ScanWithHashAsync(id, NearA)).ShouldBe(WorkState.Listed);

        // Bad applications: nothing is made, no account either.
        var fields = Application("x@bad.test");
        fields["EvidenceUrl"] = "javascript:alert(1)";
        (await WebSession.ParseAsync(await NewSession().SubmitAsync("/Registry/Apply", fields))).Errors().ShouldContain("must be a web address");
        var noName = Application("y@bad.test");
        noName["LegalName"] = " ";
        (await WebSession.ParseAsync(await NewSession().SubmitAsync("/Registry/Apply", noName))).Errors().ShouldContain("Give your legal name.");
        (await Db(db => db.Users.CountAsync(u => u.Email!.EndsWith("@bad.test")))).ShouldBe(0);
        (await WebSession.ParseAsync(await mei.SubmitAsync("/Registry/Apply", Application(Mei)))).Errors().ShouldContain("applied to the registry already");
        (await Db(db => db.Registrants.CountAsync())).ShouldBe(2);

        // Refusing needs a reason, and is final.
        var third = await ApplyAsync(Zed);
        var zed = await Db(db => db.Registrants.Where(r => r.Email == Zed).Select(r => r.Id).SingleAsync());
        (await WebSession.ParseAsync(await moderator.SubmitAsync("/Moderation/Registrants",
            new Dictionary<string, string> { ["RegistrantId"] = zed.ToString(), ["Note"] = "" }, handler: "Refuse"))).Errors().ShouldContain("Give the reason for refusing");
        (await moderator.SubmitAsync("/Moderation/Registrants", new Dictionary<string, string> { ["RegistrantId"] = zed.ToString(), ["Note"] = "No evidence." }, handler: "Refuse"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await third.PageAsync("/Registry")).Text("[data-testid=standing]").ShouldContain("Refused by a moderator: No evidence.");
        (await WebSession.ParseAsync(await third.PostWithTokenAsync("/Registry/Entries?handler=Hashes", "/Registry", new Dictionary<string, string> { ["Lines"] = $"{HashB} x" })))
            .Errors().ShouldContain("was refused");
    }
}
