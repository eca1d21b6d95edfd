using Market.Billing.Sales;

namespace Market.Billing.Claims;

/// <summary>
/// A work whose royalties do not go to its holders: held while a theft claim is open, or sent to the proven
/// owner once it is upheld. A Marten document keyed by the work id, written in the same transaction as the
/// claim's ledger events, and read by every sale of the work.
/// </summary>
public sealed class RoyaltyRoute
{
    public Guid Id { get; set; }
    public Guid ClaimId { get; set; }
    /// <summary>Null while the claim is open (held); the proven owner's payee id once upheld.</summary>
    public string? OwnerPayeeId { get; set; }
    public DateTimeOffset Since { get; set; }

    public WorkRoute ToRoute() => OwnerPayeeId is null ? new WorkRoute.Held(ClaimId) : new WorkRoute.Redirected(ClaimId, OwnerPayeeId);
}
