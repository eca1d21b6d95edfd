using System.Text.Json;
using Market.Billing.Payments;
using Stripe;

namespace Market.Billing.Tests.Payments;

public sealed class StripePaymentGatewayTests : IClassFixture<FakeStripeServer>
{
    private static readonly Guid OrderId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private readonly FakeStripeServer _stripe;
    private readonly StripePaymentGateway _gateway;

    public StripePaymentGatewayTests(FakeStripeServer stripe)
    {
        _stripe = stripe;
        _stripe.Reset();
        _gateway = new StripePaymentGateway(new StripeSettings { SecretKey = "sk_test_fake", ApiBase = stripe.BaseUrl }.CreateClient());
    }

    private static CheckoutRequest Request(long amount = 4_900, IReadOnlyList<CheckoutLine>? lines = null, string currency = "EUR", string? email = "buyer@example.test") =>
        new(OrderId, currency, amount,
            lines ?? [new CheckoutLine("Licence: Coastal birdsong corpus", 3_900), new CheckoutLine("Licence: Harbour sounds", 1_000)],
            "https://market.test/orders/ok", "https://market.test/orders/cancelled", email);

    private async Task<RecordedRequest> CheckoutAsync(CheckoutRequest request)
    {
        await _gateway.StartCheckoutAsync(request, CancellationToken.None);
        return _stripe.Requests.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task The_gateway_the_site_builds_with_its_own_HttpClient_talks_to_the_configured_api_base()
    {
        using var http = new HttpClient();
        var gateway = StripePaymentGateway.Create(new StripeSettings { SecretKey = "sk_test_site", ApiBase = _stripe.BaseUrl }, http);

        var session = await gateway.StartCheckoutAsync(Request(), CancellationToken.None);

        session.SessionId.ShouldBe(FakeStripeServer.SessionId);
        _stripe.Requests.ShouldHaveSingleItem().Headers["Authorization"].ShouldBe("Bearer sk_test_site");
    }

    [Fact]
    public void The_gateway_names_stripe_as_its_provider()
    {
        _gateway.Provider.ShouldBe(PaymentProviders.Stripe);
    }

    [Fact]
    public async Task Starting_checkout_returns_the_session_stripe_created()
    {
        var session = await _gateway.StartCheckoutAsync(Request(), CancellationToken.None);

        session.SessionId.ShouldBe(FakeStripeServer.SessionId);
        session.RedirectUrl.ShouldBe(FakeStripeServer.SessionUrl);
        var request = _stripe.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/v1/checkout/sessions");
    }

    [Fact]
    public async Task The_session_is_a_one_off_payment_that_points_back_at_the_order()
    {
        var form = (await CheckoutAsync(Request())).Form;

        form["mode"].ShouldBe("payment");
        form["client_reference_id"].ShouldBe(OrderId.ToString());
        form["metadata[order_id]"].ShouldBe(OrderId.ToString());
        form["payment_intent_data[metadata][order_id]"].ShouldBe(OrderId.ToString());
        form["payment_intent_data[transfer_group]"].ShouldBe("order_0f8fad5bd9cb469fa16570867728950e");
        form["success_url"].ShouldBe("https://market.test/orders/ok");
        form["cancel_url"].ShouldBe("https://market.test/orders/cancelled");
        form["customer_email"].ShouldBe("buyer@example.test");
    }

    [Fact]
    public async Task Each_line_is_sent_as_one_unit_priced_in_lower_case_currency()
    {
        var form = (await CheckoutAsync(Request())).Form;

        form["line_items[0][quantity]"].ShouldBe("1");
        form["line_items[0][price_data][unit_amount]"].ShouldBe("3900");
        form["line_items[0][price_data][currency]"].ShouldBe("eur");
        form["line_items[0][price_data][product_data][name]"].ShouldBe("Licence: Coastal birdsong corpus");
        form["line_items[1][quantity]"].ShouldBe("1");
        form["line_items[1][price_data][unit_amount]"].ShouldBe("1000");
        form["line_items[1][price_data][currency]"].ShouldBe("eur");
        form["line_items[1][price_data][product_data][name]"].ShouldBe("Licence: Harbour sounds");
        form.Keys.ShouldNotContain(k => k.StartsWith("line_items[2]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_customer_email_is_sent_when_the_buyer_gave_none()
    {
        var form = (await CheckoutAsync(Request(email: null))).Form;

        form.Keys.ShouldNotContain("customer_email");
    }

    [Fact]
    public async Task The_idempotency_key_is_derived_from_the_order_id_so_a_retry_reuses_the_session()
    {
        var first = await CheckoutAsync(Request());
        _stripe.Reset();
        var second = await CheckoutAsync(Request());

        first.Headers["Idempotency-Key"].ShouldBe("checkout_0f8fad5bd9cb469fa16570867728950e");
        second.Headers["Idempotency-Key"].ShouldBe(first.Headers["Idempotency-Key"]);
    }

    [Fact]
    public async Task The_secret_key_is_sent_as_a_bearer_token_with_the_pinned_api_version()
    {
        var headers = (await CheckoutAsync(Request())).Headers;

        headers["Authorization"].ShouldBe("Bearer sk_test_fake");
        headers["Stripe-Version"].ShouldBe(StripeConfiguration.ApiVersion);
    }

    [Theory]
    [InlineData(402, "card_error", "Your card was declined.")]
    [InlineData(400, "invalid_request_error", "Invalid currency: xxx.")]
    public async Task A_stripe_error_reply_surfaces_as_a_StripeException(int status, string type, string message)
    {
        _stripe.ReplyWith(status, JsonSerializer.Serialize(new { error = new { type, message, request_log_url = "https://dashboard.stripe.test/logs/req_fake_1" } }));

        var ex = await Should.ThrowAsync<StripeException>(() => _gateway.StartCheckoutAsync(Request(), CancellationToken.None));

        ((int)ex.HttpStatusCode).ShouldBe(status);
        ex.StripeError.Type.ShouldBe(type);
        ex.StripeError.Message.ShouldBe(message);
        // A client error is final: retrying it would only repeat the refusal.
        _stripe.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Lines_that_do_not_add_up_to_the_amount_are_refused_before_calling_stripe()
    {
        await Should.ThrowAsync<ArgumentException>(() => _gateway.StartCheckoutAsync(Request(amount: 5_000), CancellationToken.None));

        _stripe.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_checkout_without_lines_is_refused_before_calling_stripe()
    {
        await Should.ThrowAsync<ArgumentException>(() => _gateway.StartCheckoutAsync(Request(amount: 0, lines: []), CancellationToken.None));

        _stripe.Requests.ShouldBeEmpty();
    }
}
