using System.Security.Cryptography;
using System.Text;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Shares;

/// <summary>
/// Asks a rights holder to confirm their share: a fresh single-use link by e-mail (only its hash is stored),
/// and, when an account already uses that address, a notification in the site as well.
/// </summary>
public sealed class ShareRequests(MarketDb db, Notifier notifier, SiteSettings site, TimeProvider clock)
{
    public async Task AskAsync(Work work, RightsHolder holder, string creatorName, CancellationToken ct)
    {
        var token = NewToken();
        holder.IssueLink(Hash(token), clock.GetUtcNow());
        var link = site.Absolute($"/Shares/Respond?token={token}");
        var share = $"{Domain.Catalog.Shares.Percent(holder.SplitBasisPoints)} as {Domain.Licensing.License.RoleText(holder.Role)}";
        notifier.Email(holder.Email!, holder.Name, $"Confirm your share of “{work.Title}”",
            $"""
            Hello {holder.Name},

            {creatorName} named you as a rights holder of “{work.Title}” on the marketplace, with a share of {share} of its royalties from AI-training licenses.
            The work cannot be sold until you confirm. If this is wrong, refuse: the work stays off the market and {creatorName} is told.

            Confirm or refuse here (the link works once and expires in {RightsHolder.LinkLifetime.Days} days):
            {link}

            If you do not know what this is about, you can ignore this e-mail or refuse.
            """);
        var accounts = await db.Users.Where(u => u.NormalizedEmail == holder.Email!.ToUpperInvariant()).Select(u => u.Id).ToListAsync(ct);
        await notifier.NotifyAsync(accounts, NotificationKind.ShareConfirmationRequested, $"Confirm your share of “{work.Title}”",
            $"{creatorName} named you as a rights holder ({share}). Confirm or refuse on your shares page.", "/Shares", ct, email: false);
    }

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
