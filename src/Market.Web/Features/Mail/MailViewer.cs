using Market.Web.Data;
using Market.Web.Notifications.Email;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Mail;

/// <summary>
/// Who is reading the local mailbox. An admin reads everything; anyone else only mail sent to their own
/// account's address, so a tester can follow their own sign-up or receipt mail without seeing anyone else's.
/// </summary>
public sealed record MailViewer(bool SeesAll, string? Email)
{
    public static async Task<MailViewer> ResolveAsync(MarketDb db, string userId, bool isAdmin, CancellationToken ct)
    {
        if (isAdmin) return new MailViewer(true, null);
        var email = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        return new MailViewer(false, string.IsNullOrWhiteSpace(email) ? null : email);
    }

    public bool MaySee(MailboxMessage message) => SeesAll || (Email is not null && message.IsAddressedTo(Email));

    public Task<IReadOnlyList<MailboxEntry>> ListAsync(LocalMailbox mailbox, int limit, CancellationToken ct) =>
        SeesAll ? mailbox.ListAsync(limit, ct)
        : Email is null ? Task.FromResult<IReadOnlyList<MailboxEntry>>([])
        : mailbox.ListForAsync(Email, limit, ct);
}
