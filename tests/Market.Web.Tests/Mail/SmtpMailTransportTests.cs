using MailKit.Net.Smtp;
using Market.Web.Notifications.Email;
using MimeKit;

namespace Market.Web.Tests.Mail;

public sealed class SmtpMailTransportTests
{
    private static readonly ManualClock Clock = new(MailTestKit.Start);

    // Only a guard against a hung test; nothing is asserted about how long anything takes.
    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static SmtpMailTransport Transport(FakeSmtpServer server, string? userName = null, string? password = null) =>
        new(new SmtpMailSettings { Host = "127.0.0.1", Port = server.Port, Security = "none", UserName = userName, Password = password },
            MailTestKit.Factory(), Clock);

    [Fact]
    public async Task Sends_the_envelope_and_the_message_built_like_the_folders()
    {
        await using var server = new FakeSmtpServer();
        var id = Guid.NewGuid();
        // Lines starting with a dot must survive dot-stuffing; the lone "." line would otherwise end DATA early.
        var text = "Hello Zoe,\n.\n.hidden line\n..two dots\nBye"; // ASCII, so it travels as 7bit text, not encoded

        await Transport(server).SendAsync(
            MailTestKit.Mail(to: "zoe@example.org", toName: "Zoë Müller", subject: "Grüße ✓", text: text, html: "<p>Grüße</p>"),
            id, Guard());

        var received = server.Received.ShouldHaveSingleItem();
        received.MailFrom.ShouldBe("noreply@market.test");
        received.RcptTo.ShouldBe(["zoe@example.org"]);
        var message = MimeMessage.Load(new MemoryStream(received.Data));
        message.From.Mailboxes.ShouldHaveSingleItem().Name.ShouldBe("Märket Place");
        var to = message.To.Mailboxes.ShouldHaveSingleItem();
        to.Name.ShouldBe("Zoë Müller");
        to.Address.ShouldBe("zoe@example.org");
        message.Subject.ShouldBe("Grüße ✓");
        message.MessageId.ShouldBe($"{id:N}@market.test");
        message.Date.ShouldBe(MailTestKit.AsHeaderDate(MailTestKit.Start));
        MailTestKit.Text(message.TextBody).ShouldBe(text);
        message.HtmlBody.ShouldBe("<p>Grüße</p>");
        server.Commands.ShouldContain("QUIT");
        server.Faults.ShouldBeEmpty();
    }

    [Fact]
    public async Task Each_send_is_its_own_session()
    {
        await using var server = new FakeSmtpServer();
        var transport = Transport(server);

        await transport.SendAsync(MailTestKit.Mail(to: "a@example.org"), Guid.NewGuid(), Guard());
        await transport.SendAsync(MailTestKit.Mail(to: "b@example.org"), Guid.NewGuid(), Guard());

        server.Received.Select(r => r.RcptTo.Single()).ShouldBe(["a@example.org", "b@example.org"]);
        server.Commands.Count(c => c.StartsWith("EHLO ", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task A_refused_recipient_makes_the_send_fail()
    {
        await using var server = new FakeSmtpServer(rejectRecipients: true);

        var error = await Should.ThrowAsync<SmtpCommandException>(() =>
            Transport(server).SendAsync(MailTestKit.Mail(to: "nobody@example.org"), Guid.NewGuid(), Guard()));

        error.StatusCode.ShouldBe(SmtpStatusCode.MailboxUnavailable);
        server.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task Does_not_authenticate_without_a_user_name_even_when_the_server_offers_it()
    {
        await using var server = new FakeSmtpServer(offerAuth: true);

        await Transport(server).SendAsync(MailTestKit.Mail(), Guid.NewGuid(), Guard());

        server.Received.ShouldHaveSingleItem();
        server.Commands.ShouldNotContain(c => c.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase));
        server.Logins.ShouldBeEmpty();
    }

    [Fact]
    public async Task Authenticates_with_the_configured_user_name_and_password_before_sending()
    {
        await using var server = new FakeSmtpServer(offerAuth: true);

        await Transport(server, userName: "mailer", password: "pä55 word").SendAsync(MailTestKit.Mail(), Guid.NewGuid(), Guard());

        server.Logins.ShouldHaveSingleItem().ShouldBe(("mailer", "pä55 word"));
        var commands = server.Commands.ToList();
        commands.FindIndex(c => c.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase))
            .ShouldBeLessThan(commands.FindIndex(c => c.StartsWith("MAIL", StringComparison.OrdinalIgnoreCase)));
        server.Received.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_server_that_cannot_authenticate_fails_a_send_that_must()
    {
        await using var server = new FakeSmtpServer(offerAuth: false);

        await Should.ThrowAsync<NotSupportedException>(() =>
            Transport(server, userName: "mailer", password: "secret").SendAsync(MailTestKit.Mail(), Guid.NewGuid(), Guard()));

        server.Received.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("auto", MailKit.Security.SecureSocketOptions.Auto)]
    [InlineData("NONE", MailKit.Security.SecureSocketOptions.None)]
    [InlineData("starttls", MailKit.Security.SecureSocketOptions.StartTls)]
    [InlineData("ssl", MailKit.Security.SecureSocketOptions.SslOnConnect)]
    public void Security_setting_maps_to_MailKit(string security, MailKit.Security.SecureSocketOptions expected) =>
        SmtpMailTransport.SocketOptions(security).ShouldBe(expected);
}
