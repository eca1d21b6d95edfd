using Stripe;

namespace Market.Billing.Payments;

/// <summary>
/// Stripe Connect: Express accounts for payees, transfers from the platform balance. Every transfer carries the
/// caller's idempotency key, so Stripe returns the first transfer when a crashed run asks again.
/// </summary>
public sealed class StripePayoutGateway(IStripeClient client) : IPayoutGateway, IPayoutOnboarding
{
    public static StripePayoutGateway Create(StripeSettings settings, HttpClient? httpClient = null) => new(settings.CreateClient(httpClient));

    public string Provider => PaymentProviders.Stripe;

    public async Task<TransferResult> TransferAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var transfer = await new TransferService(client).CreateAsync(new TransferCreateOptions
            {
                Amount = request.AmountMinor,
                Currency = request.Currency.ToLowerInvariant(),
                Destination = request.Destination,
                TransferGroup = request.TransferGroup,
                Description = request.Description,
                Metadata = new Dictionary<string, string> { ["idempotency_key"] = request.IdempotencyKey },
            }, new RequestOptions { IdempotencyKey = request.IdempotencyKey }, cancellationToken);
            return TransferResult.Paid(transfer.Id);
        }
        // A refusal Stripe states (card/invalid request/permission) is a decided failure; anything else (network,
        // 5xx, rate limit) leaves the outcome unknown, so it propagates and the run is retried with the same key.
        catch (StripeException e) when (e.HttpStatusCode is >= System.Net.HttpStatusCode.BadRequest and < System.Net.HttpStatusCode.InternalServerError
                                         and not System.Net.HttpStatusCode.TooManyRequests and not System.Net.HttpStatusCode.Conflict)
        {
            return TransferResult.Failed(e.StripeError?.Message ?? e.Message);
        }
    }

    public async Task<string> CreateAccountAsync(string payeeId, string? email, string country, CancellationToken cancellationToken)
    {
        var account = await new AccountService(client).CreateAsync(new AccountCreateOptions
        {
            Type = "express",
            Country = country,
            Email = email,
            Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
            Metadata = new Dictionary<string, string> { ["payee_id"] = payeeId },
        }, new RequestOptions { IdempotencyKey = $"connect-account-{payeeId}" }, cancellationToken);
        return account.Id;
    }

    public async Task<string?> OnboardingUrlAsync(string accountId, string returnUrl, string refreshUrl, CancellationToken cancellationToken)
    {
        var link = await new AccountLinkService(client).CreateAsync(new AccountLinkCreateOptions
        {
            Account = accountId, ReturnUrl = returnUrl, RefreshUrl = refreshUrl, Type = "account_onboarding",
        }, cancellationToken: cancellationToken);
        return link.Url;
    }

    public async Task<bool> PayoutsEnabledAsync(string accountId, CancellationToken cancellationToken) =>
        (await new AccountService(client).GetAsync(accountId, cancellationToken: cancellationToken)).PayoutsEnabled;
}
