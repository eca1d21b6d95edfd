using MimeKit;

namespace Market.Web.Notifications.Email;

/// <summary>Turns an <see cref="OutgoingMail"/> into the MIME message every transport sends, so they cannot drift apart.</summary>
public sealed class MailMessageFactory(MailboxAddress from)
{
    /// <summary>RFC 5322 wants CRLF; MimeKit's default follows the platform, which is LF here.</summary>
    public static readonly FormatOptions Format = CreateFormat();

    public MimeMessage Create(OutgoingMail mail, Guid messageId, DateTimeOffset date)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(from.Name, from.Address));
        message.To.Add(new MailboxAddress(OneLine(mail.ToName ?? ""), mail.To.Trim()));
        message.Subject = OneLine(mail.Subject);
        message.Date = date;
        // Derived from our id, not random: a retried send carries the same Message-Id, so a receiving
        // system (or the local folder) can tell it is the same message.
        message.MessageId = $"{messageId:N}@{(string.IsNullOrEmpty(from.Domain) ? "localhost" : from.Domain)}";
        message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();
        return message;
    }

    // Subjects and names can carry user text (a work's title); a line break there must not start a new header
    // or hide the rest of the subject in a client.
    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
