using MimeKit;
using MimeKit.Utils;

namespace Market.Web.Notifications.Email;

public sealed record MailboxEntry(string Id, DateTimeOffset Date, string To, IReadOnlyList<string> ToAddresses, string Subject)
{
    public bool IsAddressedTo(string email) => LocalMailbox.Contains(ToAddresses, email);
}

public sealed record MailboxMessage(string Id, DateTimeOffset Date, string From, string To, IReadOnlyList<string> ToAddresses, string Subject, string TextBody)
{
    public bool IsAddressedTo(string email) => LocalMailbox.Contains(ToAddresses, email);
}

/// <summary>
/// Reads what <see cref="FolderMailTransport"/> wrote. Only used when <c>Mail:Provider</c> is folder, so the
/// site can show developers and testers the mail it would have sent.
/// </summary>
public sealed class LocalMailbox
{
    private readonly string _folder;

    public LocalMailbox(string folder) => _folder = Path.GetFullPath(folder);

    /// <summary>Newest first, by the time each message was first written (the file name).</summary>
    public Task<IReadOnlyList<MailboxEntry>> ListAsync(int limit, CancellationToken cancellationToken) =>
        ListAsync(_ => true, limit, cancellationToken);

    /// <summary>Only messages with <paramref name="email"/> among their To addresses, compared case-insensitively.</summary>
    public Task<IReadOnlyList<MailboxEntry>> ListForAsync(string email, int limit, CancellationToken cancellationToken)
    {
        // An empty address must not quietly turn into "everything".
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        return ListAsync(e => e.IsAddressedTo(email), limit, cancellationToken);
    }

    /// <summary>The message, or null when there is none with that id.</summary>
    /// <exception cref="ArgumentException">The id is not one this mailbox makes (see <see cref="MailFileNames.IsValidId"/>).</exception>
    public async Task<MailboxMessage?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (!MailFileNames.IsValidId(id)) throw new ArgumentException("Not a mailbox message id.", nameof(id));
        var path = Path.Combine(_folder, id + MailFileNames.Extension);
        if (!File.Exists(path)) return null;
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null; // removed between the check and the read
        }
        return new MailboxMessage(id, message.Date, message.From.ToString(), message.To.ToString(), AddressesOf(message),
            message.Subject ?? "", message.TextBody ?? "");
    }

    internal static bool Contains(IReadOnlyList<string> addresses, string email) =>
        addresses.Any(a => string.Equals(a, email.Trim(), StringComparison.OrdinalIgnoreCase));

    private async Task<IReadOnlyList<MailboxEntry>> ListAsync(Func<MailboxEntry, bool> include, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!Directory.Exists(_folder)) return [];
        var ids = Directory.EnumerateFiles(_folder, "*" + MailFileNames.Extension)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(MailFileNames.IsValidId)
            .OrderDescending(StringComparer.Ordinal);
        var entries = new List<MailboxEntry>();
        foreach (var id in ids)
        {
            var entry = await ReadEntryAsync(id, cancellationToken);
            if (entry is null || !include(entry)) continue;
            entries.Add(entry);
            if (entries.Count == limit) break;
        }
        return entries;
    }

    private async Task<MailboxEntry?> ReadEntryAsync(string id, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_folder, id + MailFileNames.Extension);
        HeaderList headers;
        try
        {
            // Headers only: a listing does not need the bodies.
            headers = await HeaderList.LoadAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null; // removed while listing
        }
        // Addresses and date from the raw bytes: the decoded text of an encoded display name may hold a comma
        // or quote that would no longer parse as the same address.
        var to = Raw(headers, HeaderId.To) is { } rawTo && InternetAddressList.TryParse(rawTo, out var list) ? list : [];
        var date = Raw(headers, HeaderId.Date) is { } rawDate && DateUtils.TryParse(rawDate, out var sent)
            ? sent
            : new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        return new MailboxEntry(id, date, to.ToString(), AddressesOf(to), headers[HeaderId.Subject] ?? "");
    }

    private static byte[]? Raw(HeaderList headers, HeaderId id) => headers.FirstOrDefault(h => h.Id == id)?.RawValue;

    private static IReadOnlyList<string> AddressesOf(MimeMessage message) => AddressesOf(message.To);

    private static IReadOnlyList<string> AddressesOf(InternetAddressList list) => list.Mailboxes.Select(m => m.Address).ToList();
}
