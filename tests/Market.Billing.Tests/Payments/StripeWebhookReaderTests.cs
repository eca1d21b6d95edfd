using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Market.Billing.Payments;
using Market.Billing.Tests.Support;
using Stripe;

namespace Market.Billing.Tests.Payments;

public sealed class StripeWebhookReaderTests
{
    private const string Secret = "whsec_test_5ecret";
    private static readonly Guid OrderId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    // Long ago, so a reader that used the real clock instead of the one it was given would reject every event.
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static StripeWebhookReader Reader(string secret = Secret, int toleranceSeconds = 300) =>
        new(new StripeSettings { SecretKey = "sk_test_fake", WebhookSecret = secret, WebhookToleranceSeconds = toleranceSeconds },
            new FixedTimeProvider(Now));

    /// <summary>A <c>checkout.session.completed</c> event shaped like the ones Stripe sends.</summary>
    private static JsonObject CompletedEvent(string paymentStatus = "paid") => new()
    {
        ["id"] = "evt_test_1PqR",
        ["object"] = "event",
        ["api_version"] = StripeConfiguration.ApiVersion,
        ["created"] = Now.AddSeconds(-5).ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = "checkout_0f8fad5bd9cb469fa16570867728950e" },
        ["type"] = "checkout.session.completed",
        ["data"] = new JsonObject
        {
            ["object"] = new JsonObject
            {
                ["id"] = "cs_test_123",
                ["object"] = "checkout.session",
                ["amount_subtotal"] = 4_900,
                ["amount_total"] = 4_900,
                ["client_reference_id"] = OrderId.ToString(),
                ["created"] = Now.AddMinutes(-3).ToUnixTimeSeconds(),
                ["currency"] = "eur",
                ["customer_email"] = "buyer@example.test",
                ["livemode"] = false,
                ["metadata"] = new JsonObject { ["order_id"] = OrderId.ToString() },
                ["mode"] = "payment",
                ["payment_intent"] = "pi_test_456",
                ["payment_status"] = paymentStatus,
                ["status"] = "complete",
                ["success_url"] = "https://market.test/orders/ok",
                ["url"] = null,
            },
        },
    };

    private static JsonObject Session(JsonObject stripeEvent) => stripeEvent["data"]!["object"]!.AsObject();

    /// <summary>Signs like Stripe: HMAC-SHA256 of "{t}.{payload}" under the endpoint secret, hex, in a v1 entry.</summary>
    private static string Sign(string payload, long timestamp, string secret = Secret)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    private static string SignNow(string payload) => Sign(payload, Now.AddSeconds(-2).ToUnixTimeSeconds());

    /// <summary>Rejected because Stripe.net's own verifier refused it, not for some reason of ours.</summary>
    private static StripeException ShouldBeRefusedByStripeVerifier(Action read) =>
        Should.Throw<WebhookRejectedException>(read).InnerException.ShouldBeOfType<StripeException>();

    [Fact]
    public void A_signed_paid_checkout_yields_the_payment_confirmation()
    {
        var json = CompletedEvent().ToJsonString();

        var confirmation = Reader().Read(json, SignNow(json));

        confirmation.ShouldBe(new PaymentConfirmation(
            PaymentProviders.Stripe, "evt_test_1PqR", OrderId, "cs_test_123", 4_900, "EUR", "pi_test_456"));
    }

    [Fact]
    public void The_header_may_carry_several_signatures_as_during_secret_rotation()
    {
        var json = CompletedEvent().ToJsonString();
        var t = Now.ToUnixTimeSeconds();
        var header = $"{Sign(json, t, "whsec_old_secret")},{Sign(json, t).Split(',')[1]},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";

        Reader().Read(json, header).ShouldNotBeNull().OrderId.ShouldBe(OrderId);
    }

    [Fact]
    public void An_event_from_another_api_version_is_still_read()
    {
        var stripeEvent = CompletedEvent();
        stripeEvent["api_version"] = "2020-08-27";
        var json = stripeEvent.ToJsonString();

        Reader().Read(json, SignNow(json)).ShouldNotBeNull().AmountMinor.ShouldBe(4_900);
    }

    [Fact]
    public void A_session_without_a_payment_intent_is_referenced_by_its_session_id()
    {
        var stripeEvent = CompletedEvent();
        Session(stripeEvent)["payment_intent"] = null;
        var json = stripeEvent.ToJsonString();

        Reader().Read(json, SignNow(json)).ShouldNotBeNull().PaymentReference.ShouldBe("cs_test_123");
    }

    [Fact]
    public void A_tampered_payload_is_rejected()
    {
        var json = CompletedEvent().ToJsonString();
        var header = SignNow(json);

        var tampered = json.Replace("\"amount_total\":4900", "\"amount_total\":1", StringComparison.Ordinal);

        tampered.ShouldNotBe(json);
        ShouldBeRefusedByStripeVerifier(() => Reader().Read(tampered, header));
    }

    [Fact]
    public void A_signature_made_with_another_secret_is_rejected()
    {
        var json = CompletedEvent().ToJsonString();

        ShouldBeRefusedByStripeVerifier(() => Reader().Read(json, Sign(json, Now.ToUnixTimeSeconds(), "whsec_someone_else")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    public void A_missing_or_malformed_signature_header_is_rejected(string? header)
    {
        var json = CompletedEvent().ToJsonString();

        ShouldBeRefusedByStripeVerifier(() => Reader().Read(json, header));
    }

    [Fact]
    public void A_header_with_a_timestamp_but_no_v1_signature_is_rejected()
    {
        var json = CompletedEvent().ToJsonString();

        ShouldBeRefusedByStripeVerifier(() => Reader().Read(json, $"t={Now.ToUnixTimeSeconds()}"));
    }

    [Fact]
    public void A_signature_older_than_the_tolerance_is_rejected_as_a_replay()
    {
        var json = CompletedEvent().ToJsonString();

        ShouldBeRefusedByStripeVerifier(() => Reader().Read(json, Sign(json, Now.AddSeconds(-301).ToUnixTimeSeconds())))
            .Message.ShouldContain("tolerance");
    }

    [Theory]
    [InlineData("{\"id\": \"evt_test_1\", \"object\": \"event\", \"data\": ")]
    [InlineData("not json at all")]
    public void A_correctly_signed_but_malformed_payload_is_rejected(string payload)
    {
        Should.Throw<WebhookRejectedException>(() => Reader().Read(payload, SignNow(payload))).InnerException.ShouldNotBeNull();
    }

    [Fact]
    public void A_correctly_signed_thin_event_notification_is_rejected()
    {
        var json = """{"id":"evt_test_thin","object":"v2.core.event","type":"v1.billing.meter.error_report_triggered","created":"2024-05-01T11:59:58.000Z"}""";

        Should.Throw<WebhookRejectedException>(() => Reader().Read(json, SignNow(json)));
    }

    [Fact]
    public void A_signature_exactly_at_the_tolerance_is_accepted()
    {
        var json = CompletedEvent().ToJsonString();

        Reader().Read(json, Sign(json, Now.AddSeconds(-300).ToUnixTimeSeconds())).ShouldNotBeNull();
    }

    [Fact]
    public void The_configured_tolerance_is_the_one_applied()
    {
        var json = CompletedEvent().ToJsonString();
        var header = Sign(json, Now.AddSeconds(-61).ToUnixTimeSeconds());

        ShouldBeRefusedByStripeVerifier(() => Reader(toleranceSeconds: 60).Read(json, header));
        Reader(toleranceSeconds: 120).Read(json, header).ShouldNotBeNull();
    }

    [Fact]
    public void A_signature_dated_well_in_the_future_is_rejected()
    {
        var json = CompletedEvent().ToJsonString();

        ShouldBeRefusedByStripeVerifier(() => Reader().Read(json, Sign(json, Now.AddMinutes(10).ToUnixTimeSeconds())));
    }

    [Theory]
    [InlineData("unpaid")]
    [InlineData("no_payment_required")]
    public void A_completed_session_that_is_not_paid_yields_nothing(string paymentStatus)
    {
        var json = CompletedEvent(paymentStatus).ToJsonString();

        Reader().Read(json, SignNow(json)).ShouldBeNull();
    }

    [Fact]
    public void Another_event_type_yields_nothing()
    {
        var stripeEvent = CompletedEvent();
        stripeEvent["type"] = "payment_intent.succeeded";
        stripeEvent["data"] = new JsonObject
        {
            ["object"] = new JsonObject
            {
                ["id"] = "pi_test_456",
                ["object"] = "payment_intent",
                ["amount"] = 4_900,
                ["amount_received"] = 4_900,
                ["currency"] = "eur",
                ["status"] = "succeeded",
                ["metadata"] = new JsonObject { ["order_id"] = OrderId.ToString() },
            },
        };
        var json = stripeEvent.ToJsonString();

        Reader().Read(json, SignNow(json)).ShouldBeNull();
    }

    [Fact]
    public void An_expired_session_yields_nothing()
    {
        var stripeEvent = CompletedEvent("unpaid");
        stripeEvent["type"] = "checkout.session.expired";
        Session(stripeEvent)["status"] = "expired";
        var json = stripeEvent.ToJsonString();

        Reader().Read(json, SignNow(json)).ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-an-order-id")]
    public void A_paid_session_without_an_order_id_is_rejected(string? clientReferenceId)
    {
        var stripeEvent = CompletedEvent();
        Session(stripeEvent)["client_reference_id"] = clientReferenceId;
        var json = stripeEvent.ToJsonString();

        Should.Throw<WebhookRejectedException>(() => Reader().Read(json, SignNow(json))).Message.ShouldContain("cs_test_123");
    }

    [Fact]
    public void Without_a_configured_webhook_secret_nothing_is_accepted()
    {
        var json = CompletedEvent().ToJsonString();

        Should.Throw<WebhookRejectedException>(() => Reader(secret: "").Read(json, Sign(json, Now.ToUnixTimeSeconds(), "")))
            .Message.ShouldContain("not configured");
    }
}
