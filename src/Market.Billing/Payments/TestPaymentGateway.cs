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

    /// <summary>
    /// Refunds at once, since no money moved. The id is derived from the idempotency key, so a retry gets the
    /// same refund id and the ledger posts it once; it starts with "test_re_" so it is never mistaken for a real one.
    /// </summary>
    public Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        if (request.AmountMinor <= 0) throw new RefundFailedException("A refund must be for a positive amount.");
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(request.IdempotencyKey)))[..24];
        return Task.FromResult(new RefundResult($"test_re_{id}", request.AmountMinor));
    }
}
