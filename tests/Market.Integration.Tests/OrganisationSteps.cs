using System.Net;
using Market.Integration.Tests.Infrastructure;

namespace Market.Integration.Tests;

/// <summary>Inviting people into an organisation and joining through the e-mailed link, as people do it.</summary>
public static class OrganisationSteps
{
    /// <summary>Sends an invitation from the organisation page and returns the join link from the e-mail.</summary>
    public static async Task<string> InviteAsync(this WebSession admin, MarketAppFactory app, string email, string role = "Member")
    {
        var response = await admin.SubmitAsync("/Organisation", new Dictionary<string, string> { ["InviteEmail"] = email, ["InviteRole"] = role }, handler: "Invite");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
        return Mailbox.LinkIn(await app.WaitForMailAsync(email, "invites you to"), "/Organisation/Join?token=");
    }

    /// <summary>Opens the link without an account and signs up through it; returns the new member's session.</summary>
    public static async Task<WebSession> SignUpThroughAsync(this IntegrationTestAccess test, string joinLink, string email, string name = "Dana Invitee")
    {
        var session = test.Session();
        var join = await session.PageAsync(joinLink);
        var signUp = join.QuerySelector("a[href^='/Identity/Account/Register?invite=']")!.GetAttribute("href")!;
        var response = await session.SubmitAsync(signUp, new Dictionary<string, string>
        {
            ["DisplayName"] = name, ["Email"] = email, ["Password"] = People.Password,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
        response.Headers.Location!.OriginalString.ShouldBe("/Organisation");
        return session;
    }
}
