using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Market.Billing.Allocation;
using Market.Billing.Ledger;
using Market.Billing.Tests.Allocation;

namespace Market.Billing.Tests.Ledger;

public sealed class SaleDecisionTests
{
    private static readonly Guid OrderId = Guid.Parse("6f1c2a9e-0b7d-4c51-9a3e-2d8f4b6c1e07");
    private static readonly Guid WorkA = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid WorkB = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid WorkC = Guid.Parse("33333333-3333-3333-3333-333333333333");
    // In the past, and with an offset, so it cannot be mistaken for a clock reading taken during the test.
    private static readonly DateTimeOffset At = new(2023, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));

    /// <summary>
    /// 10000 over list prices 2000/1000/1000 is 5000/2500/2500; a 2000 bps fee takes 1000/500/500. Alice holds
    /// all of A and half of B, so she accrues 4000 + 1000; Bob 1000 on B; Carol 2000 on C.
    /// </summary>
    private static RecordSale Sale(long gross = 10_000, int feeBasisPoints = 2_000, IReadOnlyList<SoldItem>? items = null) =>
        new(OrderId, Guid.Parse("a0000000-0000-0000-0000-00000000000a"), Guid.Parse("b0000000-0000-0000-0000-00000000000b"),
            "EUR", gross, "stripe", "pi_test_456",
            items ??
            [
                new SoldItem(WorkA, 2_000, [new RightsShare("alice", 10_000)]),
                new SoldItem(WorkB, 1_000, [new RightsShare("alice", 5_000), new RightsShare("bob", 5_000)]),
                new SoldItem(WorkC, 1_000, [new RightsShare("carol", 10_000)]),
            ],
            feeBasisPoints, At);

    private static long Net(IEnumerable<ILedgerEvent> events, string account) =>
        events.SelectMany(e => e.Lines).Where(l => l.Account == account).Sum(l => l.DebitMinor - l.CreditMinor);

    [Fact]
    public void Every_event_is_a_balanced_transaction()
    {
        var events = SaleDecision.Decide(Sale());

        events.Count.ShouldBe(8);
        foreach (var e in events)
            Accounts.IsBalanced(e.Lines).ShouldBeTrue(e.GetType().Name);
    }

    [Fact]
    public void The_suspense_account_nets_to_zero_over_the_sale()
    {
        var events = SaleDecision.Decide(Sale());

        Net(events, Accounts.SaleAllocation).ShouldBe(0);
        // It was used: the sale credits it with the gross and the fee and royalties empty it.
        events.SelectMany(e => e.Lines).Where(l => l.Account == Accounts.SaleAllocation).Sum(l => l.CreditMinor).ShouldBe(10_000);
    }

    [Fact]
    public void Payment_clearing_is_debited_by_the_gross_once()
    {
        var events = SaleDecision.Decide(Sale());

        var clearing = events.SelectMany(e => e.Lines).Where(l => l.Account == Accounts.PaymentClearing).ShouldHaveSingleItem();
        clearing.ShouldBe(JournalLine.Debit(Accounts.PaymentClearing, 10_000));
    }

    [Fact]
    public void The_sale_is_recorded_first_with_the_payment_details()
    {
        var recorded = SaleDecision.Decide(Sale())[0].ShouldBeOfType<SaleRecorded>();

        recorded.SaleId.ShouldBe(OrderId);
        recorded.OrderId.ShouldBe(OrderId);
        recorded.GrossMinor.ShouldBe(10_000);
        recorded.Currency.ShouldBe("EUR");
        recorded.PaymentProvider.ShouldBe("stripe");
        recorded.PaymentReference.ShouldBe("pi_test_456");
        recorded.Lines.ShouldBe([JournalLine.Debit(Accounts.PaymentClearing, 10_000), JournalLine.Credit(Accounts.SaleAllocation, 10_000)]);
    }

    [Fact]
    public void Platform_revenue_is_credited_with_the_fee_of_each_item()
    {
        var events = SaleDecision.Decide(Sale());

        Net(events, Accounts.PlatformRevenue).ShouldBe(-2_000);
        events.OfType<PlatformFeeEarned>().Select(f => (f.WorkId, f.AmountMinor, f.FeeBasisPoints))
            .ShouldBe([(WorkA, 1_000L, 2_000), (WorkB, 500L, 2_000), (WorkC, 500L, 2_000)]);
    }

    [Fact]
    public void Each_payee_pending_account_is_credited_with_their_royalty()
    {
        var events = SaleDecision.Decide(Sale());

        Net(events, Accounts.PayeePending("alice")).ShouldBe(-5_000);
        Net(events, Accounts.PayeePending("bob")).ShouldBe(-1_000);
        Net(events, Accounts.PayeePending("carol")).ShouldBe(-2_000);
        events.OfType<RoyaltyAccrued>().Select(r => (r.WorkId, r.PayeeId, r.AmountMinor, r.SplitBasisPoints))
            .ShouldBe([(WorkA, "alice", 4_000L, 10_000), (WorkB, "alice", 1_000L, 5_000), (WorkB, "bob", 1_000L, 5_000), (WorkC, "carol", 2_000L, 10_000)]);
        events.OfType<RoyaltyAccrued>().ShouldAllBe(r => r.Lines.Any(l => l.Account == Accounts.PayeePending(r.PayeeId) && l.CreditMinor == r.AmountMinor));
    }

    [Fact]
    public void Every_event_carries_the_time_and_ids_of_the_command()
    {
        var events = SaleDecision.Decide(Sale());

        events.ShouldAllBe(e => e.RecordedAt == At && e.RecordedAt.Offset == At.Offset);
        events.ShouldAllBe(e => e.SaleId == OrderId && e.Currency == "EUR");
    }

    [Fact]
    public void A_zero_fee_emits_no_platform_fee_and_gives_the_holders_everything()
    {
        var events = SaleDecision.Decide(Sale(feeBasisPoints: 0));

        events.OfType<PlatformFeeEarned>().ShouldBeEmpty();
        Net(events, Accounts.PlatformRevenue).ShouldBe(0);
        events.OfType<RoyaltyAccrued>().Sum(r => r.AmountMinor).ShouldBe(10_000);
        Net(events, Accounts.SaleAllocation).ShouldBe(0);
    }

    [Fact]
    public void A_full_fee_emits_no_royalties()
    {
        var events = SaleDecision.Decide(Sale(feeBasisPoints: Allocator.FullShare));

        events.OfType<RoyaltyAccrued>().ShouldBeEmpty();
        events.OfType<PlatformFeeEarned>().Sum(f => f.AmountMinor).ShouldBe(10_000);
    }

    [Fact]
    public void A_holder_whose_share_rounds_to_nothing_gets_no_event()
    {
        var events = SaleDecision.Decide(Sale(gross: 1, feeBasisPoints: 0,
            items: [new SoldItem(WorkA, 100, [new RightsShare("bob", 5_000), new RightsShare("alice", 5_000)])]));

        events.OfType<RoyaltyAccrued>().ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            r => r.PayeeId.ShouldBe("alice"),
            r => r.AmountMinor.ShouldBe(1));
        events.ShouldAllBe(e => e.Lines.All(l => l.DebitMinor + l.CreditMinor > 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_sale_for_zero_or_less_is_refused(long gross)
    {
        Should.Throw<ArgumentException>(() => SaleDecision.Decide(Sale(gross: gross)));
    }

    [Fact]
    public void A_sale_without_items_is_refused()
    {
        Should.Throw<ArgumentException>(() => SaleDecision.Decide(Sale(items: [])));
    }

    [Fact]
    public void A_work_sold_twice_in_one_sale_is_refused()
    {
        Should.Throw<ArgumentException>(() => SaleDecision.Decide(Sale(items:
        [
            new SoldItem(WorkA, 1_000, [new RightsShare("alice", 10_000)]),
            new SoldItem(WorkA, 1_000, [new RightsShare("bob", 10_000)]),
        ])));
    }

    [Fact]
    public void Bad_splits_are_refused_rather_than_posted()
    {
        Should.Throw<ArgumentException>(() => SaleDecision.Decide(Sale(items: [new SoldItem(WorkA, 1_000, [new RightsShare("alice", 9_999)])])));
    }

    [Property(MaxTest = 10_000, Arbitrary = new[] { typeof(SaleDecisionArbitraries) })]
    public void Every_generated_sale_posts_balanced_events_that_move_the_gross_from_clearing_to_fees_and_payees(RecordSale command)
    {
        var events = SaleDecision.Decide(command);
        var allocation = Allocator.Allocate(command.GrossMinor,
            command.Items.Select(i => new SaleLine(i.WorkId.ToString("N"), i.ListPriceMinor, i.Holders)).ToList(),
            command.PlatformFeeBasisPoints);

        events[0].ShouldBeOfType<SaleRecorded>();
        events.OfType<SaleRecorded>().Count().ShouldBe(1);
        foreach (var e in events)
        {
            Accounts.IsBalanced(e.Lines).ShouldBeTrue(e.GetType().Name);
            e.RecordedAt.ShouldBe(command.At);
            e.SaleId.ShouldBe(command.OrderId);
        }
        Net(events, Accounts.SaleAllocation).ShouldBe(0);
        Net(events, Accounts.PaymentClearing).ShouldBe(command.GrossMinor);
        Net(events, Accounts.PlatformRevenue).ShouldBe(-allocation.PlatformFeeMinor);
        var royalties = allocation.Lines.SelectMany(l => l.Royalties).GroupBy(r => r.PayeeId);
        foreach (var payee in royalties)
            Net(events, Accounts.PayeePending(payee.Key)).ShouldBe(-payee.Sum(r => r.AmountMinor), payee.Key);
        if (command.PlatformFeeBasisPoints == 0) events.OfType<PlatformFeeEarned>().ShouldBeEmpty();
    }
}

public static class SaleDecisionArbitraries
{
    private static Guid WorkIdFor(string key) => new(MD5.HashData(Encoding.UTF8.GetBytes(key)));

    public static Arbitrary<RecordSale> Sales() =>
        SaleGenerators.Sale
            .Where(s => s.GrossMinor > 0)
            .Select(s => new RecordSale(
                Guid.Parse("6f1c2a9e-0b7d-4c51-9a3e-2d8f4b6c1e07"), Guid.Empty, Guid.Empty, "EUR", s.GrossMinor, "test", "ref",
                s.Lines.Select(l => new SoldItem(WorkIdFor(l.Key), l.ListPriceMinor, l.Holders)).ToList(),
                s.FeeBasisPoints, new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero)))
            .ToArbitrary();
}
