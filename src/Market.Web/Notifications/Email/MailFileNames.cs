using System.Globalization;
using System.Text.RegularExpressions;

namespace Market.Web.Notifications.Email;

/// <summary>
/// Names of the local mailbox's files: <c>20250301T140512345Z-{message id}</c> plus <c>.eml</c>. The UTC time
/// first makes a plain directory listing chronological; the id makes a retried send find its earlier file.
/// </summary>
public static partial class MailFileNames
{
    public const string Extension = ".eml";

    public static string For(DateTimeOffset time, Guid messageId) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + messageId.ToString("N");

    /// <summary>Pattern matching every file of one message, whatever time it was first written.</summary>
    public static string PatternFor(Guid messageId) => "*-" + messageId.ToString("N") + Extension;

    /// <summary>
    /// Only names this class makes are ids: digits, 'T', 'Z', '-' and lower-case hex in fixed places, so no
    /// separator, dot or traversal can get through, whatever the file system allows.
    /// </summary>
    public static bool IsValidId(string? id) => id is { Length: IdLength } && IdPattern().IsMatch(id);

    private const int IdLength = 19 + 1 + 32;

    [GeneratedRegex("^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
