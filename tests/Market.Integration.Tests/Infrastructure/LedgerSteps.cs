using Marten;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Web.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Market.Integration.Tests.Infrastructure;

/// <summary>
/// Drives the ledger past the sale: refunds, disputes, maturity and claims decided by the real SaleDecisions and
/// appended to the sale's stream, as the commands that will call them do.
/// </summary>
public static class LedgerSteps
{
    /// <summary>Buys the works in one order and returns the sale id (the order id).</summary>
    public static async Task<Guid> BuyAsync(this WebSession buyer, MarketAppFactory app, params Guid[] workIds)
    {
        foreach (var id in workIds) await buyer.AddToBundleAsync(id);
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        var licenseId = await buyer.PayWithTestProviderAsync(paymentPage);
        return await app.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Licenses.Where(l => l.Id == licenseId).Select(l => l.OrderId)));
    }

    public static Task PostAsync(this MarketAppFactory app, Guid saleId, Func<SaleLedger, object?> decide) =>
        app.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<IDocumentStore>().LightweightSession();
            // Folded with SaleLedger.From (the same fold the live aggregation uses), appended at the expected
            // version so a concurrent writer would still be refused.
            var events = await session.Events.FetchStreamAsync(saleId);
            if (events.Count == 0) throw new InvalidOperationException("No such sale.");
            var e = decide(SaleLedger.From(events.Select(x => x.Data).Cast<ISaleTransaction>()));
            if (e is not null) session.Events.Append(saleId, events.Count + 1, e);
            await session.SaveChangesAsync();
            return 0;
        });

    public static Task<Statement> StatementAsync(this MarketAppFactory app, string payee, string currency, StatementPeriod period) =>
        app.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IDocumentStore>().CatchUpAsync();
            return await StatementQueries.LoadAsync(sp.GetRequiredService<NpgsqlDataSource>(), payee, currency, period, CancellationToken.None);
        });
}
