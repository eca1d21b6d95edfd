using Stripe;
using Stripe.Checkout;

namespace Market.Billing.Payments;

/// <summary>Stripe settings, from configuration or the environment only (Payments__Stripe__SecretKey, ...).</summary>
public sealed class StripeSettings
{
    public string SecretKey { get; set; } = "";
    public string WebhookSecret { get; set; } = "";
    /// <summary>Left empty in production; tests point it at a local fake Stripe server.</summary>
    public string? ApiBase { get; set; }
    /// <summary>How old a webhook's signed timestamp may be before it counts as a replay.</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;

    internal IStripeClient CreateClient(HttpClient? httpClient = null) =>
        new StripeClient(
            apiKey: SecretKey,
            httpClient: httpClient is null ? null : new SystemNetHttpClient(httpClient),
            apiBase: string.IsNullOrWhiteSpace(ApiBase) ? null : ApiBase);
}

/// <summary>
/// Stripe Checkout: one hosted session per order. The order id goes in as client reference and metadata so
/// the webhook can find the order, and doubles as the idempotency key so a retried request never opens a
/// second session; it is also the transfer group that payouts to creators will use.
/// </summary>
public sealed class StripePaymentGateway(IStripeClient client) : IPaymentGateway
{
    /// <summary>The gateway for these settings; callers outside Billing never handle Stripe.net types.</summary>
    public static IPaymentGateway Create(StripeSettings settings, HttpClient? httpClient = null) =>
        new StripePaymentGateway(settings.CreateClient(httpClient));

    public string Provider => PaymentProviders.Stripe;

    public async Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        if (request.Lines.Count == 0 || request.AmountMinor <= 0) throw new ArgumentException("Nothing to pay.", nameof(request));
        if (request.Lines.Any(l => l.AmountMinor < 0)) throw new ArgumentException("A line cannot be negative.", nameof(request));
        if (request.Lines.Sum(l => l.AmountMinor) != request.AmountMinor)
            throw new ArgumentException("The lines do not add up to the amount.", nameof(request));

        var orderId = request.OrderId.ToString();
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = request.SuccessUrl,
            CancelUrl = request.CancelUrl,
            ClientReferenceId = orderId,
            CustomerEmail = request.CustomerEmail,
            Metadata = new Dictionary<string, string> { ["order_id"] = orderId },
            PaymentIntentData = new SessionPaymentIntentDataOptions
            {
                TransferGroup = $"order_{request.OrderId:N}",
                Metadata = new Dictionary<string, string> { ["order_id"] = orderId },
            },
            LineItems = request.Lines.Select(l => new SessionLineItemOptions
            {
                Quantity = 1,
                PriceData = new SessionLineItemPriceDataOptions
                {
                    Currency = request.Currency.ToLowerInvariant(),
                    UnitAmount = l.AmountMinor,
                    ProductData = new SessionLineItemPriceDataProductDataOptions { Name = l.Description },
                },
            }).ToList(),
        };
        var session = await new SessionService(client).CreateAsync(
            options, new RequestOptions { IdempotencyKey = $"checkout_{request.OrderId:N}" }, cancellationToken);
        return new CheckoutSession(session.Id, session.Url);
    }

    /// <summary>Expires the Checkout Session; Stripe refuses if it was already completed, and that refusal is passed on.</summary>
    public async Task CancelCheckoutAsync(string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            await new SessionService(client).ExpireAsync(sessionId, cancellationToken: cancellationToken);
        }
        catch (StripeException e)
        {
            throw new CheckoutNotCancelledException(sessionId, e.Message, e);
        }
    }

    /// <summary>
    /// A Stripe refund of the payment intent. The idempotency key makes a retry (a double click, a lost answer)
    /// return Stripe's first refund; the order id in metadata lets the refund webhook find the sale.
    /// </summary>
    public async Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        if (request.AmountMinor <= 0) throw new RefundFailedException("A refund must be for a positive amount.");
        try
        {
            var refund = await new RefundService(client).CreateAsync(new RefundCreateOptions
            {
                PaymentIntent = request.PaymentReference,
                Amount = request.AmountMinor,
                Reason = "requested_by_customer",
                Metadata = new Dictionary<string, string> { ["order_id"] = request.OrderId.ToString(), ["reason"] = request.Reason },
            }, new RequestOptions { IdempotencyKey = request.IdempotencyKey }, cancellationToken);
            if (refund.Status is "failed" or "canceled")
                throw new RefundFailedException($"Stripe did not refund: {refund.FailureReason ?? refund.Status}.");
            return new RefundResult(refund.Id, refund.Amount);
        }
        catch (StripeException e)
        {
            throw new RefundFailedException($"Stripe refused the refund: {e.StripeError?.Message ?? e.Message}", e);
        }
    }
}

/// <summary>Reads Stripe webhooks. The signature is checked by Stripe.net's own verifier, against our clock.</summary>
public sealed class StripeWebhookReader(StripeSettings settings, TimeProvider clock)
{
    /// <summary>
    /// Returns the confirmation a verified <c>checkout.session.completed</c> (paid) carries; null for any other
    /// verified event. Throws <see cref="WebhookRejectedException"/> when the signature, timestamp or payload is bad.
    /// </summary>
    public PaymentConfirmation? Read(string json, string? signatureHeader) => ReadMessage(json, signatureHeader) as PaymentConfirmation;

    /// <summary>
    /// Every verified event the site acts on: a paid checkout (<see cref="PaymentConfirmation"/>), refunds
    /// (<see cref="ProviderRefunds"/>), a dispute opened or closed (<see cref="ProviderDisputeOpened"/>,
    /// <see cref="ProviderDisputeClosed"/>); null for any other verified event. Same rejection as <see cref="Read"/>.
    /// </summary>
    public object? ReadMessage(string json, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(settings.WebhookSecret))
            throw new WebhookRejectedException("Stripe webhooks are not configured (Payments:Stripe:WebhookSecret).");
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, signatureHeader ?? "", settings.WebhookSecret,
                settings.WebhookToleranceSeconds, clock.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is StripeException or System.Text.Json.JsonException or Newtonsoft.Json.JsonException or ArgumentException)
        {
            throw new WebhookRejectedException(e.Message, e);
        }

        switch (stripeEvent.Type)
        {
            // Card payments arrive paid with "completed"; delayed methods (SEPA, bank transfer) later with "async_payment_succeeded".
            case EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded when stripeEvent.Data.Object is Session session:
                if (session.PaymentStatus != "paid") return null;
                if (!Guid.TryParse(session.ClientReferenceId, out var orderId))
                    throw new WebhookRejectedException($"Checkout session {session.Id} carries no order id.");
                return new PaymentConfirmation(PaymentProviders.Stripe, stripeEvent.Id, orderId, session.Id,
                    session.AmountTotal ?? 0, (session.Currency ?? "").ToUpperInvariant(), session.PaymentIntentId ?? session.Id);

            // The charge lists its refunds; each has its own id, which is what makes a redelivery (or the refund
            // the finance page already posted) post nothing twice. Refunds not yet succeeded are left for a later event.
            case EventTypes.ChargeRefunded when stripeEvent.Data.Object is Charge charge:
                var refunds = (charge.Refunds?.Data ?? [])
                    .Where(r => r.Status is "succeeded" or "pending")
                    .Select(r => new ProviderRefund(r.Id, r.Amount, r.Metadata?.GetValueOrDefault("reason") ?? r.Reason ?? "Refunded at Stripe"))
                    .ToList();
                return new ProviderRefunds(stripeEvent.Id, charge.PaymentIntentId ?? charge.Id, OrderIdIn(charge.Metadata),
                    (charge.Currency ?? "").ToUpperInvariant(), refunds);

            case EventTypes.ChargeDisputeCreated when stripeEvent.Data.Object is Dispute dispute:
                return new ProviderDisputeOpened(stripeEvent.Id, dispute.Id, dispute.PaymentIntentId ?? dispute.ChargeId, OrderIdIn(dispute.Metadata),
                    dispute.Amount, (dispute.Currency ?? "").ToUpperInvariant());

            // Only a decided dispute moves money back or for good; "warning_closed" ends an inquiry that never took any.
            case EventTypes.ChargeDisputeClosed when stripeEvent.Data.Object is Dispute dispute && dispute.Status is "won" or "lost":
                return new ProviderDisputeClosed(stripeEvent.Id, dispute.Id, dispute.PaymentIntentId ?? dispute.ChargeId, OrderIdIn(dispute.Metadata),
                    dispute.Amount, (dispute.Currency ?? "").ToUpperInvariant(), dispute.Status == "won");

            default:
                return null;
        }
    }

    private static Guid? OrderIdIn(Dictionary<string, string>? metadata) =>
        metadata?.GetValueOrDefault("order_id") is { } text && Guid.TryParse(text, out var id) ? id : null;
}

/// <summary>
/// Refunds of one payment. <see cref="PaymentReference"/> is the payment intent (what the ledger's sales index
/// keeps); <see cref="OrderId"/> is set when the provider carried it in metadata.
/// </summary>
public sealed record ProviderRefunds(string EventId, string PaymentReference, Guid? OrderId, string Currency, IReadOnlyList<ProviderRefund> Refunds);

public sealed record ProviderRefund(string RefundId, long AmountMinor, string Reason);

public sealed record ProviderDisputeOpened(string EventId, string DisputeId, string PaymentReference, Guid? OrderId, long AmountMinor, string Currency);

/// <summary>Carries the disputed amount too, so a "closed" that arrives before its "created" can open the dispute first.</summary>
public sealed record ProviderDisputeClosed(string EventId, string DisputeId, string PaymentReference, Guid? OrderId, long AmountMinor, string Currency, bool Won);

/// <summary>A webhook that is unsigned, stale, forged or malformed. Nothing it says is acted on.</summary>
public sealed class WebhookRejectedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The provider would not cancel a checkout session, typically because the buyer has just paid it.</summary>
public sealed class CheckoutNotCancelledException(string sessionId, string reason, Exception inner)
    : Exception($"Checkout session {sessionId} could not be cancelled: {reason}", inner);
