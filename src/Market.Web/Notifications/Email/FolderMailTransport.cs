namespace Market.Web.Notifications.Email;

/// <summary>
/// The local default: each message becomes an .eml file in <c>Mail:Folder</c>, readable in any mail client
/// and in the site's local test mailbox. Nothing is sent anywhere.
/// </summary>
public sealed class FolderMailTransport : IMailTransport
{
    private readonly string _folder;
    private readonly MailMessageFactory _messages;
    private readonly TimeProvider _time;
    // Finding a message's earlier file and moving the new one into place must not interleave with another
    // send of the same id, or both would miss each other and leave two files.
    private readonly SemaphoreSlim _placing = new(1, 1);

    public FolderMailTransport(string folder, MailMessageFactory messages, TimeProvider time)
    {
        _folder = Path.GetFullPath(folder);
        _messages = messages;
        _time = time;
        Directory.CreateDirectory(_folder);
    }

    public async Task SendAsync(OutgoingMail mail, Guid messageId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var message = _messages.Create(mail, messageId, now);
        Directory.CreateDirectory(_folder);
        // Written beside and renamed into place, so the mailbox never reads half a message. The leading dot and
        // other extension keep it out of the mailbox's listing even if a crash leaves it behind.
        var temp = Path.Combine(_folder, $".{messageId:N}-{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16384, useAsync: true))
                await message.WriteToAsync(MailMessageFactory.Format, stream, cancellationToken);

            await _placing.WaitAsync(cancellationToken);
            try
            {
                // A retry replaces the first attempt's file under its name, rather than adding a second copy.
                var target = Directory.EnumerateFiles(_folder, MailFileNames.PatternFor(messageId)).Order(StringComparer.Ordinal).FirstOrDefault()
                             ?? Path.Combine(_folder, MailFileNames.For(now, messageId) + MailFileNames.Extension);
                File.Move(temp, target, overwrite: true);
            }
            finally
            {
                _placing.Release();
            }
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
