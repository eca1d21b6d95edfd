using FsCheck.Xunit;
using Market.Billing.Ledger;
using Market.Billing.Sales;

namespace Market.Billing.Tests.Sales;

/// <summary>
/// Random sales followed by random partial refunds. A failure prints the case (see the records' ToString) and
/// FsCheck's seed; put that seed in <c>Replay = "..."</c> on the property to run exactly that case again.
/// </summary>
public sealed class RefundProperties
{
    private const int Cases = 10_000;

    /// <summary>A party of the sale: the platform's fee on a work (no payee) or a holder's royalty on it.</summary>
    private static Dictionary<(Guid WorkId, string? PayeeId), long> Parties(SaleLedger sale)
    {
        var parties = new Dictionary<(Guid, string?), long>();
        foreach (var (work, fee) in sale.Fees) parties[(work, null)] = fee;
        foreach (var part in sale.Royalties.Values) parties[(part.WorkId, part.PayeeId)] = part.Refundable;
        return parties;
    }

    /// <summary>What a refund took from each party, read from its journal lines.</summary>
    private static Dictionary<(Guid WorkId, string? PayeeId), long> Taken(SaleRefunded refund)
    {
        var taken = new Dictionary<(Guid, string?), long>();
        foreach (var line in refund.Lines)
        {
            (Guid, string?) key;
            if (line.Account == Accounts.PlatformRevenue) key = (line.WorkId!.Value, null);
            else if (Accounts.TryParsePayee(line.Account, out var payee, out _)) key = (line.WorkId!.Value, payee);
            else continue;
            taken[key] = taken.GetValueOrDefault(key) - line.CreditBalance;
        }
        return taken;
    }

    /// <summary>Posts the case and applies its refunds, checking the books after every step; gives each refund with the state before it.</summary>
    private static (Books.Stream Sale, List<(SaleLedger Before, SaleRefunded Refund)> Refunds) Run(RefundCase c)
    {
        var sale = new Books.Stream(SaleDecisions.Post(SaleScenarios.ToRecordSale(c.Sale), SaleScenarios.Routes(c.Sale, c.Route)));
        if (c.MatureFirst) sale.Append(SaleDecisions.Mature(sale.State, SaleScenarios.At.AddDays(1)));
        var refunds = new List<(SaleLedger, SaleRefunded)>();
        var n = 0;
        foreach (var step in c.Refunds)
        {
            var refundable = SaleDecisions.Refundable(sale.State);
            if (refundable == 0) break;
            var before = sale.State;
            var amount = step.AmountOf(refundable);
            amount.ShouldBeInRange(1, refundable);
            refunds.Add((before, sale.Append(SaleDecisions.Refund(before, $"re_{++n}", amount, "test", SaleScenarios.At.AddDays(2 + n)))));
        }
        return (sale, refunds);
    }

    [Property(MaxTest = Cases, Arbitrary = new[] { typeof(SaleScenarioArbitraries) })]
    public void Each_refund_parts_sum_to_its_amount_and_the_journal_balances(RefundCase c)
    {
        var (_, refunds) = Run(c);

        foreach (var (_, refund) in refunds)
        {
            Journal.IsBalanced(refund.Lines).ShouldBeTrue();
            Taken(refund).Values.Sum().ShouldBe(refund.AmountMinor);
            refund.Lines.Where(l => l.Account == Accounts.PaymentClearing).ShouldHaveSingleItem().CreditMinor.ShouldBe(refund.AmountMinor);
        }
    }

    [Property(MaxTest = Cases, Arbitrary = new[] { typeof(SaleScenarioArbitraries) })]
    public void No_party_ever_goes_below_zero(RefundCase c)
    {
        var (sale, refunds) = Run(c);

        foreach (var (before, refund) in refunds)
        {
            var left = Parties(before);
            foreach (var (party, take) in Taken(refund))
            {
                take.ShouldBeGreaterThanOrEqualTo(0, $"{party}");
                take.ShouldBeLessThanOrEqualTo(left.GetValueOrDefault(party), $"{party} gave more than it had");
            }
        }
        // Books.Replay already checks every bucket of every part after each step; the fees too.
        Parties(sale.State).Values.ShouldAllBe(v => v >= 0);
    }

    [Property(MaxTest = Cases, Arbitrary = new[] { typeof(SaleScenarioArbitraries) })]
    public void Refunding_what_remains_returns_every_party_to_exactly_zero(RefundCase c)
    {
        var (sale, _) = Run(c);
        var rest = SaleDecisions.Refundable(sale.State);
        if (rest > 0) sale.Append(SaleDecisions.Refund(sale.State, "re_rest", rest, "rest", SaleScenarios.At.AddDays(100)));

        Parties(sale.State).Values.ShouldAllBe(v => v == 0);
        sale.State.Royalties.Values.ShouldAllBe(p => p.Pending == 0 && p.Available == 0 && p.ClaimHeld == 0 && p.DisputeHeld == 0);
        sale.State.RefundedMinor.ShouldBe(sale.State.GrossMinor);
        SaleDecisions.Refundable(sale.State).ShouldBe(0);
        Books.JournalBalances(sale.Events).ShouldBeEmpty();
        Should.Throw<LedgerException>(() => SaleDecisions.Refund(sale.State, "re_more", 1, "more", SaleScenarios.At.AddDays(101)));
    }

    [Property(MaxTest = Cases, Arbitrary = new[] { typeof(SaleScenarioArbitraries) })]
    public void Each_refund_part_is_within_one_unit_of_its_exact_share_of_what_remained(RefundCase c)
    {
        var (_, refunds) = Run(c);

        foreach (var (before, refund) in refunds)
        {
            var left = Parties(before);
            var total = left.Values.Aggregate(Int128.Zero, (s, v) => s + v);
            var taken = Taken(refund);
            foreach (var (party, weight) in left)
            {
                var take = taken.GetValueOrDefault(party);
                // |take − amount × weight / total| < 1, in integers.
                var error = (Int128)take * total - (Int128)refund.AmountMinor * weight;
                Int128.Abs(error).ShouldBeLessThan(total, $"{party}: took {take} of {weight}, refund {refund.AmountMinor} of {total}");
            }
        }
    }

    [Property(MaxTest = Cases, Arbitrary = new[] { typeof(SaleScenarioArbitraries) })]
    public void Shuffling_items_and_holders_gives_identical_amounts_per_work_and_payee(ShuffledRefundCase c)
    {
        static List<string> Amounts(Sales.ShuffledRefundCase c, bool shuffled)
        {
            var sale = shuffled ? c.Sales.Shuffled : c.Sales.Original;
            var result = new List<string>();
            var posted = SaleDecisions.Post(SaleScenarios.ToRecordSale(sale));
            foreach (var item in posted.Items.OrderBy(i => i.WorkId))
            {
                result.Add($"item {item.WorkId:N}: {item.AmountMinor} fee {item.FeeMinor}");
                foreach (var r in item.Royalties.OrderBy(r => r.PayeeId, StringComparer.Ordinal))
                    result.Add($"  {r.PayeeId}: gross {r.GrossShareMinor} fee {r.FeeShareMinor} net {r.NetMinor}");
            }
            var stream = new Books.Stream(posted);
            var n = 0;
            foreach (var step in c.Refunds)
            {
                var refundable = SaleDecisions.Refundable(stream.State);
                if (refundable == 0) break;
                var refund = stream.Append(SaleDecisions.Refund(stream.State, $"re_{++n}", step.AmountOf(refundable), "x", SaleScenarios.At));
                result.Add($"refund {n}: {refund.AmountMinor}");
                result.AddRange(refund.Lines.OrderBy(l => l.Account, StringComparer.Ordinal).ThenBy(l => l.WorkId)
                    .Select(l => $"  {l.Account} {l.WorkId:N} D{l.DebitMinor} C{l.CreditMinor}"));
            }
            return result;
        }

        Amounts(c, shuffled: true).ShouldBe(Amounts(c, shuffled: false));
    }

    [Property(MaxTest = Cases, Arbitrary = new[] { typeof(SaleScenarioArbitraries) })]
    public void Any_sequence_of_operations_keeps_the_books_and_the_state_in_agreement(OperationsCase c)
    {
        var events = SaleScenarios.Run(c);

        var sale = Books.Replay(events);
        // Whatever happened, what is left can be refunded (once no dispute is open) down to exactly zero.
        if (sale.OpenDispute is { } open) events.Add(SaleDecisions.CloseDispute(sale, open.Id, won: true, SaleScenarios.At.AddYears(1))!);
        sale = Books.Replay(events);
        var rest = SaleDecisions.Refundable(sale);
        if (rest > 0) events.Add(SaleDecisions.Refund(sale, "re_rest", rest, "rest", SaleScenarios.At.AddYears(1))!);
        sale = Books.Replay(events);
        Parties(sale).Values.ShouldAllBe(v => v == 0);
        sale.Royalties.Values.ShouldAllBe(p => p.Pending == 0 && p.Available == 0 && p.ClaimHeld == 0 && p.DisputeHeld == 0);
    }
}
