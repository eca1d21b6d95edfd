using MailKit.Net.Smtp;
using MailKit.Security;

namespace Market.Web.Notifications.Email;

/// <summary>
/// Sends through an SMTP server (<c>Mail:Smtp</c>). One connection per message: mail is sent by background
/// jobs a few at a time, and a fresh connection never inherits a half-broken session. Failures propagate so
/// the job is retried.
/// </summary>
public sealed class SmtpMailTransport(SmtpMailSettings settings, MailMessageFactory messages, TimeProvider time) : IMailTransport
{
    public async Task SendAsync(OutgoingMail mail, Guid messageId, CancellationToken cancellationToken)
    {
        var message = messages.Create(mail, messageId, time.GetUtcNow());
        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Host ?? throw new InvalidOperationException("Mail:Smtp:Host is not set."), settings.Port, SocketOptions(settings.Security), cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName))
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
        await client.SendAsync(MailMessageFactory.Format, message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    internal static SecureSocketOptions SocketOptions(string security) => security.ToLowerInvariant() switch
    {
        "auto" => SecureSocketOptions.Auto,
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "ssl" => SecureSocketOptions.SslOnConnect,
        // Settings validation refuses anything else at startup; this is for a transport built by hand.
        _ => throw new InvalidOperationException($"Mail:Smtp:Security '{security}' is not known; use auto, none, starttls or ssl."),
    };
}
