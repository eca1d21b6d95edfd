using Market.Billing.Payments;

namespace Market.Billing.Tests.Payments;

public sealed class TestPaymentGatewayTests
{
    private static readonly Guid OrderId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static CheckoutRequest Request(long amount) =>
        new(OrderId, "EUR", amount, [new CheckoutLine("Licence", amount)], "/ok", "/cancel", null);

    [Fact]
    public async Task Checkout_sends_the_buyer_to_the_sites_own_test_payment_page_for_the_order()
    {
        var gateway = new TestPaymentGateway();

        var session = await gateway.StartCheckoutAsync(Request(4_900), CancellationToken.None);

        session.RedirectUrl.ShouldBe("/Payments/Test/0f8fad5b-d9cb-469f-a165-70867728950e");
        session.SessionId.ShouldBe("test_cs_0f8fad5bd9cb469fa16570867728950e");
        gateway.Provider.ShouldBe(PaymentProviders.Test);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    public async Task Nothing_to_pay_is_refused(long amount)
    {
        await Should.ThrowAsync<ArgumentException>(() => new TestPaymentGateway().StartCheckoutAsync(Request(amount), CancellationToken.None));
    }
}
