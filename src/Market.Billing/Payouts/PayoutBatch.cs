namespace Market.Billing.Payouts;

public enum PayoutBatchStatus
{
    /// <summary>No such batch (an empty stream).</summary>
    None = 0,
    /// <summary>Proposed; no money has moved.</summary>
    Prepared = 1,
    /// <summary>Approved by a second finance user; the amounts sit in payouts in transit until each transfer's result.</summary>
    Approved = 2,
    Cancelled = 3,
    /// <summary>Approved, and every item has a result (paid or failed).</summary>
    Completed = 4,
}

/// <summary>One item's state within a batch, folded from the batch stream.</summary>
public sealed class PayoutBatchItem
{
    public string PayeeId { get; set; } = "";
    public long AmountMinor { get; set; }
    public string Provider { get; set; } = "";
    public string DestinationAccount { get; set; } = "";
    /// <summary>Null until the transfer's result is on the ledger.</summary>
    public bool? Paid { get; set; }
    public string? TransferId { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset? SettledAt { get; set; }

    public bool HasResult => Paid is not null;
}

/// <summary>
/// A payout batch as its stream says it is now. Folded by <see cref="From"/> from the stream's events (not a
/// Marten projection, so the core store settings stay as they are); the decisions read it and never change it.
/// </summary>
public sealed class PayoutBatch
{
    public Guid Id { get; set; }
    public string Currency { get; set; } = "";
    public string PreparedBy { get; set; } = "";
    public DateTimeOffset PreparedAt { get; set; }
    public long ThresholdMinor { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public string? CancelledBy { get; set; }
    public string? CancelReason { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public List<PayoutBatchItem> Items { get; set; } = [];

    public bool Exists => Id != Guid.Empty;

    public PayoutBatchStatus Status =>
        !Exists ? PayoutBatchStatus.None
        : CancelledAt is not null ? PayoutBatchStatus.Cancelled
        : ApprovedAt is null ? PayoutBatchStatus.Prepared
        : Items.All(i => i.HasResult) ? PayoutBatchStatus.Completed
        : PayoutBatchStatus.Approved;

    public long TotalMinor => Items.Sum(i => i.AmountMinor);
    public long PaidMinor => Items.Where(i => i.Paid == true).Sum(i => i.AmountMinor);
    public long FailedMinor => Items.Where(i => i.Paid == false).Sum(i => i.AmountMinor);

    public PayoutBatchItem? Item(string payeeId) => Items.FirstOrDefault(i => i.PayeeId == payeeId);

    public static PayoutBatch From(IEnumerable<object> events)
    {
        var batch = new PayoutBatch();
        foreach (var e in events) batch.Fold(e);
        return batch;
    }

    public void Fold(object e)
    {
        switch (e)
        {
            case PayoutBatchPrepared x:
                Id = x.BatchId; Currency = x.Currency; PreparedBy = x.PreparedBy; PreparedAt = x.PreparedAt; ThresholdMinor = x.ThresholdMinor;
                Items = x.Items.Select(i => new PayoutBatchItem
                {
                    PayeeId = i.PayeeId, AmountMinor = i.AmountMinor, Provider = i.Provider, DestinationAccount = i.DestinationAccount,
                }).ToList();
                break;
            case PayoutBatchApproved x: ApprovedBy = x.ApprovedBy; ApprovedAt = x.PostedAt; break;
            case PayoutBatchCancelled x: CancelledBy = x.CancelledBy; CancelReason = x.Reason; CancelledAt = x.CancelledAt; break;
            case PayoutTransferPaid x:
                var paid = Item(x.PayeeId)!;
                paid.Paid = true; paid.TransferId = x.TransferId; paid.SettledAt = x.PostedAt;
                break;
            case PayoutTransferFailed x:
                var failed = Item(x.PayeeId)!;
                failed.Paid = false; failed.FailureReason = x.Reason; failed.SettledAt = x.PostedAt;
                break;
            default: throw new InvalidOperationException($"A payout batch does not know {e.GetType().Name}.");
        }
    }
}
