using Marten;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Web.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Market.Integration.Tests.Infrastructure;

/// <summary>Reads the Marten ledger directly, to check what the pages show against what was posted.</summary>
public static class LedgerReader
{
    public static Task<List<ISaleTransaction>> SaleEventsAsync(this MarketAppFactory app, Guid orderId) =>
        app.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
            return (await session.Events.FetchStreamAsync(orderId)).Select(e => e.Data).Cast<ISaleTransaction>().ToList();
        });

    /// <summary>Payee balances once the ledger's projections have applied everything posted so far.</summary>
    public static Task<IReadOnlyList<PayeeBalance>> PayeeBalancesAsync(this MarketAppFactory app) =>
        app.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IDocumentStore>().CatchUpAsync();
            return await PayeeBalances.AllAsync(sp.GetRequiredService<NpgsqlDataSource>(), CancellationToken.None);
        });

    public static Task<int> StreamCountAsync(this MarketAppFactory app) =>
        app.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.Events.QueryAllRawEvents().Select(e => e.StreamId).Distinct().CountAsync();
        });
}
