using System.Net;
using Marten;
using Market.Billing.Sales;
using Market.Billing.Ledger;
using Market.Domain.Licensing;
using Market.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests;

/// <summary>The license rows (EF Core) and the ledger events (Marten) commit in one transaction, or neither does.</summary>
public sealed class LedgerTransactionTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task When_the_ledger_refuses_the_sale_no_license_is_issued_and_the_order_stays_unpaid()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.ListAsync(App, "Atomic");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(id);
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        var orderId = Guid.Parse(paymentPage.Split('/')[^1]);

        // Someone already posted a stream under this order's id: the ledger must refuse to post the sale again,
        // and everything the payment confirmation wrote through EF Core must roll back with it.
        await App.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<IDocumentStore>().LightweightSession();
            session.Events.StartStream<SaleLedger>(orderId, new SalePosted(orderId, Guid.NewGuid(), Guid.NewGuid(), "EUR", 1, "test", "x", 0,
                [new SaleItemPosting(Guid.NewGuid(), 1, 1, 1, [])], App.Clock.GetUtcNow()));
            await session.SaveChangesAsync();
            return 0;
        });

        var response = await buyer.SubmitAsync(paymentPage, new Dictionary<string, string>(), handler: "Pay");
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);

        (await Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Licenses))).ShouldBe(0);
        (await Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.ProcessedPaymentEvents))).ShouldBe(0);
        (await Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Orders.Select(o => o.Status)))).ShouldBe(OrderStatus.AwaitingPayment);
        (await App.SaleEventsAsync(orderId)).Count.ShouldBe(1, "only the stream planted by the test");
        (await App.PayeeBalancesAsync()).ShouldBeEmpty("the planted sale pays nobody and the refused one posted nothing");
    }

    [Fact]
    public async Task The_ledger_keeps_its_events_in_its_own_schema_with_causation_and_correlation()
    {
        var store = App.Services.GetRequiredService<IDocumentStore>();
        store.Options.Events.DatabaseSchemaName.ShouldBe(LedgerStore.Schema);
        store.Options.DatabaseSchemaName.ShouldBe(LedgerStore.Schema);

        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.ListAsync(App, "Caused");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(id);
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        await buyer.PayWithTestProviderAsync(paymentPage);
        var orderId = Guid.Parse(paymentPage.Split('/')[^1]);

        var events = await App.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.Events.FetchStreamAsync(orderId);
        });
        events.ShouldAllBe(e => e.CausationId == $"test_evt_{orderId:N}" && e.CorrelationId == orderId.ToString());
    }
}
