using Market.Web.Notifications.Email;
using MimeKit;

namespace Market.Web.Tests.Mail;

/// <summary>A folder under the system temp folder, removed with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "market-mail-tests", Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

/// <summary>A clock the test moves by hand, so file names and Date headers are known in advance.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}

internal static class MailTestKit
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 14, 5, 12, 345, TimeSpan.Zero);

    public static MailMessageFactory Factory(string fromName = "Märket Place", string from = "noreply@market.test") =>
        new(new MailboxAddress(fromName, from));

    public static OutgoingMail Mail(string to = "zoe@example.org", string? toName = "Zoë Müller", string subject = "Hello", string text = "Hi there.", string? html = null) =>
        new(to, toName, subject, text, html);

    /// <summary>RFC 5322 dates carry whole seconds.</summary>
    public static DateTimeOffset AsHeaderDate(DateTimeOffset time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, time.Offset);

    /// <summary>
    /// A parsed text part as written: line ends as LF, and without the line end a single-part message's body
    /// always finishes with on the wire.
    /// </summary>
    public static string Text(string? body) => body.ShouldNotBeNull().ReplaceLineEndings("\n").TrimEnd('\n');

    public static string[] EmlFiles(string folder) => Directory.GetFiles(folder, "*.eml");
}
