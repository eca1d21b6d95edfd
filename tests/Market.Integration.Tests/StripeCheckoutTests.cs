using Market.Billing.Sales;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Market.Domain.Licensing;
using Market.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests;

/// <summary>
/// Checkout through Stripe end to end, against a fake Stripe API: the site opens a Checkout Session with
/// Stripe.net, the buyer is sent to Stripe, and a signed webhook (verified by Stripe.net) confirms the payment
/// through a Hangfire job that issues the license and posts the sale once, however often it is delivered.
/// </summary>
[Collection(MarketCollection.Name)]
public sealed class StripeCheckoutTests(StripeAppFactory stripe, MarketAppFactory worker) : IAsyncLifetime, IntegrationTestAccess
{
    public Task InitializeAsync()
    {
        stripe.CheckoutRequests.Clear();
        stripe.ExpiredSessions.Clear();
        stripe.PaidSessions.Clear();
        stripe.Clock.Reset();
        // The worker's host runs the ledger's projection daemon; resetting through it pauses and restarts it.
        return worker.ResetAsync();
    }
    public Task DisposeAsync() => Task.CompletedTask;
    public WebSession Session() => new(stripe.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
    public DateTimeOffset Now() => stripe.Clock.GetUtcNow();

    [Fact]
    public async Task A_signed_checkout_completed_webhook_issues_the_license_once()
    {
        _ = worker.Services; // the instance whose Hangfire server runs the jobs
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var workId = await creator.ListAsync(stripe, "Paid by card", "12.50");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(workId);

        var checkout = await buyer.CheckoutAsync();
        checkout.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(checkout)).Errors());
        checkout.Headers.Location!.OriginalString.ShouldStartWith("https://checkout.stripe.test/pay/cs_test_");
        var order = await stripe.DbAsync(db => db.Orders.AsNoTracking().SingleAsync());
        order.Provider.ShouldBe("stripe");
        order.ProviderSessionId.ShouldStartWith("cs_test_");
        var sent = stripe.CheckoutRequests.ShouldHaveSingleItem();
        sent["client_reference_id"].ToString().ShouldBe(order.Id.ToString());
        sent["line_items[0][price_data][unit_amount]"].ToString().ShouldBe("1250");
        sent["line_items[0][price_data][currency]"].ToString().ShouldBe("eur");
        // Stripe sends the buyer back to the configured public address, never to whatever Host the request named.
        sent["success_url"].ToString().ShouldBe($"{StripeAppFactory.PublicUrl}/Licenses?order={order.Id}");
        sent["cancel_url"].ToString().ShouldBe($"{StripeAppFactory.PublicUrl}/Bundles/Details/{order.BundleId}");

        var succeededBefore = Monitoring.SucceededListCount();
        long JobsSucceeded() => Monitoring.SucceededListCount() - succeededBefore;
        var payload = CompletedEvent("evt_1", order.Id, order.ProviderSessionId!, 1250);
        var client = stripe.CreateClient();
        (await client.PostAsync("/webhooks/stripe", Signed(payload))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsync("/webhooks/stripe", Signed(payload))).StatusCode.ShouldBe(HttpStatusCode.OK, "a redelivery is acknowledged");

        await Wait.UntilAsync(async () => await stripe.DbAsync(db => db.Licenses.AnyAsync()),
            "the webhook job issued the license");
        // Let the redelivered event's job run too, then check it changed nothing.
        await Wait.UntilAsync(() => Task.FromResult(JobsSucceeded() >= 2), "both webhook jobs finished");
        (await stripe.DbAsync(db => db.Licenses.CountAsync())).ShouldBe(1);
        (await stripe.DbAsync(db => db.Orders.Select(o => o.Status).SingleAsync())).ShouldBe(OrderStatus.Paid);
        (await stripe.SaleEventsAsync(order.Id)).ShouldHaveSingleItem().ShouldBeOfType<SalePosted>();
        (await stripe.PayeeBalancesAsync()).ShouldHaveSingleItem().PendingMinor.ShouldBe(1000);
    }

    [Fact]
    public async Task A_webhook_whose_amount_does_not_match_the_order_issues_nothing()
    {
        _ = worker.Services;
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var workId = await creator.ListAsync(stripe, "Underpaid", "12.50");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(workId);
        await buyer.CheckoutAsync();
        var order = await stripe.DbAsync(db => db.Orders.AsNoTracking().SingleAsync());

        var failedBefore = Monitoring.FailedCount();
        var response = await stripe.CreateClient().PostAsync("/webhooks/stripe", Signed(CompletedEvent("evt_short", order.Id, order.ProviderSessionId!, 1)));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        // The job fails at once, without retries, and Hangfire keeps it for a person to inspect; nothing is issued or posted.
        await Wait.UntilAsync(() => Task.FromResult(Monitoring.FailedCount() > failedBefore), "the webhook job ran and failed");
        (await stripe.DbAsync(db => db.Licenses.CountAsync())).ShouldBe(0);
        (await stripe.SaleEventsAsync(order.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Checking_out_again_expires_the_abandoned_stripe_session_first()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var workId = await creator.ListAsync(stripe, "Second thoughts", "12.50");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(workId);
        await buyer.CheckoutAsync();
        var first = await stripe.DbAsync(db => db.Orders.AsNoTracking().SingleAsync());

        var again = await buyer.CheckoutAsync();
        again.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(again)).Errors());
        stripe.ExpiredSessions.ShouldBe([first.ProviderSessionId!]);
        var orders = await stripe.DbAsync(db => db.Orders.AsNoTracking().ToListAsync());
        orders.Single(o => o.Id == first.Id).Status.ShouldBe(OrderStatus.Cancelled);
        orders.Single(o => o.Id != first.Id).Status.ShouldBe(OrderStatus.AwaitingPayment);
    }

    [Fact]
    public async Task A_checkout_whose_session_stripe_will_not_expire_is_left_to_finish_and_no_second_order_is_placed()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var workId = await creator.ListAsync(stripe, "Already paying", "12.50");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(workId);
        await buyer.CheckoutAsync();
        var first = await stripe.DbAsync(db => db.Orders.AsNoTracking().SingleAsync());
        stripe.PaidSessions[first.ProviderSessionId!] = true;

        var again = await buyer.CheckoutAsync();
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(again)).Text("[data-testid=errors]").ShouldContain("already under way");
        var orders = await stripe.DbAsync(db => db.Orders.AsNoTracking().ToListAsync());
        orders.ShouldHaveSingleItem().Status.ShouldBe(OrderStatus.AwaitingPayment);
        stripe.CheckoutRequests.Count.ShouldBe(1);
    }

    // Hangfire's job history outlives the per-test reset, so tests compare counts before and after.
    private Hangfire.Storage.IMonitoringApi Monitoring => stripe.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();

    [Fact]
    public async Task Webhooks_delivered_out_of_order_issue_one_license_and_post_one_sale()
    {
        _ = worker.Services;
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var workId = await creator.ListAsync(stripe, "Paid by bank transfer", "12.50");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(workId);
        (await buyer.CheckoutAsync()).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var order = await stripe.DbAsync(db => db.Orders.AsNoTracking().SingleAsync());
        var succeededBefore = Monitoring.SucceededListCount();
        var client = stripe.CreateClient();

        // A delayed payment: Stripe's "async_payment_succeeded" overtakes the earlier "completed (unpaid)", then the
        // session expiry of an abandoned retry and a late "completed (paid)" arrive, each with its own event id.
        var events = new[]
        {
            CompletedEvent("evt_async", order.Id, order.ProviderSessionId!, 1250, type: "checkout.session.async_payment_succeeded"),
            CompletedEvent("evt_unpaid", order.Id, order.ProviderSessionId!, 1250, paymentStatus: "unpaid"),
            CompletedEvent("evt_expired", order.Id, order.ProviderSessionId!, 1250, type: "checkout.session.expired", paymentStatus: "unpaid"),
            CompletedEvent("evt_paid_late", order.Id, order.ProviderSessionId!, 1250),
        };
        foreach (var payload in events)
            (await client.PostAsync("/webhooks/stripe", Signed(payload))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Two events confirm payment (async and the late completed); both jobs run, one license results.
        await Wait.UntilAsync(() => Task.FromResult(Monitoring.SucceededListCount() - succeededBefore >= 2), "both confirmation jobs finished");
        (await stripe.DbAsync(db => db.Licenses.CountAsync())).ShouldBe(1);
        (await stripe.DbAsync(db => db.Orders.Select(o => o.Status).SingleAsync())).ShouldBe(OrderStatus.Paid);
        (await stripe.DbAsync(db => db.ProcessedPaymentEvents.Select(e => e.EventId).OrderBy(e => e).ToListAsync()))
            .ShouldBe(["evt_async", "evt_paid_late"]);
        (await stripe.SaleEventsAsync(order.Id)).ShouldHaveSingleItem().ShouldBeOfType<SalePosted>();
        (await stripe.PayeeBalancesAsync()).ShouldHaveSingleItem().PendingMinor.ShouldBe(1000);
    }

    private static string CompletedEvent(string eventId, Guid orderId, string sessionId, long amount,
        string type = "checkout.session.completed", string paymentStatus = "paid") => $$"""
        {"id":"{{eventId}}","object":"event","api_version":"{{Stripe.StripeConfiguration.ApiVersion}}","created":1700000000,"type":"{{type}}",
         "data":{"object":{"id":"{{sessionId}}","object":"checkout.session","client_reference_id":"{{orderId}}","amount_total":{{amount}},
           "currency":"eur","payment_status":"{{paymentStatus}}","status":"complete","payment_intent":"pi_{{eventId}}","mode":"payment"} } }
        """;

    private StringContent Signed(string payload)
    {
        var timestamp = stripe.Clock.GetUtcNow().ToUnixTimeSeconds();
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(MarketAppFactory.StripeWebhookSecret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}")));
        var content = new StringContent(payload, Encoding.UTF8, "application/json");
        content.Headers.Add("Stripe-Signature", $"t={timestamp},v1={signature}");
        return content;
    }
}
