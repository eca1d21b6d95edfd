namespace Market.Billing.Payments;

/// <summary>
/// Sends money to a payee's connected account. The built-in test provider and Stripe Connect sit behind it.
/// A transfer is idempotent by <see cref="TransferRequest.IdempotencyKey"/>: asking again with the same key
/// returns the first transfer, which is what lets a crashed payout run simply be run again.
/// </summary>
public interface IPayoutGateway
{
    string Provider { get; }

    /// <summary>Never throws for a provider's refusal (that is a failed result with the reason); throws only when the outcome is unknown.</summary>
    Task<TransferResult> TransferAsync(TransferRequest request, CancellationToken cancellationToken);
}

public sealed record TransferRequest(string IdempotencyKey, string Destination, string Currency, long AmountMinor, string TransferGroup, string Description);

public sealed record TransferResult(bool Succeeded, string? TransferId, string? FailureReason)
{
    public static TransferResult Paid(string transferId) => new(true, transferId, null);
    public static TransferResult Failed(string reason) => new(false, null, reason);
}

/// <summary>Connecting a payee's account at the provider (Stripe Connect onboarding; instant for the test provider).</summary>
public interface IPayoutOnboarding
{
    string Provider { get; }

    /// <summary>Creates the payee's account at the provider; returns its id.</summary>
    Task<string> CreateAccountAsync(string payeeId, string? email, string country, CancellationToken cancellationToken);

    /// <summary>Where to send the payee to finish onboarding; null when nothing is left to do there.</summary>
    Task<string?> OnboardingUrlAsync(string accountId, string returnUrl, string refreshUrl, CancellationToken cancellationToken);

    /// <summary>Asks the provider whether the account can receive payouts now.</summary>
    Task<bool> PayoutsEnabledAsync(string accountId, CancellationToken cancellationToken);
}
