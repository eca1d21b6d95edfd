using Hangfire;
using Market.Billing.Payments;
using Market.Web.Features.Refunds;

namespace Market.Web.Features.Payments;

public static class StripeWebhook
{
    private const int MaxPayloadBytes = 512 * 1024;

    /// <summary>
    /// Verifies Stripe's signature (Stripe.net's own check), hands the confirmation to a job and answers at
    /// once, so Stripe never waits on our database. Anything unsigned, stale or malformed is a 400.
    /// </summary>
    public static void MapStripeWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/stripe", async (HttpRequest request, StripeWebhookReader reader, IBackgroundJobClient jobs, ILoggerFactory logs) =>
        {
            if (request.ContentLength > MaxPayloadBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            using var body = new StreamReader(request.Body);
            var json = await body.ReadToEndAsync();
            object? message;
            try
            {
                message = reader.ReadMessage(json, request.Headers["Stripe-Signature"]);
            }
            catch (WebhookRejectedException e)
            {
                logs.CreateLogger("StripeWebhook").LogWarning("Refused a Stripe webhook: {Reason}", e.Message);
                return Results.BadRequest(new { error = "invalid signature or payload" });
            }
            switch (message)
            {
                case PaymentConfirmation confirmation:
                    jobs.Enqueue<ConfirmPaymentJob>(job => job.RunAsync(confirmation, CancellationToken.None));
                    break;
                case ProviderRefunds refunds:
                    jobs.Enqueue<ProviderEventsJob>(job => job.RefundsAsync(refunds, CancellationToken.None));
                    break;
                case ProviderDisputeOpened opened:
                    jobs.Enqueue<ProviderEventsJob>(job => job.DisputeOpenedAsync(opened, CancellationToken.None));
                    break;
                case ProviderDisputeClosed closed:
                    jobs.Enqueue<ProviderEventsJob>(job => job.DisputeClosedAsync(closed, CancellationToken.None));
                    break;
            }
            return Results.Ok();
        }).DisableAntiforgery();
}
