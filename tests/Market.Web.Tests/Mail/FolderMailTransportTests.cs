using System.Text;
using Market.Web.Notifications.Email;
using MimeKit;

namespace Market.Web.Tests.Mail;

public sealed class FolderMailTransportTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ManualClock _clock = new(MailTestKit.Start);
    private readonly FolderMailTransport _transport;

    public FolderMailTransportTests() => _transport = new FolderMailTransport(_temp.Path, MailTestKit.Factory(), _clock);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Writes_one_rfc5322_message_that_MimeKit_reads_back_with_names_subject_and_both_bodies()
    {
        var id = Guid.NewGuid();
        await _transport.SendAsync(
            MailTestKit.Mail(subject: "Grüße – your licence ✓ 許可", text: "Plain ünïcödé text.\nSecond line.", html: "<p>HTML <b>ünïcödé</b></p>"),
            id, CancellationToken.None);

        var file = MailTestKit.EmlFiles(_temp.Path).ShouldHaveSingleItem();
        Path.GetFileName(file).ShouldBe($"20250301T140512345Z-{id:N}.eml");
        var message = await MimeMessage.LoadAsync(file);

        var from = message.From.Mailboxes.ShouldHaveSingleItem();
        from.Name.ShouldBe("Märket Place");
        from.Address.ShouldBe("noreply@market.test");
        var to = message.To.Mailboxes.ShouldHaveSingleItem();
        to.Name.ShouldBe("Zoë Müller");
        to.Address.ShouldBe("zoe@example.org");
        message.Subject.ShouldBe("Grüße – your licence ✓ 許可");
        message.Date.ShouldBe(MailTestKit.AsHeaderDate(MailTestKit.Start));
        message.MessageId.ShouldBe($"{id:N}@market.test");
        message.Body.ShouldBeOfType<MultipartAlternative>();
        MailTestKit.Text(message.TextBody).ShouldBe("Plain ünïcödé text.\nSecond line.");
        message.HtmlBody.ShouldBe("<p>HTML <b>ünïcödé</b></p>");
    }

    [Fact]
    public async Task The_file_is_ascii_headers_with_crlf_line_ends()
    {
        await _transport.SendAsync(MailTestKit.Mail(subject: "Grüße"), Guid.NewGuid(), CancellationToken.None);

        var bytes = await File.ReadAllBytesAsync(MailTestKit.EmlFiles(_temp.Path).ShouldHaveSingleItem());
        var text = Encoding.Latin1.GetString(bytes);
        var headers = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        headers.ShouldAllBe(c => c < 128);
        headers.ShouldNotContain("Grüße");
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] == '\n') bytes[i - 1].ShouldBe((byte)'\r', $"bare LF at byte {i}");
    }

    [Fact]
    public async Task Text_only_mail_is_a_single_text_plain_part()
    {
        await _transport.SendAsync(MailTestKit.Mail(text: "Just text."), Guid.NewGuid(), CancellationToken.None);

        var message = await MimeMessage.LoadAsync(MailTestKit.EmlFiles(_temp.Path).ShouldHaveSingleItem());
        message.Body.ShouldBeOfType<TextPart>().IsPlain.ShouldBeTrue();
        MailTestKit.Text(message.TextBody).ShouldBe("Just text.");
        message.HtmlBody.ShouldBeNull();
    }

    [Fact]
    public async Task A_line_break_in_the_subject_cannot_add_a_header()
    {
        await _transport.SendAsync(MailTestKit.Mail(subject: "Hello\r\nBcc: evil@example.org"), Guid.NewGuid(), CancellationToken.None);

        var message = await MimeMessage.LoadAsync(MailTestKit.EmlFiles(_temp.Path).ShouldHaveSingleItem());
        message.Subject.ShouldBe("Hello Bcc: evil@example.org");
        message.Bcc.ShouldBeEmpty();
        message.Headers.Contains(HeaderId.Bcc).ShouldBeFalse();
    }

    [Fact]
    public async Task A_retried_send_of_the_same_id_replaces_the_first_file()
    {
        var id = Guid.NewGuid();
        await _transport.SendAsync(MailTestKit.Mail(subject: "first attempt"), id, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await _transport.SendAsync(MailTestKit.Mail(subject: "second attempt"), id, CancellationToken.None);

        var file = MailTestKit.EmlFiles(_temp.Path).ShouldHaveSingleItem();
        Path.GetFileName(file).ShouldBe($"20250301T140512345Z-{id:N}.eml");
        (await MimeMessage.LoadAsync(file)).Subject.ShouldBe("second attempt");
    }

    [Fact]
    public async Task Different_ids_sent_at_the_same_moment_are_different_files()
    {
        await _transport.SendAsync(MailTestKit.Mail(), Guid.NewGuid(), CancellationToken.None);
        await _transport.SendAsync(MailTestKit.Mail(), Guid.NewGuid(), CancellationToken.None);

        MailTestKit.EmlFiles(_temp.Path).Length.ShouldBe(2);
    }

    [Fact]
    public async Task Leaves_nothing_but_finished_messages_in_the_folder()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            await _transport.SendAsync(MailTestKit.Mail(), id, CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var names = Directory.GetFiles(_temp.Path).Select(Path.GetFileName).ToList();
        names.Count.ShouldBe(5);
        names.ShouldAllBe(n => n!.EndsWith(".eml") && MailFileNames.IsValidId(Path.GetFileNameWithoutExtension(n)));
    }

    [Fact]
    public async Task A_cancelled_send_leaves_no_file_behind()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => _transport.SendAsync(MailTestKit.Mail(), Guid.NewGuid(), cancelled.Token));

        Directory.GetFiles(_temp.Path).ShouldBeEmpty();
    }
}
