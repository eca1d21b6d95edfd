namespace Market.Web.Notifications.Email;

/// <summary>One e-mail, as the notifier hands it over: plain text always, HTML optionally.</summary>
public sealed record OutgoingMail(string To, string? ToName, string Subject, string TextBody, string? HtmlBody = null);

/// <summary>
/// Delivers e-mail. SMTP by configuration (<c>Mail:Provider = smtp</c>); the local default writes each
/// message to a folder as an .eml file and the site shows them, so nothing leaves a developer's machine.
/// </summary>
public interface IMailTransport
{
    /// <param name="messageId">Our id for the message; a transport uses it so a retried send is recognisable.</param>
    Task SendAsync(OutgoingMail mail, Guid messageId, CancellationToken cancellationToken);
}
