namespace Market.Billing.Ledger;

// A sale's stream (id = the order id) holds these three kinds of event. Each balances on its own: the sale
// moves the gross from payment clearing into an allocation suspense account, and the fee and the royalties
// empty that suspense account, so after the last of them it is back at zero for the sale.

/// <summary>The buyer's payment was captured for an order.</summary>
public sealed record SaleRecorded(
    Guid SaleId,
    Guid OrderId,
    Guid LicenseId,
    Guid OrganisationId,
    string Currency,
    long GrossMinor,
    string PaymentProvider,
    string PaymentReference,
    IReadOnlyList<JournalLine> Lines,
    DateTimeOffset RecordedAt) : ILedgerEvent;

/// <summary>The platform's fee on one item of the sale.</summary>
public sealed record PlatformFeeEarned(
    Guid SaleId,
    Guid WorkId,
    string Currency,
    long AmountMinor,
    int FeeBasisPoints,
    IReadOnlyList<JournalLine> Lines,
    DateTimeOffset RecordedAt) : ILedgerEvent;

/// <summary>A rights holder's royalty on one item of the sale, owed to them and pending payout.</summary>
public sealed record RoyaltyAccrued(
    Guid SaleId,
    Guid WorkId,
    string PayeeId,
    string Currency,
    long AmountMinor,
    int SplitBasisPoints,
    IReadOnlyList<JournalLine> Lines,
    DateTimeOffset RecordedAt) : ILedgerEvent;
