using Market.Billing.Allocation;
using Market.Billing.Ledger;

namespace Market.Billing.Sales;

/// <summary>What the ledger needs to know about a paid order.</summary>
public sealed record RecordSale(
    Guid SaleId,
    Guid LicenseId,
    Guid OrganisationId,
    string Currency,
    long GrossMinor,
    string PaymentProvider,
    string PaymentReference,
    IReadOnlyList<SoldItem> Items,
    FeePolicy Fee,
    DateTimeOffset At);

public sealed record SoldItem(Guid WorkId, long ListPriceMinor, IReadOnlyList<RightsShare> Holders);

/// <summary>
/// Where a work's royalties go while a theft claim is open or after it was upheld. A work without a route pays
/// its holders as split.
/// </summary>
public abstract record WorkRoute(Guid ClaimId)
{
    public sealed record Held(Guid ClaimId) : WorkRoute(ClaimId);
    public sealed record Redirected(Guid ClaimId, string OwnerPayeeId) : WorkRoute(ClaimId);
}

/// <summary>
/// The ledger's decisions about one sale: pure functions of the sale's state and a request, returning the
/// transaction to append (or null when there is nothing to do, e.g. a provider's redelivery). They never touch
/// a database or a clock.
/// </summary>
public static class SaleDecisions
{
    public static SalePosted Post(RecordSale c, IReadOnlyDictionary<Guid, WorkRoute>? routes = null)
    {
        if (c.GrossMinor <= 0) throw new LedgerException("A sale must be for a positive amount.");
        if (c.Items.Count == 0) throw new LedgerException("A sale has at least one item.");
        if (c.Items.Select(i => i.WorkId).Distinct().Count() != c.Items.Count) throw new LedgerException("A sale lists each work once.");
        foreach (var holder in c.Items.SelectMany(i => i.Holders)) Accounts.EnsureValidPayeeId(holder.PayeeId);
        routes ??= new Dictionary<Guid, WorkRoute>();
        // The proven owner's id becomes an account name too; a bad one must be refused before anything is posted.
        foreach (var item in c.Items)
            if (routes.GetValueOrDefault(item.WorkId) is WorkRoute.Redirected r) Accounts.EnsureValidPayeeId(r.OwnerPayeeId);

        var allocation = Allocator.Allocate(c.GrossMinor,
            c.Items.Select(i => new SaleLine(i.WorkId.ToString("N"), i.ListPriceMinor, i.Holders)).ToList(), c.Fee);

        var items = new List<SaleItemPosting>(c.Items.Count);
        for (var index = 0; index < c.Items.Count; index++)
        {
            // The allocation keeps the order of the lines it was given.
            var item = c.Items[index];
            var line = allocation.Lines[index];
            // Each holder's part of the fee, split like the royalties, so a statement can show gross, fee and net
            // per holder and the three add up.
            var feeShares = Allocator.LargestRemainder(line.PlatformFeeMinor, item.Holders.Select(h => (h.PayeeId, (long)h.BasisPoints)).ToList());
            var royalties = new List<RoyaltyPosting>();
            var route = routes.GetValueOrDefault(item.WorkId);
            if (route is WorkRoute.Redirected redirected)
            {
                // An upheld claim: the proven owner receives the whole holders' share of the work.
                var net = line.Royalties.Sum(r => r.AmountMinor);
                royalties.Add(new RoyaltyPosting(redirected.OwnerPayeeId, Allocator.FullShare, net + line.PlatformFeeMinor, line.PlatformFeeMinor, net, PayeeBucket.Pending, redirected.ClaimId));
            }
            else
            {
                foreach (var holder in item.Holders)
                {
                    var net = line.Royalties.First(r => r.PayeeId == holder.PayeeId).AmountMinor;
                    var fee = feeShares[holder.PayeeId];
                    royalties.Add(route is WorkRoute.Held held
                        ? new RoyaltyPosting(holder.PayeeId, holder.BasisPoints, net + fee, fee, net, PayeeBucket.Held, held.ClaimId)
                        : new RoyaltyPosting(holder.PayeeId, holder.BasisPoints, net + fee, fee, net, PayeeBucket.Pending, null));
                }
            }
            items.Add(new SaleItemPosting(item.WorkId, item.ListPriceMinor, line.AmountMinor, line.PlatformFeeMinor, royalties));
        }

        return Journal.Checked(new SalePosted(c.SaleId, c.LicenseId, c.OrganisationId, c.Currency, c.GrossMinor, c.PaymentProvider, c.PaymentReference,
            c.Fee.BasisPoints, items, c.At));
    }

    /// <summary>
    /// A refund of <paramref name="amountMinor"/>, reversing the fee and royalties pro rata to what is left of
    /// each (largest remainder), so repeated partial refunds never take a part below zero and refunding what is
    /// left returns every party to zero. A refund id seen before returns null.
    /// </summary>
    public static SaleRefunded? Refund(SaleLedger sale, string refundId, long amountMinor, string reason, DateTimeOffset at)
    {
        EnsureExists(sale);
        if (string.IsNullOrWhiteSpace(refundId)) throw new LedgerException("A refund needs the provider's refund id.");
        if (sale.Refunds.Contains(refundId)) return null;
        if (sale.OpenDispute is not null) throw new LedgerException("This sale is disputed; it cannot be refunded until the dispute is closed.");
        if (amountMinor <= 0) throw new LedgerException("A refund must be for a positive amount.");
        var refundable = Refundable(sale);
        if (amountMinor > refundable)
            throw new LedgerException($"Only {refundable} minor units of this sale can still be refunded.");

        var movements = new List<(string, Guid?, long)> { (Accounts.PaymentClearing, null, amountMinor) };
        foreach (var (key, take) in Split(sale, amountMinor))
        {
            if (key.PayeeId is null) { movements.Add((Accounts.PlatformRevenue, key.WorkId, -take)); continue; }
            var part = sale.Part(key.WorkId, key.PayeeId);
            var (fromPending, fromAvailable, fromHeld) = TakeInOrder(take, part.Pending, part.Available, part.ClaimHeld);
            movements.Add((Accounts.PayeePending(key.PayeeId), key.WorkId, -fromPending));
            movements.Add((Accounts.PayeeAvailable(key.PayeeId), key.WorkId, -fromAvailable));
            movements.Add((Accounts.PayeeHeld(key.PayeeId), key.WorkId, -fromHeld));
        }
        return Journal.Checked(new SaleRefunded(sale.Id, refundId, sale.Currency, amountMinor, reason, Journal.FromMovements(movements), at));
    }

    public static DisputeOpened? OpenDispute(SaleLedger sale, string disputeId, long amountMinor, DateTimeOffset at)
    {
        EnsureExists(sale);
        if (string.IsNullOrWhiteSpace(disputeId)) throw new LedgerException("A dispute needs the provider's dispute id.");
        if (sale.Disputes.ContainsKey(disputeId)) return null;
        if (sale.OpenDispute is not null) throw new LedgerException("This sale already has an open dispute.");
        if (amountMinor <= 0) throw new LedgerException("A dispute must be for a positive amount.");
        var refundable = Refundable(sale);
        if (amountMinor > refundable) throw new LedgerException($"Only {refundable} minor units of this sale are left to dispute.");

        var parts = new List<DisputedPart>();
        var movements = new List<(string, Guid?, long)> { (Accounts.PaymentClearing, null, amountMinor), (Accounts.DisputedFunds, null, -amountMinor) };
        foreach (var (key, take) in Split(sale, amountMinor))
        {
            if (key.PayeeId is null) { parts.Add(new DisputedPart(key.WorkId, null, take, 0, 0, 0)); continue; }
            var part = sale.Part(key.WorkId, key.PayeeId);
            var (fromPending, fromAvailable, fromHeld) = TakeInOrder(take, part.Pending, part.Available, part.ClaimHeld);
            parts.Add(new DisputedPart(key.WorkId, key.PayeeId, take, fromPending, fromAvailable, fromHeld));
            movements.Add((Accounts.PayeePending(key.PayeeId), key.WorkId, -fromPending));
            movements.Add((Accounts.PayeeAvailable(key.PayeeId), key.WorkId, -fromAvailable));
            movements.Add((Accounts.PayeeHeld(key.PayeeId), key.WorkId, fromPending + fromAvailable));
        }
        return Journal.Checked(new DisputeOpened(sale.Id, disputeId, sale.Currency, amountMinor, parts, Journal.FromMovements(movements), at));
    }

    public static DisputeClosed? CloseDispute(SaleLedger sale, string disputeId, bool won, DateTimeOffset at)
    {
        EnsureExists(sale);
        if (!sale.Disputes.TryGetValue(disputeId, out var dispute)) throw new LedgerException("There is no such dispute on this sale.");
        if (!dispute.Open) return null;

        var movements = new List<(string, Guid?, long)>();
        if (won) { movements.Add((Accounts.PaymentClearing, null, -dispute.AmountMinor)); movements.Add((Accounts.DisputedFunds, null, dispute.AmountMinor)); }
        else movements.Add((Accounts.DisputedFunds, null, dispute.AmountMinor));
        foreach (var p in dispute.Parts)
        {
            if (p.PayeeId is null)
            {
                if (!won) movements.Add((Accounts.PlatformRevenue, p.WorkId, -p.AmountMinor));
                continue;
            }
            if (!won) { movements.Add((Accounts.PayeeHeld(p.PayeeId), p.WorkId, -p.AmountMinor)); continue; }
            // A claim upheld while the dispute was open gave the work to its proven owner: so is what comes back.
            var payee = sale.Redirects.GetValueOrDefault(p.WorkId) ?? p.PayeeId;
            var bucket = sale.ClaimHolds.ContainsKey(p.WorkId) ? PayeeBucket.Held // stays held, now for the claim
                : sale.Matured ? PayeeBucket.Available : PayeeBucket.Pending;
            movements.Add((Accounts.PayeeHeld(p.PayeeId), p.WorkId, -p.AmountMinor));
            movements.Add((Accounts.Payee(payee, bucket), p.WorkId, p.AmountMinor));
        }
        return Journal.Checked(new DisputeClosed(sale.Id, disputeId, sale.Currency, dispute.AmountMinor, won, Journal.FromMovements(movements), at));
    }

    /// <summary>The holding period is over: every pending royalty of the sale becomes available. Null if already done or nothing is pending.</summary>
    public static RoyaltiesMatured? Mature(SaleLedger sale, DateTimeOffset at)
    {
        EnsureExists(sale);
        if (sale.Matured) return null;
        var movements = new List<(string, Guid?, long)>();
        foreach (var part in sale.Royalties.Values.Where(p => p.Pending != 0))
        {
            movements.Add((Accounts.PayeePending(part.PayeeId), part.WorkId, -part.Pending));
            movements.Add((Accounts.PayeeAvailable(part.PayeeId), part.WorkId, part.Pending));
        }
        // With nothing pending (all refunded or held) the event still marks the sale matured, with no lines, so
        // the maturity job does not come back to it.
        return new RoyaltiesMatured(sale.Id, sale.Currency, CheckedOrEmpty(movements), at);
    }

    public static SaleRoyaltiesHeld? Hold(SaleLedger sale, Guid workId, Guid claimId, DateTimeOffset at)
    {
        EnsureExists(sale);
        if (sale.ClaimHolds.TryGetValue(workId, out var current))
            return current == claimId ? null : throw new LedgerException("This work's royalties are already held for another claim.");
        var parts = sale.Royalties.Values.Where(p => p.WorkId == workId).ToList();
        if (parts.Count == 0) throw new LedgerException("This sale does not include the work.");
        var movements = new List<(string, Guid?, long)>();
        foreach (var p in parts)
        {
            movements.Add((Accounts.PayeePending(p.PayeeId), workId, -p.Pending));
            movements.Add((Accounts.PayeeAvailable(p.PayeeId), workId, -p.Available));
            movements.Add((Accounts.PayeeHeld(p.PayeeId), workId, p.Pending + p.Available));
        }
        return new SaleRoyaltiesHeld(sale.Id, workId, claimId, sale.Currency, CheckedOrEmpty(movements), at);
    }

    public static SaleRoyaltiesReleased? Release(SaleLedger sale, Guid workId, Guid claimId, DateTimeOffset at)
    {
        EnsureExists(sale);
        if (!sale.ClaimHolds.TryGetValue(workId, out var current) || current != claimId) return null;
        var movements = new List<(string, Guid?, long)>();
        foreach (var p in sale.Royalties.Values.Where(p => p.WorkId == workId))
        {
            movements.Add((Accounts.PayeeHeld(p.PayeeId), workId, -p.ClaimHeld));
            movements.Add((sale.Matured ? Accounts.PayeeAvailable(p.PayeeId) : Accounts.PayeePending(p.PayeeId), workId, p.ClaimHeld));
        }
        return new SaleRoyaltiesReleased(sale.Id, workId, claimId, sale.Currency, CheckedOrEmpty(movements), at);
    }

    public static SaleRoyaltiesRedirected? Redirect(SaleLedger sale, Guid workId, Guid claimId, string ownerPayeeId, DateTimeOffset at)
    {
        EnsureExists(sale);
        Accounts.EnsureValidPayeeId(ownerPayeeId);
        if (!sale.ClaimHolds.TryGetValue(workId, out var current) || current != claimId) return null;
        var movements = new List<(string, Guid?, long)>();
        long total = 0;
        foreach (var p in sale.Royalties.Values.Where(p => p.WorkId == workId))
        {
            movements.Add((Accounts.PayeeHeld(p.PayeeId), workId, -p.ClaimHeld));
            total += p.ClaimHeld;
        }
        movements.Add((sale.Matured ? Accounts.PayeeAvailable(ownerPayeeId) : Accounts.PayeePending(ownerPayeeId), workId, total));
        return new SaleRoyaltiesRedirected(sale.Id, workId, claimId, ownerPayeeId, sale.Currency, CheckedOrEmpty(movements), at);
    }

    public static ProcessorFeeCharged? ChargeProcessorFee(SaleLedger sale, string reference, long amountMinor, DateTimeOffset at)
    {
        EnsureExists(sale);
        if (sale.FeeReferences.Contains(reference)) return null;
        if (amountMinor <= 0) throw new LedgerException("A processor fee must be positive.");
        return Journal.Checked(new ProcessorFeeCharged(sale.Id, reference, sale.Currency, amountMinor,
            [JournalLine.Debit(Accounts.ProcessorFees, amountMinor), JournalLine.Credit(Accounts.PaymentClearing, amountMinor)], at));
    }

    public static long Refundable(SaleLedger sale) =>
        sale.Fees.Values.Sum() + sale.Royalties.Values.Sum(p => p.Refundable);

    /// <summary>
    /// Splits an amount over what is left of each fee and royalty part, by largest remainder with a stable key
    /// (fees first, then work, then payee), so the same state and amount always give the same parts.
    /// </summary>
    private static IEnumerable<((Guid WorkId, string? PayeeId) Key, long Take)> Split(SaleLedger sale, long amountMinor)
    {
        var keys = new Dictionary<string, (Guid, string?)>(StringComparer.Ordinal);
        var weights = new List<(string, long)>();
        foreach (var (workId, fee) in sale.Fees)
        {
            var key = $"0:{workId:N}";
            keys[key] = (workId, null);
            weights.Add((key, fee));
        }
        foreach (var part in sale.Royalties.Values)
        {
            var key = $"1:{part.WorkId:N}:{part.PayeeId}";
            keys[key] = (part.WorkId, part.PayeeId);
            weights.Add((key, part.Refundable));
        }
        var split = Allocator.LargestRemainder(amountMinor, weights);
        return split.Where(s => s.Value > 0).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (keys[s.Key], s.Value));
    }

    private static (long Pending, long Available, long Held) TakeInOrder(long amount, long pending, long available, long held)
    {
        var fromPending = Math.Min(amount, Math.Max(0, pending));
        var fromAvailable = Math.Min(amount - fromPending, Math.Max(0, available));
        var fromHeld = amount - fromPending - fromAvailable;
        if (fromHeld > held) throw new InvalidOperationException("A part gave more than it holds.");
        return (fromPending, fromAvailable, fromHeld);
    }

    private static IReadOnlyList<JournalLine> CheckedOrEmpty(IEnumerable<(string, Guid?, long)> movements)
    {
        var lines = Journal.FromMovements(movements);
        if (lines.Count > 0 && !Journal.IsBalanced(lines)) throw new InvalidOperationException("Refusing to post an unbalanced transaction.");
        return lines;
    }

    private static void EnsureExists(SaleLedger sale)
    {
        if (!sale.Exists) throw new LedgerException("There is no such sale in the ledger.");
    }
}

/// <summary>A request the ledger refuses (unknown sale, too large a refund): shown to a person, never retried.</summary>
public sealed class LedgerException(string message) : Exception(message);
