using Market.Billing.Allocation;

namespace Market.Billing.Ledger;

/// <summary>What the ledger needs to know about a paid order.</summary>
public sealed record RecordSale(
    Guid OrderId,
    Guid LicenseId,
    Guid OrganisationId,
    string Currency,
    long GrossMinor,
    string PaymentProvider,
    string PaymentReference,
    IReadOnlyList<SoldItem> Items,
    int PlatformFeeBasisPoints,
    DateTimeOffset At);

public sealed record SoldItem(Guid WorkId, long ListPriceMinor, IReadOnlyList<RightsShare> Holders);

public static class SaleDecision
{
    /// <summary>
    /// Pure: turns a paid order into the balanced events that record it. The caller appends them as a new
    /// stream keyed by the order id, which the event store refuses to create twice, so a sale posts once.
    /// </summary>
    public static IReadOnlyList<ILedgerEvent> Decide(RecordSale command)
    {
        if (command.GrossMinor <= 0) throw new ArgumentException("A sale must be for a positive amount.");
        if (command.Items.Count == 0) throw new ArgumentException("A sale has at least one item.");
        var allocation = Allocator.Allocate(
            command.GrossMinor,
            command.Items.Select(i => new SaleLine(i.WorkId.ToString("N"), i.ListPriceMinor, i.Holders)).ToList(),
            command.PlatformFeeBasisPoints);

        var events = new List<ILedgerEvent>
        {
            new SaleRecorded(command.OrderId, command.OrderId, command.LicenseId, command.OrganisationId, command.Currency,
                command.GrossMinor, command.PaymentProvider, command.PaymentReference,
                [JournalLine.Debit(Accounts.PaymentClearing, command.GrossMinor), JournalLine.Credit(Accounts.SaleAllocation, command.GrossMinor)],
                command.At),
        };

        foreach (var line in allocation.Lines)
        {
            var workId = Guid.ParseExact(line.Key, "N");
            if (line.PlatformFeeMinor > 0)
                events.Add(new PlatformFeeEarned(command.OrderId, workId, command.Currency, line.PlatformFeeMinor, command.PlatformFeeBasisPoints,
                    [JournalLine.Debit(Accounts.SaleAllocation, line.PlatformFeeMinor), JournalLine.Credit(Accounts.PlatformRevenue, line.PlatformFeeMinor)],
                    command.At));
            var item = command.Items.First(i => i.WorkId == workId);
            foreach (var royalty in line.Royalties.Where(r => r.AmountMinor > 0))
                events.Add(new RoyaltyAccrued(command.OrderId, workId, royalty.PayeeId, command.Currency, royalty.AmountMinor,
                    item.Holders.First(h => h.PayeeId == royalty.PayeeId).BasisPoints,
                    [JournalLine.Debit(Accounts.SaleAllocation, royalty.AmountMinor), JournalLine.Credit(Accounts.PayeePending(royalty.PayeeId), royalty.AmountMinor)],
                    command.At));
        }

        // Belt and braces: the allocation already sums to the gross; a ledger that posts an unbalanced
        // transaction is worse than one that refuses the sale, so check what we are about to append.
        if (events.Any(e => !Accounts.IsBalanced(e.Lines)))
            throw new InvalidOperationException("Refusing to post an unbalanced ledger transaction.");
        var suspense = events.SelectMany(e => e.Lines).Where(l => l.Account == Accounts.SaleAllocation).Sum(l => l.CreditMinor - l.DebitMinor);
        if (suspense != 0)
            throw new InvalidOperationException($"The sale's allocation leaves {suspense} minor units unallocated.");
        return events;
    }
}
