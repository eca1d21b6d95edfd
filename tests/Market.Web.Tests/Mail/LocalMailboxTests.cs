using Market.Web.Notifications.Email;

namespace Market.Web.Tests.Mail;

public sealed class LocalMailboxTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ManualClock _clock = new(MailTestKit.Start);
    private readonly string _folder;
    private readonly FolderMailTransport _transport;
    private readonly LocalMailbox _mailbox;

    public LocalMailboxTests()
    {
        // The mailbox lives one level down, so a file beside it can stand in for "somewhere it must not read".
        _folder = Path.Combine(_temp.Path, "mail");
        _transport = new FolderMailTransport(_folder, MailTestKit.Factory(), _clock);
        _mailbox = new LocalMailbox(_folder);
    }

    public void Dispose() => _temp.Dispose();

    private async Task<string> SendAsync(string to, string subject, string? toName = null, string text = "Body")
    {
        var id = Guid.NewGuid();
        var name = MailFileNames.For(_clock.GetUtcNow(), id);
        await _transport.SendAsync(MailTestKit.Mail(to: to, toName: toName, subject: subject, text: text), id, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        return name;
    }

    [Fact]
    public async Task Lists_newest_first_with_date_recipient_and_decoded_subject()
    {
        var first = await SendAsync("a@example.org", "first");
        var second = await SendAsync("b@example.org", "second", toName: "Bé Example");
        var third = await SendAsync("c@example.org", "drittes – Grüße");

        var list = await _mailbox.ListAsync(50, CancellationToken.None);

        list.Select(e => e.Id).ShouldBe([third, second, first]);
        list[0].Subject.ShouldBe("drittes – Grüße");
        list[0].Date.ShouldBe(MailTestKit.AsHeaderDate(MailTestKit.Start.AddMinutes(2)));
        list[1].To.ShouldContain("Bé Example");
        list[1].ToAddresses.ShouldBe(["b@example.org"]);
    }

    [Fact]
    public async Task Limit_keeps_the_newest()
    {
        await SendAsync("a@example.org", "old");
        var middle = await SendAsync("a@example.org", "middle");
        var newest = await SendAsync("a@example.org", "newest");

        (await _mailbox.ListAsync(2, CancellationToken.None)).Select(e => e.Id).ShouldBe([newest, middle]);
    }

    [Fact]
    public async Task Lists_only_mail_to_one_address_ignoring_case()
    {
        var bob1 = await SendAsync("bob@example.org", "one");
        await SendAsync("alice@example.org", "not bob");
        var bob2 = await SendAsync("BOB@Example.org", "two", toName: "Bob");
        await SendAsync("bob@example.org.evil", "look-alike");

        var list = await _mailbox.ListForAsync("Bob@EXAMPLE.org", 50, CancellationToken.None);

        list.Select(e => e.Id).ShouldBe([bob2, bob1]);
    }

    [Fact]
    public async Task An_encoded_display_name_with_a_comma_still_yields_the_one_address()
    {
        await SendAsync("zoe@example.org", "hi", toName: "Müller, Zoë \"Z\"");

        var entry = (await _mailbox.ListForAsync("zoe@example.org", 50, CancellationToken.None)).ShouldHaveSingleItem();
        entry.ToAddresses.ShouldBe(["zoe@example.org"]);
        entry.To.ShouldContain("Müller, Zoë");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Listing_for_no_address_is_refused_rather_than_showing_everything(string email)
    {
        await SendAsync("a@example.org", "x");
        await Should.ThrowAsync<ArgumentException>(() => _mailbox.ListForAsync(email, 50, CancellationToken.None));
    }

    [Fact]
    public async Task Ignores_files_that_are_not_its_messages()
    {
        var real = await SendAsync("a@example.org", "real");
        var eml = await File.ReadAllTextAsync(Path.Combine(_folder, real + ".eml"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "notes.eml"), eml);
        await File.WriteAllTextAsync(Path.Combine(_folder, $".{Guid.NewGuid():N}-{Guid.NewGuid():N}.tmp"), eml);
        await File.WriteAllTextAsync(Path.Combine(_folder, real + ".txt"), eml);

        (await _mailbox.ListAsync(50, CancellationToken.None)).Select(e => e.Id).ShouldBe([real]);
    }

    [Fact]
    public async Task Reads_one_message_with_its_text_body()
    {
        var id = await SendAsync("zoe@example.org", "Your receipt", toName: "Zoë", text: "Thanks!\nSee https://market.test/licenses");

        var message = await _mailbox.ReadAsync(id, CancellationToken.None);

        message.ShouldNotBeNull();
        message.Id.ShouldBe(id);
        message.Subject.ShouldBe("Your receipt");
        message.From.ShouldContain("noreply@market.test");
        message.ToAddresses.ShouldBe(["zoe@example.org"]);
        message.IsAddressedTo("ZOE@example.org").ShouldBeTrue();
        message.IsAddressedTo("someone@example.org").ShouldBeFalse();
        MailTestKit.Text(message.TextBody).ShouldBe("Thanks!\nSee https://market.test/licenses");
    }

    [Fact]
    public async Task A_well_formed_id_with_no_message_is_null()
    {
        await SendAsync("a@example.org", "x");
        (await _mailbox.ReadAsync(MailFileNames.For(MailTestKit.Start, Guid.NewGuid()), CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task A_missing_folder_is_an_empty_mailbox()
    {
        var mailbox = new LocalMailbox(Path.Combine(_temp.Path, "never-written"));
        (await mailbox.ListAsync(50, CancellationToken.None)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..\\x")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("/etc/passwd")]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("x.eml")]
    [InlineData("20250301T140512345Z-0123456789abcdef0123456789abcdef.eml")]
    [InlineData("20250301T140512345Z-0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("20250301T140512345Z-0123456789abcdef0123456789abcdef/")]
    [InlineData("20250301T140512345Z-0123456789abcdef0123456789abcdef\n")]
    [InlineData(" 20250301T140512345Z-0123456789abcdef0123456789abcdef")]
    public async Task Refuses_ids_it_did_not_make(string id)
    {
        MailFileNames.IsValidId(id).ShouldBeFalse();
        await Should.ThrowAsync<ArgumentException>(() => _mailbox.ReadAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Refuses_a_very_long_id()
    {
        var id = MailFileNames.For(MailTestKit.Start, Guid.NewGuid()) + new string('a', 5000);
        MailFileNames.IsValidId(id).ShouldBeFalse();
        await Should.ThrowAsync<ArgumentException>(() => _mailbox.ReadAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Does_not_read_a_message_outside_its_folder_even_when_one_is_there()
    {
        // A real message beside the mailbox folder: only the id check stands between "../x" and reading it.
        var id = await SendAsync("a@example.org", "outside");
        File.Copy(Path.Combine(_folder, id + ".eml"), Path.Combine(_temp.Path, "x.eml"));

        await Should.ThrowAsync<ArgumentException>(() => _mailbox.ReadAsync("../x", CancellationToken.None));
    }

    [Fact]
    public void Accepts_the_ids_it_makes()
    {
        MailFileNames.IsValidId(MailFileNames.For(MailTestKit.Start, Guid.NewGuid())).ShouldBeTrue();
        MailFileNames.IsValidId(null).ShouldBeFalse();
    }
}
