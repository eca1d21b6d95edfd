using Market.Web;
using Market.Web.Notifications;

namespace Market.Web.Tests.Notifications;

public sealed class AccountEmailTests
{
    private static readonly SiteSettings Site = new() { PublicUrl = "https://market.example" };

    [Fact]
    public void Identitys_html_becomes_text_with_the_link_spelled_out_on_the_sites_own_address()
    {
        const string html = "Please confirm your account by <a href='http://evil.example/Identity/Account/ConfirmEmail?userId=42&amp;code=abc%2B1'>clicking here</a>.";

        var text = OutboxEmailSender.ToText(html, Site);

        text.ShouldBe("Please confirm your account by clicking here:\n\nhttps://market.example/Identity/Account/ConfirmEmail?userId=42&code=abc%2B1");
        text.ShouldNotContain("evil.example", Case.Insensitive, "a forged Host header must not reach the e-mail");
    }

    [Fact]
    public void A_relative_link_is_made_absolute_and_other_tags_and_entities_are_stripped()
    {
        OutboxEmailSender.ToText("<p>Reset it <a href=\"/Identity/Account/ResetPassword?code=x\">here</a> &amp; soon.</p>", Site)
            .ShouldBe("Reset it here:\n\nhttps://market.example/Identity/Account/ResetPassword?code=x\n\n& soon.");
    }
}
