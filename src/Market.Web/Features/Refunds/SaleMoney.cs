using Marten;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Web.Data;
using Market.Web.Ledger;
using Market.Web.Notifications;
using Npgsql;

namespace Market.Web.Features.Refunds;

/// <summary>What refunds and disputes share: finding a sale from a provider's payment id, and telling its holders.</summary>
internal static class SaleMoney
{
    /// <summary>
    /// The order a provider's payment belongs to: the order id it carried in metadata, else the ledger's sales
    /// index by payment reference (a sale posted a moment ago may not be projected yet, so this catches up first).
    /// </summary>
    public static async Task<Guid?> OrderOfAsync(IDocumentStore store, NpgsqlDataSource db, Guid? orderId, string paymentReference, CancellationToken ct)
    {
        if (orderId is not null) return orderId;
        if (await FindAsync() is { } found) return found;
        await store.CatchUpAsync();
        return await FindAsync();

        async Task<Guid?> FindAsync()
        {
            await using var command = db.CreateCommand($"select sale_id from {LedgerTables.Qualified(SalesIndexProjection.Table)} where payment_reference = $1 limit 1");
            command.Parameters.Add(new NpgsqlParameter { Value = paymentReference });
            return await command.ExecuteScalarAsync(ct) is Guid id ? id : null;
        }
    }

    /// <summary>The accounts among the sale's payees (holders without an account hear on their statement).</summary>
    public static async Task NotifyHoldersAsync(MarketDb db, Notifier notifier, SaleLedger sale, string subject, string body, CancellationToken ct)
    {
        var payees = sale.Royalties.Values.Select(p => p.PayeeId).Distinct().ToList();
        var accounts = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Users.Where(u => payees.Contains(u.Id)).Select(u => u.Id), ct);
        if (accounts.Count > 0) await notifier.NotifyAsync(accounts, NotificationKind.SaleRefunded, subject, body, null, ct);
    }
}

/// <summary>
/// A provider event about a sale the ledger has not posted yet (the payment's own webhook is still queued).
/// Not a <see cref="LedgerException"/>, so the job retries it later.
/// </summary>
public sealed class SaleNotPostedYetException(string message) : Exception(message);
