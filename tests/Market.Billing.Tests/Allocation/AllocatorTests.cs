using Market.Billing.Allocation;

namespace Market.Billing.Tests.Allocation;

public sealed class AllocatorTests
{
    private static IReadOnlyList<RightsShare> Sole(string payee) => [new RightsShare(payee, Allocator.FullShare)];

    private static SaleLine Line(string key, long listPrice, string payee = "p1") => new(key, listPrice, Sole(payee));

    [Fact]
    public void Ten_thousand_over_three_equal_prices_gives_the_extra_unit_to_the_first_key_in_ordinal_order()
    {
        var allocation = Allocator.Allocate(10_000, [Line("c", 1), Line("a", 1), Line("b", 1)], 0);

        allocation.Lines.Select(l => (l.Key, l.AmountMinor)).ShouldBe([("c", 3333L), ("a", 3334L), ("b", 3333L)]);
    }

    [Fact]
    public void Ties_are_broken_by_ordinal_order_so_upper_case_keys_come_first()
    {
        // Ordinal: "B" (0x42) < "a" (0x61); a culture-aware comparison would put "a" first.
        var parts = Allocator.LargestRemainder(1, [("a", 1), ("B", 1)]);

        parts["B"].ShouldBe(1);
        parts["a"].ShouldBe(0);
    }

    [Fact]
    public void The_leftover_unit_goes_to_the_largest_remainder_not_the_first_key()
    {
        // 10 over 1:2 is 3.33 and 6.67; the 0.67 wins the leftover unit.
        var parts = Allocator.LargestRemainder(10, [("a", 1), ("b", 2)]);

        parts["a"].ShouldBe(3);
        parts["b"].ShouldBe(7);
    }

    [Fact]
    public void Lines_are_returned_in_input_order_with_amounts_pro_rata_to_list_price()
    {
        var allocation = Allocator.Allocate(9_000, [Line("x", 2_000), Line("y", 1_000)], 0);

        allocation.Lines.Select(l => (l.Key, l.AmountMinor)).ShouldBe([("x", 6_000L), ("y", 3_000L)]);
        allocation.GrossMinor.ShouldBe(9_000);
    }

    [Fact]
    public void A_fee_of_2000_bps_on_4900_is_980_and_the_3920_royalty_is_split_3333_3333_3334()
    {
        var holders = new[] { new RightsShare("p1", 3333), new RightsShare("p2", 3333), new RightsShare("p3", 3334) };

        var allocation = Allocator.Allocate(4_900, [new SaleLine("work", 4_900, holders)], 2_000);

        var line = allocation.Lines.ShouldHaveSingleItem();
        line.AmountMinor.ShouldBe(4_900);
        line.PlatformFeeMinor.ShouldBe(980);
        allocation.PlatformFeeMinor.ShouldBe(980);
        // 3920 × 0.3333 = 1306.536 and 3920 × 0.3334 = 1306.928: the two leftover units go to p3 (0.928)
        // and then p1, which beats p2 on the tied 0.536 by key order.
        line.Royalties.ShouldBe([new PayeeAmount("p1", 1307), new PayeeAmount("p2", 1306), new PayeeAmount("p3", 1307)]);
        line.Royalties.Sum(r => r.AmountMinor).ShouldBe(3_920);
    }

    [Fact]
    public void Royalties_are_listed_in_the_order_the_holders_were_given()
    {
        var holders = new[] { new RightsShare("zed", 7_500), new RightsShare("amy", 2_500) };

        var line = Allocator.Allocate(1_000, [new SaleLine("work", 1, holders)], 0).Lines.Single();

        line.Royalties.ShouldBe([new PayeeAmount("zed", 750), new PayeeAmount("amy", 250)]);
    }

    [Fact]
    public void The_platform_wins_a_tied_unit_between_fee_and_royalties()
    {
        // Half of one unit each way: the fee split's keys sort the platform first.
        var line = Allocator.Allocate(1, [Line("work", 1)], 5_000).Lines.Single();

        line.PlatformFeeMinor.ShouldBe(1);
        line.Royalties.ShouldBe([new PayeeAmount("p1", 0)]);
    }

    [Fact]
    public void A_fee_of_10000_bps_leaves_nothing_for_the_holders()
    {
        var allocation = Allocator.Allocate(777, [Line("work", 5)], Allocator.FullShare);

        allocation.PlatformFeeMinor.ShouldBe(777);
        allocation.Lines.Single().Royalties.ShouldBe([new PayeeAmount("p1", 0)]);
    }

    [Fact]
    public void A_fee_of_0_bps_gives_the_whole_line_to_the_holders()
    {
        var allocation = Allocator.Allocate(777, [Line("work", 5)], 0);

        allocation.PlatformFeeMinor.ShouldBe(0);
        allocation.Lines.Single().Royalties.ShouldBe([new PayeeAmount("p1", 777)]);
    }

    [Fact]
    public void A_free_item_beside_a_paid_one_gets_nothing()
    {
        var allocation = Allocator.Allocate(500, [Line("free", 0), Line("paid", 100)], 1_000);

        allocation.Lines.Select(l => (l.Key, l.AmountMinor, l.PlatformFeeMinor)).ShouldBe([("free", 0L, 0L), ("paid", 500L, 50L)]);
    }

    [Fact]
    public void A_sale_of_only_free_items_for_zero_allocates_zero_everywhere()
    {
        var allocation = Allocator.Allocate(0, [Line("a", 0), Line("b", 0)], 2_000);

        allocation.Lines.ShouldAllBe(l => l.AmountMinor == 0 && l.PlatformFeeMinor == 0 && l.Royalties.All(r => r.AmountMinor == 0));
    }

    [Fact]
    public void The_largest_amounts_do_not_overflow()
    {
        var allocation = Allocator.Allocate(long.MaxValue, [Line("a", long.MaxValue), Line("b", long.MaxValue - 1), Line("c", 1)], 9_999);

        allocation.Lines.Aggregate(Int128.Zero, (sum, l) => sum + l.AmountMinor).ShouldBe((Int128)long.MaxValue);
        allocation.Lines.ShouldAllBe(l => l.AmountMinor >= 0 && l.PlatformFeeMinor + l.Royalties.Sum(r => r.AmountMinor) == l.AmountMinor);
    }

    [Fact]
    public void Splits_that_do_not_sum_to_10000_bps_are_refused()
    {
        SaleLine[] lines = [new("work", 100, [new RightsShare("p1", 5_000), new RightsShare("p2", 4_999)])];

        Should.Throw<ArgumentException>(() => Allocator.Allocate(100, lines, 0)).Message.ShouldContain("sum to 10000");
    }

    [Fact]
    public void Splits_over_10000_bps_are_refused()
    {
        SaleLine[] lines = [new("work", 100, [new RightsShare("p1", 5_000), new RightsShare("p2", 5_001)])];

        Should.Throw<ArgumentException>(() => Allocator.Allocate(100, lines, 0));
    }

    [Fact]
    public void Duplicate_line_keys_are_refused()
    {
        var ex = Should.Throw<ArgumentException>(() => Allocator.Allocate(100, [Line("work", 1), Line("work", 2)], 0));

        ex.ParamName.ShouldBe("lines");
    }

    [Fact]
    public void Keys_differing_only_in_case_are_distinct_lines()
    {
        var allocation = Allocator.Allocate(100, [Line("work", 1), Line("WORK", 1)], 0);

        allocation.Lines.Select(l => l.AmountMinor).ShouldBe([50L, 50L]);
    }

    [Fact]
    public void A_payee_named_twice_on_one_line_is_refused()
    {
        SaleLine[] lines = [new("work", 100, [new RightsShare("p1", 5_000), new RightsShare("p1", 5_000)])];

        Should.Throw<ArgumentException>(() => Allocator.Allocate(100, lines, 0)).Message.ShouldContain("twice");
    }

    [Fact]
    public void A_negative_gross_is_refused()
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => Allocator.Allocate(-1, [Line("work", 1)], 0));

        ex.ParamName.ShouldBe("grossMinor");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void A_fee_outside_0_to_10000_bps_is_refused(int feeBasisPoints)
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => Allocator.Allocate(100, [Line("work", 1)], feeBasisPoints));

        ex.ParamName.ShouldBe("platformFeeBasisPoints");
    }

    [Fact]
    public void A_positive_gross_over_only_free_items_is_refused()
    {
        Should.Throw<ArgumentException>(() => Allocator.Allocate(100, [Line("a", 0), Line("b", 0)], 0))
            .Message.ShouldContain("zero weights");
    }

    [Fact]
    public void A_sale_without_lines_is_refused()
    {
        Should.Throw<ArgumentException>(() => Allocator.Allocate(100, [], 0));
    }

    [Fact]
    public void A_line_without_holders_is_refused()
    {
        Should.Throw<ArgumentException>(() => Allocator.Allocate(100, [new SaleLine("work", 1, [])], 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_share_of_zero_or_less_is_refused_even_when_the_splits_sum_to_10000(int basisPoints)
    {
        SaleLine[] lines = [new("work", 1, [new RightsShare("p1", Allocator.FullShare - basisPoints), new RightsShare("p2", basisPoints)])];

        Should.Throw<ArgumentException>(() => Allocator.Allocate(100, lines, 0));
    }

    [Fact]
    public void A_negative_list_price_is_refused()
    {
        Should.Throw<ArgumentException>(() => Allocator.Allocate(100, [Line("a", 2), Line("b", -1)], 0));
    }

    [Fact]
    public void Largest_remainder_refuses_a_negative_total()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Allocator.LargestRemainder(-1, [("a", 1)]));
    }

    [Fact]
    public void Largest_remainder_refuses_a_negative_weight()
    {
        Should.Throw<ArgumentException>(() => Allocator.LargestRemainder(10, [("a", 2), ("b", -1)]));
    }

    [Fact]
    public void Largest_remainder_refuses_an_empty_list_of_weights()
    {
        Should.Throw<ArgumentException>(() => Allocator.LargestRemainder(10, []));
    }

    [Fact]
    public void Largest_remainder_refuses_a_positive_total_over_zero_weights()
    {
        Should.Throw<ArgumentException>(() => Allocator.LargestRemainder(1, [("a", 0), ("b", 0)]));
    }

    [Fact]
    public void Largest_remainder_spreads_a_zero_total_over_zero_weights_as_zeros()
    {
        var parts = Allocator.LargestRemainder(0, [("a", 0), ("b", 0)]);

        parts.Keys.Order(StringComparer.Ordinal).ShouldBe(["a", "b"]);
        parts.Values.ShouldAllBe(p => p == 0);
    }
}
