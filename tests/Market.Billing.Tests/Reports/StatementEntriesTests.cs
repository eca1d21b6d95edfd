using FsCheck.Xunit;
using Market.Billing.Allocation;
using Market.Billing.Ledger;
using Market.Billing.Payouts;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Billing.Tests.Sales;

namespace Market.Billing.Tests.Reports;

public sealed class StatementEntriesTests
{
    private static readonly Guid SaleId = Guid.Parse("6f1c2a9e-0b7d-4c51-9a3e-2d8f4b6c1e07");
    private static readonly Guid WorkA = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid WorkB = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid ClaimX = Guid.Parse("c1a10000-0000-0000-0000-000000000001");
    private static readonly DateTimeOffset At = new(2023, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset Later = At.AddDays(30);

    /// <summary>10000 at 2000 bps over A (alice, list 3000) and B (alice 50 / bob 50, list 1000): A 7500 fee 1500 net 6000; B 2500 fee 500, 1000 net each.</summary>
    private static SalePosted Post(IReadOnlyDictionary<Guid, WorkRoute>? routes = null) => SaleDecisions.Post(new RecordSale(
        SaleId, Guid.NewGuid(), Guid.NewGuid(), "EUR", 10_000, "stripe", "pi_1",
        [
            new SoldItem(WorkA, 3_000, [new RightsShare("alice", 10_000)]),
            new SoldItem(WorkB, 1_000, [new RightsShare("alice", 5_000), new RightsShare("bob", 5_000)]),
        ],
        new FeePolicy(2_000), At), routes);

    private static IEnumerable<(string, StatementKind, Guid?, long, long)> Rows(IEnumerable<StatementEntry> entries) =>
        entries.Select(e => (e.PayeeId, e.Kind, e.WorkId, e.PayableMinor, e.HeldMinor));

    [Fact]
    public void A_sale_gives_accrual_and_fee_rows_per_holder_and_item_that_sum_to_the_net()
    {
        var posted = Post();

        var entries = StatementEntries.Of(42, posted);

        Rows(entries).ShouldBe([
            ("alice", StatementKind.Accrual, WorkA, 7_500L, 0L), ("alice", StatementKind.Fee, WorkA, -1_500L, 0L),
            ("alice", StatementKind.Accrual, WorkB, 1_250L, 0L), ("alice", StatementKind.Fee, WorkB, -250L, 0L),
            ("bob", StatementKind.Accrual, WorkB, 1_250L, 0L), ("bob", StatementKind.Fee, WorkB, -250L, 0L),
        ]);
        entries.ShouldAllBe(e => e.Sequence == 42 && e.SaleId == SaleId && e.Currency == "EUR" && e.Reference == "pi_1" && e.At == At);
        entries.Select(e => e.Ordinal).ShouldBe(Enumerable.Range(0, entries.Count));
        foreach (var payee in new[] { "alice", "bob" })
            entries.Where(e => e.PayeeId == payee).Sum(e => e.PayableMinor)
                .ShouldBe(posted.Lines.Where(l => l.Account == Accounts.PayeePending(payee)).Sum(l => l.CreditBalance));
    }

    [Fact]
    public void A_sale_of_a_held_work_accrues_into_held()
    {
        var entries = StatementEntries.Of(1, Post(new Dictionary<Guid, WorkRoute> { [WorkB] = new WorkRoute.Held(ClaimX) }));

        Rows(entries.Where(e => e.WorkId == WorkB && e.PayeeId == "bob"))
            .ShouldBe([("bob", StatementKind.Accrual, WorkB, 0L, 1_250L), ("bob", StatementKind.Fee, WorkB, 0L, -250L)]);
    }

    [Fact]
    public void A_hold_moves_payable_to_held_and_a_release_moves_it_back()
    {
        var sale = new Books.Stream(Post());
        var held = sale.Append(SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later));
        var released = sale.Append(SaleDecisions.Release(sale.State, WorkB, ClaimX, Later));

        Rows(StatementEntries.Of(2, held)).ShouldBe([
            ("alice", StatementKind.Hold, WorkB, -1_000L, 1_000L), ("bob", StatementKind.Hold, WorkB, -1_000L, 1_000L)], ignoreOrder: true);
        StatementEntries.Of(2, held).ShouldAllBe(e => e.Reference == ClaimX.ToString());
        Rows(StatementEntries.Of(3, released)).ShouldBe([
            ("alice", StatementKind.Release, WorkB, 1_000L, -1_000L), ("bob", StatementKind.Release, WorkB, 1_000L, -1_000L)], ignoreOrder: true);
    }

    [Fact]
    public void A_redirect_gives_redirected_out_to_the_holders_and_redirected_in_to_the_owner()
    {
        var sale = new Books.Stream(Post());
        sale.Append(SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later));
        var redirected = sale.Append(SaleDecisions.Redirect(sale.State, WorkB, ClaimX, "owner", Later));

        Rows(StatementEntries.Of(3, redirected)).ShouldBe([
            ("alice", StatementKind.RedirectedOut, WorkB, 0L, -1_000L),
            ("bob", StatementKind.RedirectedOut, WorkB, 0L, -1_000L),
            ("owner", StatementKind.RedirectedIn, WorkB, 2_000L, 0L),
        ], ignoreOrder: true);
    }

    [Fact]
    public void Maturity_gives_no_rows()
    {
        var sale = new Books.Stream(Post());
        var matured = sale.Append(SaleDecisions.Mature(sale.State, Later));

        matured.Lines.ShouldNotBeEmpty();
        StatementEntries.Of(2, matured).ShouldBeEmpty();
    }

    [Fact]
    public void Refunds_and_disputes_give_their_rows()
    {
        var sale = new Books.Stream(Post());
        var refund = sale.Append(SaleDecisions.Refund(sale.State, "re_1", 1_000, "x", Later));
        var opened = sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));
        var lost = sale.Append(SaleDecisions.CloseDispute(sale.State, "dp_1", won: false, Later));

        Rows(StatementEntries.Of(2, refund).Where(e => e.PayeeId == "alice"))
            .ShouldBe([("alice", StatementKind.Refund, WorkA, -600L, 0L), ("alice", StatementKind.Refund, WorkB, -100L, 0L)], ignoreOrder: true);
        StatementEntries.Of(2, refund).ShouldAllBe(e => e.Reference == "re_1");
        Rows(StatementEntries.Of(3, opened).Where(e => e.PayeeId == "bob")).ShouldBe([("bob", StatementKind.Hold, WorkB, -100L, 100L)]);
        Rows(StatementEntries.Of(4, lost).Where(e => e.PayeeId == "bob")).ShouldBe([("bob", StatementKind.Chargeback, WorkB, 0L, -100L)]);
    }

    [Fact]
    public void A_won_dispute_gives_release_rows()
    {
        var sale = new Books.Stream(Post());
        sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));
        var won = sale.Append(SaleDecisions.CloseDispute(sale.State, "dp_1", won: true, Later));

        Rows(StatementEntries.Of(3, won).Where(e => e.PayeeId == "bob")).ShouldBe([("bob", StatementKind.Release, WorkB, 100L, -100L)]);
    }

    [Fact]
    public void Processor_fees_give_no_rows()
    {
        var sale = new Books.Stream(Post());
        StatementEntries.Of(2, sale.Append(SaleDecisions.ChargeProcessorFee(sale.State, "txn_1", 30, Later))).ShouldBeEmpty();
    }

    [Fact]
    public void An_approved_payout_gives_payout_rows_and_a_failed_transfer_returns_it()
    {
        var batch = Guid.Parse("ba7c0000-0000-0000-0000-000000000001");
        var approved = new PayoutBatchApproved(batch, "finance-2", "EUR",
        [
            JournalLine.Debit(Accounts.PayeeAvailable("alice"), 6_000), JournalLine.Debit(Accounts.PayeeAvailable("bob"), 900),
            JournalLine.Credit(Accounts.PayoutsInTransit, 6_900),
        ], Later);
        var failed = new PayoutTransferFailed(batch, "bob", "EUR", 900, "account closed",
            [JournalLine.Debit(Accounts.PayoutsInTransit, 900), JournalLine.Credit(Accounts.PayeeAvailable("bob"), 900)], Later);

        var rows = StatementEntries.Of(10, approved);
        Rows(rows).ShouldBe([("alice", StatementKind.Payout, (Guid?)null, -6_000L, 0L), ("bob", StatementKind.Payout, null, -900L, 0L)]);
        rows.ShouldAllBe(e => e.SaleId == null && e.Reference == batch.ToString());
        Rows(StatementEntries.Of(11, failed)).ShouldBe([("bob", StatementKind.PayoutReturned, (Guid?)null, 900L, 0L)]);
    }

    /// <summary>
    /// The roll-forward foots: whatever happens to sales, each payee's statement rows (payable + held) add up to
    /// the credit balance of their journal lines, i.e. to what the account balances say they are owed.
    /// </summary>
    [Property(MaxTest = 10_000, Arbitrary = new[] { typeof(SaleScenarioArbitraries) })]
    public void Statement_rows_foot_to_the_journal_per_payee(OperationsCase c)
    {
        var events = SaleScenarios.Run(c);

        var rows = events.SelectMany((e, i) => StatementEntries.Of(i + 1, e)).ToList();
        var statement = rows.GroupBy(r => r.PayeeId).ToDictionary(g => g.Key, g => g.Sum(r => r.PayableMinor + r.HeldMinor));
        var journal = new Dictionary<string, long>();
        foreach (var line in events.SelectMany(e => e.Lines))
            if (Accounts.TryParsePayee(line.Account, out var payee, out _))
                journal[payee] = journal.GetValueOrDefault(payee) + line.CreditBalance;

        foreach (var payee in statement.Keys.Union(journal.Keys))
            statement.GetValueOrDefault(payee).ShouldBe(journal.GetValueOrDefault(payee), payee);
        // Split by column too: payable against pending + available, held against held.
        foreach (var payee in statement.Keys)
        {
            rows.Where(r => r.PayeeId == payee).Sum(r => r.HeldMinor).ShouldBe(events.SelectMany(e => e.Lines)
                .Where(l => l.Account == Accounts.PayeeHeld(payee)).Sum(l => l.CreditBalance), $"held of {payee}");
        }
        rows.ShouldAllBe(r => r.PayableMinor != 0 || r.HeldMinor != 0);
    }
}
