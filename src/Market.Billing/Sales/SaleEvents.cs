using Market.Billing.Ledger;

namespace Market.Billing.Sales;

// A sale's stream has the order id as its id and holds everything that ever happens to that sale's money.
// Each event is one balanced transaction; its lines name the item (WorkId) they belong to.

/// <summary>Something that happened to the money of one sale.</summary>
public interface ISaleTransaction : ILedgerTransaction
{
    Guid SaleId { get; }
}

/// <summary>
/// A buyer's payment was captured and split: the gross into payment clearing, each item's platform fee into
/// revenue, and each rights holder's royalty into their pending account (held, for a work under a claim).
/// </summary>
public sealed record SalePosted(
    Guid SaleId,
    Guid LicenseId,
    Guid OrganisationId,
    string Currency,
    long GrossMinor,
    string PaymentProvider,
    string PaymentReference,
    int FeeBasisPoints,
    IReadOnlyList<SaleItemPosting> Items,
    DateTimeOffset PostedAt) : ISaleTransaction
{
    private IReadOnlyList<JournalLine>? _lines;

    /// <summary>
    /// The journal lines follow from the items (the gross into clearing, each fee into revenue, each net into
    /// its holder's bucket), so they are derived, not stored: the most frequent event stays half the size.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<JournalLine> Lines => _lines ??= Journal.FromMovements(
        Items.SelectMany(i => i.Royalties.Select(r => (Accounts.Payee(r.PayeeId, r.Bucket), (Guid?)i.WorkId, r.NetMinor))
                .Prepend((Accounts.PlatformRevenue, (Guid?)i.WorkId, i.FeeMinor)))
            .Prepend((Accounts.PaymentClearing, (Guid?)null, -GrossMinor)));
}

/// <summary>One item of a sale: its share of the gross, the platform's fee on it and each holder's part.</summary>
public sealed record SaleItemPosting(Guid WorkId, long ListPriceMinor, long AmountMinor, long FeeMinor, IReadOnlyList<RoyaltyPosting> Royalties);

/// <summary>
/// A holder's part of one item. <see cref="GrossShareMinor"/> is their split of the item's amount before the
/// platform fee, <see cref="FeeShareMinor"/> their part of that fee, and <see cref="NetMinor"/> (their
/// difference) what was credited. Statements show all three; only the net is a journal line.
/// </summary>
public sealed record RoyaltyPosting(string PayeeId, int SplitBasisPoints, long GrossShareMinor, long FeeShareMinor, long NetMinor, PayeeBucket Bucket, Guid? ClaimId);

/// <summary>The provider refunded (part of) the payment; fee and royalties are reversed pro rata to what is left of them.</summary>
public sealed record SaleRefunded(Guid SaleId, string RefundId, string Currency, long AmountMinor, string Reason, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ISaleTransaction;

/// <summary>A card network pulled the money back pending a dispute; the holders' parts are held meanwhile.</summary>
public sealed record DisputeOpened(Guid SaleId, string DisputeId, string Currency, long AmountMinor, IReadOnlyList<DisputedPart> Parts, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ISaleTransaction;

/// <summary>
/// A part of the disputed amount: the platform's fee on an item (no payee) or a holder's royalty, with where the
/// royalty was taken from, so that winning the dispute puts it back exactly there.
/// </summary>
public sealed record DisputedPart(Guid WorkId, string? PayeeId, long AmountMinor, long FromPendingMinor, long FromAvailableMinor, long FromClaimHeldMinor);

/// <summary>
/// A dispute ended. Won: the money comes back and the held parts are released. Lost: the held parts and the
/// platform's fee on them are reversed, like a refund.
/// </summary>
public sealed record DisputeClosed(Guid SaleId, string DisputeId, string Currency, long AmountMinor, bool Won, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ISaleTransaction;

/// <summary>The refund holding period of the sale ended: pending royalties became available for payout.</summary>
public sealed record RoyaltiesMatured(Guid SaleId, string Currency, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ISaleTransaction;

/// <summary>A theft claim against one of the sale's works froze that work's royalties in this sale.</summary>
public sealed record SaleRoyaltiesHeld(Guid SaleId, Guid WorkId, Guid ClaimId, string Currency, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ISaleTransaction;

/// <summary>The claim was rejected: the held royalties went back to their holders.</summary>
public sealed record SaleRoyaltiesReleased(Guid SaleId, Guid WorkId, Guid ClaimId, string Currency, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ISaleTransaction;

/// <summary>The claim was upheld: the held royalties went to the proven owner.</summary>
public sealed record SaleRoyaltiesRedirected(Guid SaleId, Guid WorkId, Guid ClaimId, string OwnerPayeeId, string Currency, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ISaleTransaction;

/// <summary>The provider's fee on the payment, from its balance transaction: an expense of the platform.</summary>
public sealed record ProcessorFeeCharged(Guid SaleId, string Reference, string Currency, long AmountMinor, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ISaleTransaction;
