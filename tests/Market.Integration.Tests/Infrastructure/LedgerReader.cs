using Marten;
using Market.Billing.Ledger;
using Market.Billing.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests.Infrastructure;

/// <summary>Reads the Marten ledger directly, to check what the pages show against what was posted.</summary>
public static class LedgerReader
{
    public static Task<List<ILedgerEvent>> SaleEventsAsync(this MarketAppFactory app, Guid orderId) =>
        app.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
            return (await session.Events.FetchStreamAsync(orderId)).Select(e => e.Data).Cast<ILedgerEvent>().ToList();
        });

    public static Task<IReadOnlyList<PayeeBalance>> PayeeBalancesAsync(this MarketAppFactory app) =>
        app.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.Query<PayeeBalance>().ToListAsync();
        });

    public static Task<int> StreamCountAsync(this MarketAppFactory app) =>
        app.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.Events.QueryAllRawEvents().Select(e => e.StreamId).Distinct().CountAsync();
        });
}
