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
    public static async Task<Guid> BuyAsync(this WebSession buyer, params Guid[] workIds)
    {
        foreach (var id in workIds) await buyer.AddToBundleAsync(id);
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        await buyer.PayWithTestProviderAsync(paymentPage);
        return Guid.Parse(paymentPage.Split('/')[^1]);
    }

    public static Task PostAsync(this MarketAppFactory app, Guid saleId, Func<SaleLedger, object?> decide) =>
        app.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<IDocumentStore>().LightweightSession();
            var stream = await session.Events.FetchForWriting<SaleLedger>(saleId);
            var e = decide(stream.Aggregate ?? throw new InvalidOperationException("No such sale."));
            if (e is not null) stream.AppendOne(e);
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
