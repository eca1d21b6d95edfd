using System.Net;
using Market.Domain.Licensing;
using Market.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>Organisations: invitations by e-mail, members and admins, removal taking effect at once.</summary>
public sealed class OrganisationTests(MarketAppFactory app) : IntegrationTest(app)
{
    // The mail folder outlives a test's database reset, so every test invites addresses of its own.
    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}@lab.test";

    [Fact]
    public async Task An_invited_person_signs_up_through_the_link_joins_as_a_member_and_sees_the_organisations_licenses()
    {
        var creator = await this.SignUpCreatorAsync(Unique("ana"), "Ana Lima");
        var workId = await creator.ListAsync(App, "Harbour at dusk");
        var admin = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        await admin.AddToBundleAsync(workId);
        var licenseId = await admin.PayWithTestProviderAsync((await admin.CheckoutAsync()).Headers.Location!.OriginalString);

        var email = Unique("dana");
        var link = await admin.InviteAsync(App, email);
        (await admin.PageAsync("/Organisation")).Text("[data-testid=invitation]").ShouldContain(email);
        var member = await this.SignUpThroughAsync(link, email);

        var page = await member.PageAsync("/Organisation");
        page.QuerySelectorAll("[data-testid=member]").Length.ShouldBe(2);
        page.QuerySelector("form[action*='handler=Invite']").ShouldBeNull("members do not see the invitation form");
        (await member.PageAsync("/Licenses")).QuerySelector($"a[href='/Licenses/Details/{licenseId}']").ShouldNotBeNull("licenses belong to the organisation");
        (await member.PageAsync($"/Licenses/Details/{licenseId}")).Text("h1").ShouldNotBeNullOrEmpty();
        var user = await Db(db => db.Users.SingleAsync(u => u.Email == email));
        user.OrganisationRole.ShouldBe(OrganisationRole.Member);
        user.EmailConfirmed.ShouldBeTrue("the link came to that address");
        (await Db(db => db.OrganisationInvitations.SingleAsync())).AcceptedByUserId.ShouldBe(user.Id);

        // The link works once.
        var again = await Session().PageAsync(link);
        again.Text("[data-testid=problem]").ShouldContain("used already");
    }

    [Fact]
    public async Task A_member_cannot_invite_change_roles_or_remove_others()
    {
        var admin = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        var memberEmail = Unique("dana");
        var member = await this.SignUpThroughAsync(await admin.InviteAsync(App, memberEmail), memberEmail);
        var adminId = await Db(db => db.Users.Where(u => u.OrganisationRole == OrganisationRole.Admin).Select(u => u.Id).SingleAsync());

        var invite = await member.PostWithTokenAsync("/Organisation?handler=Invite", "/Organisation",
            new Dictionary<string, string> { ["InviteEmail"] = Unique("eve"), ["InviteRole"] = "Admin" });
        (await WebSession.ParseAsync(invite)).Errors().ShouldContain("Only an admin");
        var promote = await member.PostWithTokenAsync("/Organisation?handler=Role", "/Organisation",
            new Dictionary<string, string> { ["userId"] = adminId, ["role"] = "Member" });
        (await WebSession.ParseAsync(promote)).Errors().ShouldContain("Only an admin");
        var remove = await member.PostWithTokenAsync("/Organisation?handler=Remove", "/Organisation",
            new Dictionary<string, string> { ["userId"] = adminId });
        (await WebSession.ParseAsync(remove)).Errors().ShouldContain("Only an admin");

        (await Db(db => db.OrganisationInvitations.CountAsync())).ShouldBe(1);
        (await Db(db => db.Users.CountAsync(u => u.OrganisationRole == OrganisationRole.Admin))).ShouldBe(1);
        (await Db(db => db.Users.CountAsync(u => u.OrganisationId != null))).ShouldBe(2);
    }

    [Fact]
    public async Task A_removed_member_loses_access_at_the_next_request_and_keeps_their_account_and_their_api_tokens_are_revoked()
    {
        var adminEmail = Unique("bo");
        var admin = await this.SignUpBuyerAsync(adminEmail, "Lab Inc");
        var email = Unique("dana");
        var member = await this.SignUpThroughAsync(await admin.InviteAsync(App, email, role: "Admin"), email);
        (await member.GetAsync("/Licenses")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await member.MakeTokenAsync("dana's pipeline", "licenses:read");
        var memberId = await Db(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var adminId = await Db(db => db.Users.Where(u => u.Email == adminEmail).Select(u => u.Id).SingleAsync());

        var response = await admin.SubmitAsync("/Organisation", new Dictionary<string, string> { ["userId"] = memberId }, handler: "Remove");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());

        // The same browser session, without signing out: the cookie no longer opens the organisation's pages.
        var licenses = await member.GetAsync("/Licenses");
        licenses.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await member.GetAsync("/Bundles")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var user = await Db(db => db.Users.SingleAsync(u => u.Id == memberId));
        user.OrganisationId.ShouldBeNull();
        user.OrganisationRole.ShouldBeNull();
        (await Db(db => db.Notifications.CountAsync(n => n.UserId == memberId && n.Subject.Contains("removed")))).ShouldBe(1);
        var token = await Db(db => db.ApiTokens.SingleAsync());
        token.RevokedAt.ShouldNotBeNull();
        token.RevokedByUserId.ShouldBe(adminId);
    }

    [Fact]
    public async Task The_last_admin_can_neither_leave_nor_step_down_but_can_after_promoting_someone()
    {
        var adminEmail = Unique("bo");
        var admin = await this.SignUpBuyerAsync(adminEmail, "Lab Inc");
        var adminId = await Db(db => db.Users.Where(u => u.Email == adminEmail).Select(u => u.Id).SingleAsync());

        var leave = await admin.SubmitAsync("/Organisation", new Dictionary<string, string> { ["userId"] = adminId }, handler: "Remove");
        (await WebSession.ParseAsync(leave)).Errors().ShouldContain("only admin");
        var stepDown = await admin.PostWithTokenAsync("/Organisation?handler=Role", "/Organisation",
            new Dictionary<string, string> { ["userId"] = adminId, ["role"] = "Member" });
        (await WebSession.ParseAsync(stepDown)).Errors().ShouldContain("at least one admin");

        var email = Unique("dana");
        var member = await this.SignUpThroughAsync(await admin.InviteAsync(App, email), email);
        var memberId = await Db(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var promote = await admin.PostWithTokenAsync("/Organisation?handler=Role", "/Organisation",
            new Dictionary<string, string> { ["userId"] = memberId, ["role"] = "Admin" });
        promote.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(promote)).Errors());
        // The promoted member's cookie picks up the new role at once: the invitation form appears for them.
        (await member.PageAsync("/Organisation")).QuerySelector("form[action*='handler=Invite']").ShouldNotBeNull();

        leave = await admin.PostWithTokenAsync("/Organisation?handler=Remove", "/Organisation", new Dictionary<string, string> { ["userId"] = adminId });
        leave.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(leave)).Errors());
        (await Db(db => db.Users.SingleAsync(u => u.Id == adminId))).OrganisationId.ShouldBeNull();
    }

    [Fact]
    public async Task An_invitation_is_refused_to_another_address_to_another_organisations_member_and_after_it_expires()
    {
        var admin = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        var invited = Unique("dana");
        var link = await admin.InviteAsync(App, invited);

        // Signing up through the link with a different address: refused, and no account is left behind.
        var stranger = Unique("mallory");
        var session = Session();
        var signUp = (await session.PageAsync(link)).QuerySelector("a[href^='/Identity/Account/Register?invite=']")!.GetAttribute("href")!;
        var wrong = await session.SubmitAsync(signUp, new Dictionary<string, string>
        {
            ["DisplayName"] = "Mallory", ["Email"] = stranger, ["Password"] = People.Password,
        });
        (await WebSession.ParseAsync(wrong)).Errors().ShouldContain($"sent to {invited}");
        (await Db(db => db.Users.AnyAsync(u => u.Email == stranger))).ShouldBeFalse();

        // A buyer of another organisation with the invited address is not moved by the link.
        var otherAdmin = await this.SignUpBuyerAsync(Unique("cy"), "Other Lab");
        var movedEmail = Unique("eve");
        var eve = await this.SignUpBuyerAsync(movedEmail, "Eve's Lab");
        var eveLink = await admin.InviteAsync(App, movedEmail);
        var accept = await eve.SubmitAsync(eveLink, new Dictionary<string, string>());
        (await WebSession.ParseAsync(accept)).Errors().ShouldContain("another organisation");

        // A week later the first link has expired.
        App.Clock.Advance(TimeSpan.FromDays(8));
        (await Session().PageAsync(link)).Text("[data-testid=problem]").ShouldContain("expired");
        (await Db(db => db.Users.CountAsync(u => u.OrganisationRole == OrganisationRole.Member))).ShouldBe(0);
        otherAdmin.ShouldNotBeNull();
    }

    [Fact]
    public async Task An_existing_creator_account_accepts_signed_in_and_becomes_a_buyer_member()
    {
        var admin = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        var email = Unique("ana");
        var creator = await this.SignUpCreatorAsync(email, "Ana Lima");
        var link = await admin.InviteAsync(App, email);

        var response = await creator.SubmitAsync(link, new Dictionary<string, string>());
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
        (await creator.GetAsync("/Licenses")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await creator.GetAsync("/Works")).StatusCode.ShouldBe(HttpStatusCode.OK, "they remain a creator too");
    }

    [Fact]
    public async Task A_withdrawn_invitation_no_longer_works_and_an_unknown_token_says_so()
    {
        var admin = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        var email = Unique("dana");
        var link = await admin.InviteAsync(App, email);
        var invitationId = await Db(db => db.OrganisationInvitations.Select(i => i.Id).SingleAsync());
        var revoke = await admin.SubmitAsync("/Organisation", new Dictionary<string, string> { ["invitationId"] = invitationId.ToString() }, handler: "Revoke");
        revoke.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(revoke)).Errors());

        (await Session().PageAsync(link)).Text("[data-testid=problem]").ShouldContain("withdrawn");
        (await Session().PageAsync("/Organisation/Join?token=not-a-real-token")).Text("[data-testid=problem]").ShouldContain("not valid");

        // Another organisation's admin cannot withdraw (or even find) this organisation's invitations.
        var other = await this.SignUpBuyerAsync(Unique("cy"), "Other Lab");
        var foreign = await other.PostWithTokenAsync("/Organisation?handler=Revoke", "/Organisation",
            new Dictionary<string, string> { ["invitationId"] = invitationId.ToString() });
        (await WebSession.ParseAsync(foreign)).Errors().ShouldContain("no such invitation");
    }
}
