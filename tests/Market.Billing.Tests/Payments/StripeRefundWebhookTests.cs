using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Market.Billing.Payments;
using Market.Billing.Tests.Support;
using Stripe;

namespace Market.Billing.Tests.Payments;

/// <summary>Refund and dispute webhooks, verified by Stripe.net like checkout events.</summary>
public sealed class StripeRefundWebhookTests
{
    private const string Secret = "whsec_test_5ecret";
    private static readonly Guid OrderId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static StripeWebhookReader Reader() =>
        new(new StripeSettings { SecretKey = "sk_test_fake", WebhookSecret = Secret }, new FixedTimeProvider(Now));

    private static string Sign(string payload, string secret = Secret)
    {
        var t = Now.AddSeconds(-2).ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    private static string Event(string type, JsonObject data) => new JsonObject
    {
        ["id"] = "evt_" + type.Replace('.', '_'),
        ["object"] = "event",
        ["api_version"] = StripeConfiguration.ApiVersion,
        ["created"] = Now.AddSeconds(-5).ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["type"] = type,
        ["data"] = new JsonObject { ["object"] = data },
    }.ToJsonString();

    private static JsonObject Refund(string id, long amount, string status = "succeeded") => new()
    {
        ["id"] = id, ["object"] = "refund", ["amount"] = amount, ["currency"] = "eur", ["status"] = status, ["charge"] = "ch_1", ["payment_intent"] = "pi_1",
        ["metadata"] = new JsonObject(),
    };

    private static JsonObject Dispute(string status) => new()
    {
        ["id"] = "dp_1", ["object"] = "dispute", ["amount"] = 4_900, ["currency"] = "eur", ["status"] = status, ["charge"] = "ch_1",
        ["payment_intent"] = "pi_1", ["metadata"] = new JsonObject(), ["reason"] = "fraudulent",
    };

    [Fact]
    public void A_charge_refunded_event_lists_each_succeeded_refund_of_the_charge()
    {
        var json = Event("charge.refunded", new JsonObject
        {
            ["id"] = "ch_1", ["object"] = "charge", ["amount"] = 4_900, ["amount_refunded"] = 1_900, ["currency"] = "eur", ["payment_intent"] = "pi_1",
            ["metadata"] = new JsonObject { ["order_id"] = OrderId.ToString() },
            ["refunds"] = new JsonObject
            {
                ["object"] = "list", ["has_more"] = false, ["url"] = "/v1/charges/ch_1/refunds",
                ["data"] = new JsonArray(Refund("re_2", 900), Refund("re_1", 1_000), Refund("re_failed", 50, "failed")),
            },
        });

        var message = Reader().ReadMessage(json, Sign(json)).ShouldBeOfType<ProviderRefunds>();

        message.EventId.ShouldBe("evt_charge_refunded");
        message.PaymentReference.ShouldBe("pi_1");
        message.OrderId.ShouldBe(OrderId);
        message.Currency.ShouldBe("EUR");
        message.Refunds.Select(r => (r.RefundId, r.AmountMinor)).ShouldBe([("re_2", 900L), ("re_1", 1_000L)]);
        Reader().Read(json, Sign(json)).ShouldBeNull("Read keeps returning only payment confirmations");
    }

    [Fact]
    public void Dispute_events_yield_opened_and_decided_disputes_and_ignore_inquiries()
    {
        var created = Event("charge.dispute.created", Dispute("needs_response"));
        Reader().ReadMessage(created, Sign(created)).ShouldBe(new ProviderDisputeOpened("evt_charge_dispute_created", "dp_1", "pi_1", null, 4_900, "EUR"));

        var lost = Event("charge.dispute.closed", Dispute("lost"));
        Reader().ReadMessage(lost, Sign(lost)).ShouldBe(new ProviderDisputeClosed("evt_charge_dispute_closed", "dp_1", "pi_1", null, 4_900, "EUR", Won: false));

        var won = Event("charge.dispute.closed", Dispute("won"));
        Reader().ReadMessage(won, Sign(won)).ShouldBeOfType<ProviderDisputeClosed>().Won.ShouldBeTrue();

        var inquiry = Event("charge.dispute.closed", Dispute("warning_closed"));
        Reader().ReadMessage(inquiry, Sign(inquiry)).ShouldBeNull();
    }

    [Fact]
    public void A_forged_refund_event_is_rejected()
    {
        var json = Event("charge.dispute.closed", Dispute("lost"));
        Should.Throw<WebhookRejectedException>(() => Reader().ReadMessage(json, Sign(json, "whsec_someone_else")));
    }
}
