using Market.Web.Notifications.Email;

namespace Market.Integration.Tests.Infrastructure;

/// <summary>Reads what the site e-mailed, from the local mail folder its default transport writes to.</summary>
public static class Mailbox
{
    /// <summary>Waits for the e-mail job to deliver a message to <paramref name="email"/> whose subject contains the text.</summary>
    public static async Task<MailboxMessage> WaitForMailAsync(this MarketAppFactory app, string email, string subjectContains)
    {
        var box = new LocalMailbox(app.MailFolder);
        MailboxMessage? found = null;
        await Wait.UntilAsync(async () =>
        {
            var entry = (await box.ListForAsync(email, 100, CancellationToken.None)).FirstOrDefault(e => e.Subject.Contains(subjectContains, StringComparison.Ordinal));
            if (entry is null) return false;
            found = await box.ReadAsync(entry.Id, CancellationToken.None);
            return found is not null;
        }, $"an e-mail to {email} about \"{subjectContains}\" arrived");
        return found!;
    }

    public static async Task<int> CountMailAsync(this MarketAppFactory app, string email) =>
        Directory.Exists(app.MailFolder) ? (await new LocalMailbox(app.MailFolder).ListForAsync(email, 1000, CancellationToken.None)).Count : 0;

    /// <summary>The first link in the message that points into the site.</summary>
    public static string LinkIn(MailboxMessage message, string pathStart)
    {
        var start = message.TextBody.IndexOf(pathStart, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, $"the e-mail holds a link to {pathStart}: {message.TextBody}");
        var end = message.TextBody.IndexOfAny([' ', '\r', '\n'], start);
        return message.TextBody[start..(end < 0 ? message.TextBody.Length : end)];
    }
}
