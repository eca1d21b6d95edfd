using System.Net;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Identity;

namespace Market.Integration.Tests;

/// <summary>The local test mailbox in the site: each person reads their own mail; admins read all of it.</summary>
public sealed class MailboxPageTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task A_user_reads_only_mail_to_their_own_address_and_an_admin_reads_everything()
    {
        var ana = await this.SignUpCreatorAsync($"ana-{Guid.NewGuid():N}@example.test", "Ana Lima");
        var press = $"rights-{Guid.NewGuid():N}@press.test";
        var id = await ana.UploadAsync("Shared");
        var fields = new Dictionary<string, string>
        {
            ["Rows[0].Percent"] = "50", ["Rows[1].Name"] = "Press", ["Rows[1].Email"] = press, ["Rows[1].Role"] = "CopyrightOwner", ["Rows[1].Percent"] = "50",
        };
        (await ana.SubmitAsync($"/Works/Holders/{id}", fields)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var mail = await App.WaitForMailAsync(press, "Confirm your share");

        var own = await ana.PageAsync("/Mail");
        own.Text("body").ShouldNotContain(press, Case.Insensitive, "the co-owner's e-mail is not the creator's to read");
        (await ana.GetAsync($"/Mail/Message/{mail.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ana.GetAsync("/Mail/Message/..%2F..%2Fappsettings")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var adminEmail = $"admin-{Guid.NewGuid():N}@example.test";
        var admin = await this.SignInAsync(adminEmail, await App.CreateStaffAsync(adminEmail, Roles.Admin));
        (await admin.PageAsync("/Mail")).Text("[data-testid=messages]").ShouldContain(press);
        var message = await admin.PageAsync($"/Mail/Message/{mail.Id}");
        message.Text("[data-testid=to]").ShouldContain(press);
        message.QuerySelector("[data-testid=body] a[href*='/Shares/Respond?token=']").ShouldNotBeNull("the link in the e-mail can be followed from the page");
    }

    [Fact]
    public async Task The_mailbox_is_for_signed_in_people_only()
    {
        var anonymous = Session();
        (await anonymous.GetAsync("/Mail")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }
}
