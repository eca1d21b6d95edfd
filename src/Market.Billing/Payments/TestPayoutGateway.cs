using Marten;

namespace Market.Billing.Payments;

/// <summary>A transfer the test provider made, keyed by its idempotency key so a restarted process gets the same one back.</summary>
public sealed class TestPayoutTransfer
{
    /// <summary>The idempotency key.</summary>
    public string Id { get; set; } = "";
    public string TransferId { get; set; } = "";
    public string Destination { get; set; } = "";
    public string Currency { get; set; } = "";
    public long AmountMinor { get; set; }
    public string TransferGroup { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// The built-in test payout provider: no money moves. Transfers are Marten documents keyed by idempotency key,
/// written in their own session (a provider does not roll back with our transaction). A destination starting
/// with <see cref="FailingPrefix"/> is refused, so the failure path can be tried locally.
/// </summary>
public sealed class TestPayoutGateway(IDocumentStore store, TimeProvider clock) : IPayoutGateway, IPayoutOnboarding
{
    public const string FailingPrefix = "test_acct_fail_";

    public string Provider => PaymentProviders.Test;

    public async Task<TransferResult> TransferAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        if (request.AmountMinor <= 0) return TransferResult.Failed("The amount must be positive.");
        if (request.Destination.StartsWith(FailingPrefix, StringComparison.Ordinal)) return TransferResult.Failed("The test provider refuses this destination.");
        for (var attempt = 0; ; attempt++)
        {
            await using var session = store.LightweightSession();
            if (await session.LoadAsync<TestPayoutTransfer>(request.IdempotencyKey, cancellationToken) is { } earlier)
                // Like Stripe: the same key with different parameters is an error, not a second transfer.
                return earlier.Destination == request.Destination && earlier.AmountMinor == request.AmountMinor && earlier.Currency == request.Currency
                    ? TransferResult.Paid(earlier.TransferId)
                    : TransferResult.Failed("The idempotency key was used for a different transfer.");
            session.Insert(new TestPayoutTransfer
            {
                Id = request.IdempotencyKey, TransferId = $"test_tr_{Guid.NewGuid():N}", Destination = request.Destination, Currency = request.Currency,
                AmountMinor = request.AmountMinor, TransferGroup = request.TransferGroup, CreatedAt = clock.GetUtcNow(),
            });
            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (Exception) when (attempt == 0)
            {
                continue; // a concurrent call with the same key inserted first: read theirs
            }
            return TransferResult.Paid((await LoadAsync(request.IdempotencyKey, cancellationToken))!.TransferId);
        }
    }

    public async Task<TestPayoutTransfer?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<TestPayoutTransfer>(key, cancellationToken);
    }

    public Task<string> CreateAccountAsync(string payeeId, string? email, string country, CancellationToken cancellationToken) =>
        Task.FromResult($"test_acct_{Guid.NewGuid():N}");

    public Task<string?> OnboardingUrlAsync(string accountId, string returnUrl, string refreshUrl, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    public Task<bool> PayoutsEnabledAsync(string accountId, CancellationToken cancellationToken) => Task.FromResult(true);
}
