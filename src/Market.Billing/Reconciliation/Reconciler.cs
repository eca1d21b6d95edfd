namespace Market.Billing.Reconciliation;

/// <summary>What the ledger recorded that the provider should also show, read from the sale and payout events.</summary>
public sealed record LedgerFacts(
    IReadOnlyList<LedgerSale> Sales,
    IReadOnlyList<LedgerMovement> Refunds,
    IReadOnlyList<LedgerMovement> Transfers,
    IReadOnlyList<LedgerMovement> ProcessorFees);

public sealed record LedgerSale(Guid SaleId, string PaymentReference, string Currency, long GrossMinor, DateTimeOffset PostedAt);

/// <summary>A refund (by refund id), a payout transfer (by transfer id) or a processor fee (by balance transaction id).</summary>
public sealed record LedgerMovement(string Reference, Guid? SaleId, string Currency, long AmountMinor, DateTimeOffset PostedAt);

public enum DifferenceKind
{
    AtProviderNotInLedger,
    InLedgerNotAtProvider,
    AmountMismatch,
    /// <summary>The provider charged a fee on a payment of a sale and the ledger has no <c>ProcessorFeeCharged</c> for it: postable.</summary>
    FeeNotInLedger,
}

public sealed record Difference(DifferenceKind Kind, string What, string Reference, string Currency, long? ProviderMinor, long? LedgerMinor, Guid? SaleId);

/// <summary>A missing processor fee that can be posted: the balance transaction's id makes posting it idempotent.</summary>
public sealed record MissingFee(Guid SaleId, string BalanceTransactionId, string Currency, long AmountMinor);

public sealed record ReconciliationResult(int Matched, int Ignored, IReadOnlyList<Difference> Differences, IReadOnlyList<MissingFee> MissingFees);

/// <summary>
/// Matches the provider's balance transactions against the ledger. Charges ↔ sales by payment reference and
/// gross; refunds ↔ refund ids; transfers ↔ payout transfer ids; each charge's fee ↔ the processor fee posted
/// under its balance transaction id. Ledger entries are expected at the provider only inside the period the
/// provider's list covers, so an export of one month does not report every other month as missing.
/// Pure: no database, no clock.
/// </summary>
public static class Reconciler
{
    public static ReconciliationResult Reconcile(IReadOnlyList<BalanceTransaction> provider, LedgerFacts ledger, DateTimeOffset from, DateTimeOffset to)
    {
        var differences = new List<Difference>();
        var missingFees = new List<MissingFee>();
        var matched = 0;
        var ignored = 0;
        var sales = ledger.Sales.GroupBy(s => s.PaymentReference).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var refunds = ledger.Refunds.ToDictionary(r => r.Reference, StringComparer.Ordinal);
        var transfers = ledger.Transfers.ToDictionary(r => r.Reference, StringComparer.Ordinal);
        var fees = ledger.ProcessorFees.ToDictionary(r => r.Reference, StringComparer.Ordinal);
        var seenSales = new HashSet<string>(StringComparer.Ordinal);
        var seenRefunds = new HashSet<string>(StringComparer.Ordinal);
        var seenTransfers = new HashSet<string>(StringComparer.Ordinal);

        foreach (var t in provider)
        {
            switch (t.Type)
            {
                case "charge" or "payment":
                {
                    var reference = t.PaymentReference ?? t.Source;
                    if (!sales.TryGetValue(reference, out var sale) && !sales.TryGetValue(t.Source, out sale))
                    {
                        differences.Add(new(DifferenceKind.AtProviderNotInLedger, "Payment", reference, t.Currency, t.AmountMinor, null, null));
                        break;
                    }
                    seenSales.Add(sale.PaymentReference);
                    if (sale.GrossMinor != t.AmountMinor || sale.Currency != t.Currency)
                        differences.Add(new(DifferenceKind.AmountMismatch, "Payment", reference, t.Currency, t.AmountMinor, sale.Currency == t.Currency ? sale.GrossMinor : null, sale.SaleId));
                    else matched++;
                    if (t.FeeMinor != 0)
                    {
                        if (!fees.TryGetValue(t.Id, out var fee))
                        {
                            differences.Add(new(DifferenceKind.FeeNotInLedger, "Processor fee", t.Id, t.Currency, t.FeeMinor, null, sale.SaleId));
                            if (t.FeeMinor > 0) missingFees.Add(new MissingFee(sale.SaleId, t.Id, t.Currency, t.FeeMinor));
                        }
                        else if (fee.AmountMinor != t.FeeMinor)
                            differences.Add(new(DifferenceKind.AmountMismatch, "Processor fee", t.Id, t.Currency, t.FeeMinor, fee.AmountMinor, sale.SaleId));
                        else matched++;
                    }
                    break;
                }
                case "refund" or "payment_refund":
                    Match("Refund", t, refunds, seenRefunds);
                    break;
                case "transfer":
                    Match("Payout transfer", t, transfers, seenTransfers);
                    break;
                default:
                    // Payouts to the platform's bank, adjustments, Stripe's own fees: not ledger entries of a sale or payee.
                    ignored++;
                    break;
            }
        }

        bool InPeriod(DateTimeOffset at) => at >= from && at < to;
        foreach (var sale in ledger.Sales.Where(s => InPeriod(s.PostedAt) && !seenSales.Contains(s.PaymentReference)))
            differences.Add(new(DifferenceKind.InLedgerNotAtProvider, "Payment", sale.PaymentReference, sale.Currency, null, sale.GrossMinor, sale.SaleId));
        foreach (var r in ledger.Refunds.Where(r => InPeriod(r.PostedAt) && !seenRefunds.Contains(r.Reference)))
            differences.Add(new(DifferenceKind.InLedgerNotAtProvider, "Refund", r.Reference, r.Currency, null, r.AmountMinor, r.SaleId));
        foreach (var r in ledger.Transfers.Where(r => InPeriod(r.PostedAt) && !seenTransfers.Contains(r.Reference)))
            differences.Add(new(DifferenceKind.InLedgerNotAtProvider, "Payout transfer", r.Reference, r.Currency, null, r.AmountMinor, r.SaleId));

        return new ReconciliationResult(matched, ignored, differences, missingFees);

        // The provider shows money leaving as negative; the ledger records the amount refunded or paid out.
        void Match(string what, BalanceTransaction t, Dictionary<string, LedgerMovement> known, HashSet<string> seen)
        {
            if (!known.TryGetValue(t.Source, out var entry))
            {
                differences.Add(new(DifferenceKind.AtProviderNotInLedger, what, t.Source, t.Currency, -t.AmountMinor, null, null));
                return;
            }
            seen.Add(t.Source);
            if (entry.AmountMinor != -t.AmountMinor || entry.Currency != t.Currency)
                differences.Add(new(DifferenceKind.AmountMismatch, what, t.Source, t.Currency, -t.AmountMinor, entry.AmountMinor, entry.SaleId));
            else matched++;
        }
    }
}
