using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;

namespace Market.Web.Features.Mail;

/// <summary>Shows a plain-text mail body as HTML: every character encoded, only http(s) addresses made links.</summary>
public static partial class MailText
{
    public static IHtmlContent ToHtml(string text)
    {
        var html = new HtmlContentBuilder();
        var at = 0;
        foreach (Match match in Url().Matches(text))
        {
            var url = match.Value.TrimEnd(TrailingPunctuation);
            // The pattern already asks for http(s); parsing as well refuses what a browser would not treat as one URL.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                continue;
            // Append (not AppendHtml) encodes at render time with the site's encoder, attribute value included.
            html.Append(text[at..match.Index]);
            html.AppendHtml("<a href=\"").Append(url).AppendHtml("\" rel=\"noopener noreferrer nofollow\">").Append(url).AppendHtml("</a>");
            at = match.Index + url.Length;
        }
        html.Append(text[at..]);
        return html;
    }

    // Sentence punctuation after an address belongs to the sentence, as readers expect.
    private static readonly char[] TrailingPunctuation = ['.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"'];

    // Not preceded by a letter or digit, so "xhttp://x" in the middle of a word is not read as a link.
    [GeneratedRegex(@"(?<![\p{L}\p{N}])https?://[^\s<>""'`]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();
}
