using System.Text.Encodings.Web;
using Market.Web.Features.Mail;

namespace Market.Web.Tests.Mail;

public sealed class MailTextTests
{
    private static string Render(string text)
    {
        using var writer = new StringWriter();
        MailText.ToHtml(text).WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    [Fact]
    public void Encodes_markup_in_the_text() =>
        Render("<script>alert(1)</script> & \"quotes\"").ShouldBe("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;");

    [Fact]
    public void Makes_an_https_address_a_link_and_leaves_the_sentence_around_it() =>
        Render("Open https://market.test/licenses/1?a=1&b=2.")
            .ShouldBe("Open <a href=\"https://market.test/licenses/1?a=1&amp;b=2\" rel=\"noopener noreferrer nofollow\">https://market.test/licenses/1?a=1&amp;b=2</a>.");

    [Fact]
    public void Makes_an_http_address_a_link() =>
        Render("(http://localhost:5000/x)").ShouldBe("(<a href=\"http://localhost:5000/x\" rel=\"noopener noreferrer nofollow\">http://localhost:5000/x</a>)");

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://files.example.org/x")]
    [InlineData("data:text/html,<b>x</b>")]
    [InlineData("xhttp://example.org")]
    [InlineData("http://")]
    public void Other_schemes_and_broken_addresses_stay_text(string text) =>
        Render(text).ShouldNotContain("<a ");

    [Fact]
    public void A_quote_or_angle_bracket_ends_the_address_so_it_cannot_leave_the_attribute()
    {
        var html = Render("https://evil.example/\"onmouseover=\"alert(1) https://evil.example/<img>");

        html.ShouldContain("href=\"https://evil.example/\"");
        html.ShouldNotContain("onmouseover=\"");
        html.ShouldNotContain("<img>");
    }
}
