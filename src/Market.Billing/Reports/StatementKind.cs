using Market.Billing.Ledger;
using Market.Billing.Payouts;
using Market.Billing.Sales;

namespace Market.Billing.Reports;

/// <summary>
/// The kinds of line on a payee statement. Each changes the payable balance (pending + available), the held
/// balance, or both; a statement's roll-forward is the sum of its lines by kind.
/// </summary>
public enum StatementKind : short
{
    /// <summary>The holder's split of an item's amount, before the platform fee.</summary>
    Accrual = 1,
    /// <summary>The platform's fee on that split (negative).</summary>
    Fee = 2,
    Refund = 3,
    Chargeback = 4,
    /// <summary>Money moved from payable to held (a dispute or a theft claim).</summary>
    Hold = 5,
    /// <summary>Held money returned to payable.</summary>
    Release = 6,
    /// <summary>Held money given to a proven owner after an upheld claim.</summary>
    RedirectedOut = 7,
    /// <summary>Money received as the proven owner of a work.</summary>
    RedirectedIn = 8,
    Payout = 9,
    /// <summary>A payout that failed, returned to the available balance.</summary>
    PayoutReturned = 10,
}

/// <summary>One line of a payee's statement, as the projection writes it.</summary>
public sealed record StatementEntry(
    long Sequence,
    int Ordinal,
    string PayeeId,
    string Currency,
    StatementKind Kind,
    Guid? SaleId,
    Guid? WorkId,
    string? Reference,
    long PayableMinor,
    long HeldMinor,
    DateTimeOffset At);

public static class StatementEntries
{
    /// <summary>
    /// The statement lines one ledger transaction gives, per payee and item. Pure, so the live projection, a
    /// rebuild and a test all get the same lines from the same event.
    /// </summary>
    public static IReadOnlyList<StatementEntry> Of(long sequence, ILedgerTransaction transaction)
    {
        var entries = new List<StatementEntry>();
        var saleId = (transaction as ISaleTransaction)?.SaleId;
        void Add(string payee, StatementKind kind, Guid? workId, string? reference, long payable, long held)
        {
            if (payable == 0 && held == 0) return;
            entries.Add(new StatementEntry(sequence, entries.Count, payee, transaction.Currency, kind, saleId, workId, reference, payable, held, transaction.PostedAt));
        }

        if (transaction is SalePosted sale)
        {
            // The journal credits the net; the statement shows how it was reached: the split, less its fee.
            foreach (var item in sale.Items)
            foreach (var r in item.Royalties)
            {
                var held = r.Bucket == PayeeBucket.Held;
                Add(r.PayeeId, StatementKind.Accrual, item.WorkId, sale.PaymentReference, held ? 0 : r.GrossShareMinor, held ? r.GrossShareMinor : 0);
                Add(r.PayeeId, StatementKind.Fee, item.WorkId, sale.PaymentReference, held ? 0 : -r.FeeShareMinor, held ? -r.FeeShareMinor : 0);
            }
            return entries;
        }

        var reference = transaction switch
        {
            SaleRefunded e => e.RefundId,
            DisputeOpened e => e.DisputeId,
            DisputeClosed e => e.DisputeId,
            SaleRoyaltiesHeld e => e.ClaimId.ToString(),
            SaleRoyaltiesReleased e => e.ClaimId.ToString(),
            SaleRoyaltiesRedirected e => e.ClaimId.ToString(),
            PayoutBatchApproved e => e.BatchId.ToString(),
            PayoutTransferFailed e => e.BatchId.ToString(),
            _ => null,
        };
        foreach (var group in transaction.Lines
                     .Select(l => Accounts.TryParsePayee(l.Account, out var payee, out var bucket) ? (Line: l, Payee: payee, Bucket: bucket, Ok: true) : default)
                     .Where(x => x.Ok)
                     .GroupBy(x => (x.Payee, x.Line.WorkId)))
        {
            var payable = group.Where(x => x.Bucket != PayeeBucket.Held).Sum(x => x.Line.CreditBalance);
            var held = group.Where(x => x.Bucket == PayeeBucket.Held).Sum(x => x.Line.CreditBalance);
            var kind = transaction switch
            {
                SaleRefunded => StatementKind.Refund,
                DisputeOpened => StatementKind.Hold,
                DisputeClosed { Won: true } => StatementKind.Release,
                DisputeClosed => StatementKind.Chargeback,
                SaleRoyaltiesHeld => StatementKind.Hold,
                SaleRoyaltiesReleased => StatementKind.Release,
                SaleRoyaltiesRedirected => payable + held > 0 ? StatementKind.RedirectedIn : StatementKind.RedirectedOut,
                PayoutBatchApproved => StatementKind.Payout,
                PayoutTransferFailed => StatementKind.PayoutReturned,
                // Maturity and paid transfers only move money within what the payee is owed: no line.
                _ => (StatementKind)0,
            };
            if (kind == 0) continue;
            Add(group.Key.Payee, kind, group.Key.WorkId, reference, payable, held);
        }
        return entries;
    }
}
