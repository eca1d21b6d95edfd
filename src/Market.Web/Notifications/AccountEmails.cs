using System.Net;
using System.Text.RegularExpressions;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Identity.UI.Services;

namespace Market.Web.Notifications;

/// <summary>
/// The account e-mails ASP.NET Core Identity's own pages send (confirm your address, reset your password), through
/// the same outbox as every other e-mail. Without it Identity falls back to a sender that drops them, and nobody who
/// signed up alone could ever confirm an address, which claims and rights-holder confirmations require.
/// </summary>
internal sealed partial class OutboxEmailSender(IMediator mediator, SiteSettings site) : IEmailSender
{
    public Task SendEmailAsync(string email, string subject, string htmlMessage) =>
        mediator.Send(new SendAccountEmail(email, subject, ToText(htmlMessage, site)));

    /// <summary>
    /// Identity writes one-line HTML with a link; our e-mails are plain text, so the link is spelled out. Identity builds
    /// the link from the request's Host header, which whoever sends the request controls: a password-reset mail to a
    /// victim could carry the attacker's host. Only the path and query are kept, on the site's configured address.
    /// </summary>
    internal static string ToText(string html, SiteSettings site)
    {
        var withLinks = Link().Replace(html, m =>
        {
            var href = WebUtility.HtmlDecode(m.Groups["href"].Value);
            // (On Unix "/path" parses as an absolute file: URI, so only http(s) counts as absolute here.)
            var safe = Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? site.Absolute(uri.PathAndQuery) : site.Absolute(href);
            // On a line of its own: the sentence's closing full stop must not be read as part of the link.
            return $"{m.Groups["text"].Value}:\n\n{safe}\n\n";
        });
        var text = WebUtility.HtmlDecode(Tag().Replace(withLinks, "")).Trim();
        return string.Join('\n', text.Split('\n').Select(l => l.Trim()).Where(l => l is not "." and not ",")).Trim();
    }

    [GeneratedRegex("<a\\s+href=['\"](?<href>[^'\"]+)['\"][^>]*>(?<text>.*?)</a>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Link();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}

public sealed record SendAccountEmail(string To, string Subject, string TextBody) : ICommand<Unit>;

internal sealed class SendAccountEmailHandler(Notifier notifier) : IRequestHandler<SendAccountEmail, Unit>
{
    public Task<Unit> Handle(SendAccountEmail request, CancellationToken ct)
    {
        notifier.Email(request.To, null, request.Subject, request.TextBody);
        return Task.FromResult(Unit.Value);
    }
}
