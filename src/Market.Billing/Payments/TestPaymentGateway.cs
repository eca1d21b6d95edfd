namespace Market.Billing.Payments;

/// <summary>
/// The built-in test provider for local use and demos: no money moves. It sends the buyer to the site's own
/// clearly labelled test payment page, which confirms the payment when the buyer presses Pay.
/// </summary>
public sealed class TestPaymentGateway : IPaymentGateway
{
    public string Provider => PaymentProviders.Test;

    public Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        if (request.AmountMinor <= 0) throw new ArgumentException("Nothing to pay.", nameof(request));
        var sessionId = $"test_cs_{request.OrderId:N}";
        return Task.FromResult(new CheckoutSession(sessionId, $"/Payments/Test/{request.OrderId}"));
    }

    /// <summary>Nothing to do at a provider: the test payment page refuses any order that is not awaiting payment.</summary>
    public Task CancelCheckoutAsync(string sessionId, CancellationToken cancellationToken) => Task.CompletedTask;
}
