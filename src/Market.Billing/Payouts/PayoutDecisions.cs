using Market.Billing.Ledger;
using Market.Billing.Payments;
using Market.Billing.Sales;

namespace Market.Billing.Payouts;

/// <summary>What preparing needs to know about one payee: their available balance and where they can be paid.</summary>
public sealed record PayoutCandidate(string PayeeId, long AvailableMinor, PayoutDestination? Destination, bool TaxInfoOnFile);

/// <summary>A connected payout account able to receive transfers.</summary>
public sealed record PayoutDestination(string Provider, string AccountId);

/// <summary>A payee left out of a batch, and why (shown to finance when preparing).</summary>
public sealed record SkippedPayee(string PayeeId, long AvailableMinor, string Reason);

public sealed record PreparedBatch(PayoutBatchPrepared Event, IReadOnlyList<SkippedPayee> Skipped);

/// <summary>
/// The decisions about a payout batch: pure functions of the batch's state and a request, returning the event
/// to append (or null when there is nothing to do, e.g. a result recorded by an earlier run). No database, no clock.
/// </summary>
public static class PayoutDecisions
{
    public static PreparedBatch Prepare(Guid batchId, string currency, string preparedBy, long thresholdMinor,
        IReadOnlyList<PayoutCandidate> candidates, DateTimeOffset now)
    {
        if (currency is not { Length: 3 }) throw new LedgerException("Choose a three-letter currency.");
        if (thresholdMinor <= 0) throw new LedgerException("The payout threshold must be positive.");
        var items = new List<PayoutItem>();
        var skipped = new List<SkippedPayee>();
        foreach (var c in candidates.OrderBy(c => c.PayeeId, StringComparer.Ordinal))
        {
            string? reason =
                c.AvailableMinor <= 0 ? "Nothing available."
                : c.AvailableMinor < thresholdMinor ? "Available balance is below the payout threshold."
                : c.Destination is null ? "No connected payout account."
                : !c.TaxInfoOnFile ? "No certified tax information on file."
                : null;
            if (reason is null) items.Add(new PayoutItem(c.PayeeId, c.AvailableMinor, c.Destination!.Provider, c.Destination.AccountId));
            else if (c.AvailableMinor > 0) skipped.Add(new SkippedPayee(c.PayeeId, c.AvailableMinor, reason));
        }
        if (items.Count == 0) throw new LedgerException($"No payee can be paid in {currency} now: nobody has an available balance of at least the threshold, a connected payout account and tax information on file.");
        return new PreparedBatch(new PayoutBatchPrepared(batchId, currency, preparedBy, thresholdMinor, items, now), skipped);
    }

    /// <summary>
    /// Approval by a second finance user. Re-checks every amount against the payee's available balance now
    /// (which may have dropped since preparing: a refund, a dispute, another batch), and refuses the whole batch
    /// rather than pay a partial one nobody looked at.
    /// </summary>
    public static PayoutBatchApproved Approve(PayoutBatch batch, string approvedBy, IReadOnlyDictionary<string, long> availableNow, DateTimeOffset now)
    {
        if (!batch.Exists) throw new LedgerException("There is no such payout batch.");
        if (batch.Status != PayoutBatchStatus.Prepared)
            throw new LedgerException($"This batch is {batch.Status.ToString().ToLowerInvariant()}; only a prepared batch can be approved.");
        if (string.Equals(batch.PreparedBy, approvedBy, StringComparison.Ordinal))
            throw new LedgerException("You prepared this batch, so another finance user must approve it (four-eyes rule).");
        var shortPayees = batch.Items.Where(i => i.AmountMinor > availableNow.GetValueOrDefault(i.PayeeId)).Select(i => i.PayeeId).ToList();
        if (shortPayees.Count > 0)
            throw new LedgerException($"The available balance of {string.Join(", ", shortPayees)} is now lower than the batch pays. Cancel this batch and prepare a new one.");

        var movements = new List<(string, Guid?, long)>();
        foreach (var i in batch.Items)
        {
            movements.Add((Accounts.PayeeAvailable(i.PayeeId), null, -i.AmountMinor));
            movements.Add((Accounts.PayoutsInTransit, null, i.AmountMinor));
        }
        return Journal.Checked(new PayoutBatchApproved(batch.Id, approvedBy, batch.Currency, Journal.FromMovements(movements), now));
    }

    public static PayoutBatchCancelled Cancel(PayoutBatch batch, string cancelledBy, string? reason, DateTimeOffset now)
    {
        if (!batch.Exists) throw new LedgerException("There is no such payout batch.");
        if (batch.Status != PayoutBatchStatus.Prepared)
            throw new LedgerException($"This batch is {batch.Status.ToString().ToLowerInvariant()}; only a batch not yet approved can be cancelled.");
        return new PayoutBatchCancelled(batch.Id, cancelledBy, string.IsNullOrWhiteSpace(reason) ? "Cancelled by finance." : reason.Trim(), now);
    }

    /// <summary>The items an executor still has to transfer: approved, and without a result on the ledger.</summary>
    public static IReadOnlyList<PayoutBatchItem> Outstanding(PayoutBatch batch) =>
        batch.Status == PayoutBatchStatus.Approved ? batch.Items.Where(i => !i.HasResult).ToList() : [];

    /// <summary>
    /// Records a transfer's result: paid takes the amount out of in-transit and clearing; failed returns it to
    /// the payee's available balance. Null when the item already has a result (a rerun after a crash).
    /// </summary>
    public static ILedgerTransaction? Settle(PayoutBatch batch, string payeeId, TransferResult result, DateTimeOffset now)
    {
        if (batch.ApprovedAt is null) throw new LedgerException("Only an approved batch pays out.");
        var item = batch.Item(payeeId) ?? throw new LedgerException($"Payee {payeeId} is not in this batch.");
        if (item.HasResult) return null;
        if (result.Succeeded)
            return Journal.Checked(new PayoutTransferPaid(batch.Id, payeeId, batch.Currency, item.AmountMinor, result.TransferId!,
                [JournalLine.Debit(Accounts.PayoutsInTransit, item.AmountMinor), JournalLine.Credit(Accounts.PaymentClearing, item.AmountMinor)], now));
        return Journal.Checked(new PayoutTransferFailed(batch.Id, payeeId, batch.Currency, item.AmountMinor, result.FailureReason ?? "The provider refused the transfer.",
            [JournalLine.Debit(Accounts.PayoutsInTransit, item.AmountMinor), JournalLine.Credit(Accounts.PayeeAvailable(payeeId), item.AmountMinor)], now));
    }

    /// <summary>The provider's idempotency key for one payee's transfer in one batch: the same on every rerun.</summary>
    public static string IdempotencyKey(Guid batchId, string payeeId) => $"payout-{batchId:N}-{payeeId}";

    public static string TransferGroup(Guid batchId) => $"payout-{batchId:N}";
}
