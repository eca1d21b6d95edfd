namespace Market.Billing.Payments;

/// <summary>
/// Where a buyer pays. The site talks only to this; the built-in test provider and Stripe sit behind it and
/// configuration picks one. Confirmation comes back separately (a page for the test provider, a verified
/// webhook for Stripe) as a <see cref="PaymentConfirmation"/>.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>Stored on the order so a confirmation is only accepted from the provider the order went to.</summary>
    string Provider { get; }

    Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Makes an open checkout session unpayable, so an abandoned payment can never complete after the buyer
    /// started a new one. Throws when the provider will not (e.g. the session was already paid).
    /// </summary>
    Task CancelCheckoutAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Returns (part of) a captured payment to the buyer. <see cref="RefundRequest.IdempotencyKey"/> makes a
    /// retried request return the same refund instead of refunding twice. Throws <see cref="RefundFailedException"/>
    /// when the provider refuses.
    /// </summary>
    Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}

/// <summary>A refund of <see cref="AmountMinor"/> of the payment <see cref="PaymentReference"/> (the provider's payment id).</summary>
public sealed record RefundRequest(Guid OrderId, string PaymentReference, long AmountMinor, string Currency, string Reason, string IdempotencyKey);

/// <summary>The provider's id for the refund: what the ledger records, so the provider's own refund webhook posts nothing twice.</summary>
public sealed record RefundResult(string RefundId, long AmountMinor);

public sealed class RefundFailedException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record CheckoutRequest(
    Guid OrderId,
    string Currency,
    long AmountMinor,
    IReadOnlyList<CheckoutLine> Lines,
    string SuccessUrl,
    string CancelUrl,
    string? CustomerEmail);

public sealed record CheckoutLine(string Description, long AmountMinor);

public sealed record CheckoutSession(string SessionId, string RedirectUrl);

/// <summary>A provider's word that an order was paid. <see cref="EventId"/> is the provider's id for the message.</summary>
public sealed record PaymentConfirmation(string Provider, string EventId, Guid OrderId, string SessionId, long AmountMinor, string Currency, string PaymentReference);

public static class PaymentProviders
{
    public const string Test = "test";
    public const string Stripe = "stripe";
}
