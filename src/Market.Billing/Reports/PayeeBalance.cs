using Marten.Events.Projections;
using Market.Billing.Ledger;

namespace Market.Billing.Reports;

/// <summary>What the marketplace owes one payee in one currency: royalties accrued and not yet paid out.</summary>
public sealed record PayeeBalance(string Id, string PayeeId, string Currency, long AccruedMinor, int Items, DateTimeOffset LastAccruedAt)
{
    public static string KeyFor(string payeeId, string currency) => $"{payeeId}/{currency}";
}

/// <summary>
/// Folds royalties into per-payee, per-currency balances. Inline, so the payout report reads balances
/// written in the same transaction as the sale; the time comes from the event, never from a clock here.
/// </summary>
public sealed class PayeeBalanceProjection : MultiStreamProjection<PayeeBalance, string>
{
    public PayeeBalanceProjection()
    {
        Identity<RoyaltyAccrued>(e => PayeeBalance.KeyFor(e.PayeeId, e.Currency));
    }

    public static PayeeBalance Create(RoyaltyAccrued e) =>
        new(PayeeBalance.KeyFor(e.PayeeId, e.Currency), e.PayeeId, e.Currency, e.AmountMinor, 1, e.RecordedAt);

    public static PayeeBalance Apply(RoyaltyAccrued e, PayeeBalance current) =>
        current with { AccruedMinor = current.AccruedMinor + e.AmountMinor, Items = current.Items + 1, LastAccruedAt = e.RecordedAt };
}
