using Market.Billing.Ledger;

namespace Market.Billing.Payouts;

// A payout batch's stream (id = the batch id). Preparing proposes amounts and moves no money; approval by a
// second finance user moves each amount from the payee's available balance to payouts in transit; each
// transfer's result then either pays it out of clearing or returns it to the payee.

/// <summary>One payee's line in a batch: what they are owed and where it goes.</summary>
public sealed record PayoutItem(string PayeeId, long AmountMinor, string Provider, string DestinationAccount);

public sealed record PayoutBatchPrepared(Guid BatchId, string Currency, string PreparedBy, long ThresholdMinor, IReadOnlyList<PayoutItem> Items, DateTimeOffset PreparedAt);

public sealed record PayoutBatchApproved(Guid BatchId, string ApprovedBy, string Currency, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ILedgerTransaction;

public sealed record PayoutBatchCancelled(Guid BatchId, string CancelledBy, string Reason, DateTimeOffset CancelledAt);

public sealed record PayoutTransferPaid(Guid BatchId, string PayeeId, string Currency, long AmountMinor, string TransferId, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ILedgerTransaction;

public sealed record PayoutTransferFailed(Guid BatchId, string PayeeId, string Currency, long AmountMinor, string Reason, IReadOnlyList<JournalLine> Lines, DateTimeOffset PostedAt) : ILedgerTransaction;
