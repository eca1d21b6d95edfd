using Market.Billing.Allocation;
using Market.Billing.Ledger;
using Market.Billing.Sales;

namespace Market.Billing.Tests.Sales;

public sealed class SaleDecisionTests
{
    private static readonly Guid SaleId = Guid.Parse("6f1c2a9e-0b7d-4c51-9a3e-2d8f4b6c1e07");
    private static readonly Guid WorkA = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid WorkB = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid WorkC = Guid.Parse("33333333-3333-3333-3333-333333333333");
    private static readonly Guid ClaimX = Guid.Parse("c1a10000-0000-0000-0000-000000000001");
    private static readonly Guid ClaimY = Guid.Parse("c1a10000-0000-0000-0000-000000000002");
    // In the past, and with an offset, so it cannot be mistaken for a clock reading taken during the test.
    private static readonly DateTimeOffset At = new(2023, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset Later = At.AddDays(30);

    /// <summary>
    /// 10000 over list prices 2000/1000/1000 is 5000/2500/2500; a 2000 bps fee takes 1000/500/500. Alice holds
    /// all of A (net 4000) and half of B (net 1000, fee share 250); Bob the other half of B; Carol all of C (net 2000).
    /// </summary>
    private static RecordSale Sale(long gross = 10_000, FeePolicy? fee = null, IReadOnlyList<SoldItem>? items = null) =>
        new(SaleId, Guid.Parse("a0000000-0000-0000-0000-00000000000a"), Guid.Parse("b0000000-0000-0000-0000-00000000000b"),
            "EUR", gross, "stripe", "pi_test_456",
            items ??
            [
                new SoldItem(WorkA, 2_000, [new RightsShare("alice", 10_000)]),
                new SoldItem(WorkB, 1_000, [new RightsShare("alice", 5_000), new RightsShare("bob", 5_000)]),
                new SoldItem(WorkC, 1_000, [new RightsShare("carol", 10_000)]),
            ],
            fee ?? new FeePolicy(2_000), At);

    private static Books.Stream Posted(IReadOnlyDictionary<Guid, WorkRoute>? routes = null) => new(SaleDecisions.Post(Sale(), routes));

    private static (long Pending, long Available, long ClaimHeld, long DisputeHeld) PartOf(SaleLedger sale, Guid work, string payee)
    {
        var p = sale.Royalties[SaleLedger.KeyOf(work, payee)];
        return (p.Pending, p.Available, p.ClaimHeld, p.DisputeHeld);
    }

    private static long Balance(IEnumerable<ILedgerTransaction> events, string account, Guid? workId = null) =>
        events.SelectMany(e => e.Lines).Where(l => l.Account == account && (workId is null || l.WorkId == workId)).Sum(l => l.CreditBalance);

    // ---- Post ----

    [Fact]
    public void Post_is_one_balanced_transaction_with_the_gross_into_clearing_and_the_payment_details()
    {
        var posted = SaleDecisions.Post(Sale());

        Journal.IsBalanced(posted.Lines).ShouldBeTrue();
        posted.Lines.Where(l => l.Account == Accounts.PaymentClearing).ShouldHaveSingleItem()
            .ShouldBe(JournalLine.Debit(Accounts.PaymentClearing, 10_000));
        (posted.SaleId, posted.GrossMinor, posted.Currency, posted.PaymentProvider, posted.PaymentReference, posted.FeeBasisPoints, posted.PostedAt)
            .ShouldBe((SaleId, 10_000L, "EUR", "stripe", "pi_test_456", 2_000, At));
        Books.Replay([posted]);
    }

    [Fact]
    public void Post_credits_the_fee_of_each_item_to_revenue_on_that_item()
    {
        var posted = SaleDecisions.Post(Sale());

        posted.Lines.Where(l => l.Account == Accounts.PlatformRevenue).Select(l => (l.WorkId, l.CreditMinor, l.DebitMinor))
            .ShouldBe([(WorkA, 1_000L, 0L), (WorkB, 500L, 0L), (WorkC, 500L, 0L)], ignoreOrder: true);
        posted.Items.Select(i => (i.WorkId, i.ListPriceMinor, i.AmountMinor, i.FeeMinor))
            .ShouldBe([(WorkA, 2_000L, 5_000L, 1_000L), (WorkB, 1_000L, 2_500L, 500L), (WorkC, 1_000L, 2_500L, 500L)]);
    }

    [Fact]
    public void Post_credits_each_holder_net_to_their_pending_account_on_the_item()
    {
        var posted = SaleDecisions.Post(Sale());

        posted.Lines.Where(l => l.Account.StartsWith(Accounts.PayeePrefix)).Select(l => (l.Account, l.WorkId, l.CreditMinor))
            .ShouldBe([
                (Accounts.PayeePending("alice"), WorkA, 4_000L),
                (Accounts.PayeePending("alice"), WorkB, 1_000L),
                (Accounts.PayeePending("bob"), WorkB, 1_000L),
                (Accounts.PayeePending("carol"), WorkC, 2_000L),
            ], ignoreOrder: true);
        var state = Books.Replay([posted]);
        PartOf(state, WorkA, "alice").ShouldBe((4_000L, 0L, 0L, 0L));
        PartOf(state, WorkB, "bob").ShouldBe((1_000L, 0L, 0L, 0L));
        SaleDecisions.Refundable(state).ShouldBe(10_000);
    }

    [Fact]
    public void Each_holder_gross_share_less_fee_share_is_the_net()
    {
        var posted = SaleDecisions.Post(Sale());

        posted.Items.SelectMany(i => i.Royalties.Select(r => (i.WorkId, r.PayeeId, r.SplitBasisPoints, r.GrossShareMinor, r.FeeShareMinor, r.NetMinor, r.Bucket, r.ClaimId)))
            .ShouldBe([
                (WorkA, "alice", 10_000, 5_000L, 1_000L, 4_000L, PayeeBucket.Pending, (Guid?)null),
                (WorkB, "alice", 5_000, 1_250L, 250L, 1_000L, PayeeBucket.Pending, null),
                (WorkB, "bob", 5_000, 1_250L, 250L, 1_000L, PayeeBucket.Pending, null),
                (WorkC, "carol", 10_000, 2_500L, 500L, 2_000L, PayeeBucket.Pending, null),
            ]);
        foreach (var item in posted.Items)
        {
            item.Royalties.ShouldAllBe(r => r.GrossShareMinor - r.FeeShareMinor == r.NetMinor);
            item.Royalties.Sum(r => r.FeeShareMinor).ShouldBe(item.FeeMinor);
            item.Royalties.Sum(r => r.GrossShareMinor).ShouldBe(item.AmountMinor);
        }
    }

    [Fact]
    public void Fee_shares_of_an_odd_fee_still_add_up_to_the_item_fee()
    {
        // 333 at 1000 bps: fee 33 (33.3), net 300 split three ways; the fee 33 splits 11/11/11 and the gross 111 each.
        var posted = SaleDecisions.Post(Sale(333, new FeePolicy(1_000), items:
            [new SoldItem(WorkA, 1, [new RightsShare("a", 3_334), new RightsShare("b", 3_333), new RightsShare("c", 3_333)])]), null);

        var item = posted.Items.ShouldHaveSingleItem();
        item.FeeMinor.ShouldBe(33);
        item.Royalties.Sum(r => r.FeeShareMinor).ShouldBe(item.FeeMinor);
        item.Royalties.Sum(r => r.NetMinor).ShouldBe(300);
        item.Royalties.ShouldAllBe(r => r.GrossShareMinor - r.FeeShareMinor == r.NetMinor);
        Books.Replay([posted]);
    }

    [Fact]
    public void A_held_route_puts_the_work_royalties_into_held_with_the_claim()
    {
        var posted = SaleDecisions.Post(Sale(), new Dictionary<Guid, WorkRoute> { [WorkB] = new WorkRoute.Held(ClaimX) });

        posted.Items.Single(i => i.WorkId == WorkB).Royalties.ShouldAllBe(r => r.Bucket == PayeeBucket.Held && r.ClaimId == ClaimX);
        posted.Items.Single(i => i.WorkId == WorkA).Royalties.ShouldAllBe(r => r.Bucket == PayeeBucket.Pending && r.ClaimId == null);
        posted.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeeHeld("alice"), 1_000, WorkB));
        posted.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeeHeld("bob"), 1_000, WorkB));
        posted.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeePending("alice"), 4_000, WorkA));
        var state = Books.Replay([posted]);
        state.ClaimHolds.ShouldBe(new Dictionary<Guid, Guid> { [WorkB] = ClaimX });
        PartOf(state, WorkB, "alice").ShouldBe((0L, 0L, 1_000L, 0L));
    }

    [Fact]
    public void A_redirected_route_pays_the_proven_owner_the_whole_holders_share()
    {
        var posted = SaleDecisions.Post(Sale(), new Dictionary<Guid, WorkRoute> { [WorkB] = new WorkRoute.Redirected(ClaimX, "owner") });

        var royalty = posted.Items.Single(i => i.WorkId == WorkB).Royalties.ShouldHaveSingleItem();
        (royalty.PayeeId, royalty.SplitBasisPoints, royalty.GrossShareMinor, royalty.FeeShareMinor, royalty.NetMinor, royalty.Bucket, royalty.ClaimId)
            .ShouldBe(("owner", 10_000, 2_500L, 500L, 2_000L, PayeeBucket.Pending, (Guid?)ClaimX));
        posted.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeePending("owner"), 2_000, WorkB));
        posted.Lines.ShouldNotContain(l => l.Account == Accounts.PayeePending("bob"));
        Balance([posted], Accounts.PayeePending("alice")).ShouldBe(4_000);
        var state = Books.Replay([posted]);
        state.ClaimHolds.ShouldBeEmpty();
        PartOf(state, WorkB, "owner").ShouldBe((2_000L, 0L, 0L, 0L));
    }

    [Fact]
    public void The_minimum_fee_per_item_applies_to_each_item()
    {
        // 1000 bps of 5000/2500/2500 is 500/250/250; a minimum of 300 raises the two small ones.
        var posted = SaleDecisions.Post(Sale(fee: new FeePolicy(1_000, 300)));

        posted.Items.Select(i => i.FeeMinor).ShouldBe([500L, 300L, 300L]);
        Balance([posted], Accounts.PlatformRevenue).ShouldBe(1_100);
        posted.Items.Single(i => i.WorkId == WorkB).Royalties.Select(r => (r.FeeShareMinor, r.NetMinor)).ShouldBe([(150L, 1_100L), (150L, 1_100L)]);
        Books.Replay([posted]);
    }

    [Fact]
    public void A_minimum_fee_above_the_item_amount_takes_the_item_and_no_more()
    {
        var posted = SaleDecisions.Post(Sale(100, new FeePolicy(1_000, 300),
            [new SoldItem(WorkA, 1, [new RightsShare("alice", 10_000)])]));

        posted.Items.ShouldHaveSingleItem().FeeMinor.ShouldBe(100);
        posted.Lines.ShouldNotContain(l => l.Account.StartsWith(Accounts.PayeePrefix));
        Books.Replay([posted]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_sale_for_nothing_or_less_is_refused(long gross) =>
        Should.Throw<LedgerException>(() => SaleDecisions.Post(Sale(gross))).Message.ShouldContain("positive");

    [Fact]
    public void A_sale_without_items_is_refused() =>
        Should.Throw<LedgerException>(() => SaleDecisions.Post(Sale(items: []))).Message.ShouldContain("at least one item");

    [Fact]
    public void A_sale_listing_a_work_twice_is_refused() =>
        Should.Throw<LedgerException>(() => SaleDecisions.Post(Sale(items:
            [new SoldItem(WorkA, 1, [new RightsShare("alice", 10_000)]), new SoldItem(WorkA, 2, [new RightsShare("bob", 10_000)])])))
            .Message.ShouldContain("each work once");

    [Theory]
    [InlineData("ali:ce")]
    [InlineData(":")]
    [InlineData("")]
    [InlineData(" ")]
    public void A_payee_id_that_cannot_be_an_account_name_is_refused(string payee) =>
        Should.Throw<ArgumentException>(() => SaleDecisions.Post(Sale(items: [new SoldItem(WorkA, 1, [new RightsShare(payee, 10_000)])])));

    [Fact]
    public void A_redirect_owner_that_cannot_be_an_account_name_is_refused() =>
        Should.Throw<ArgumentException>(() => SaleDecisions.Post(Sale(),
            new Dictionary<Guid, WorkRoute> { [WorkB] = new WorkRoute.Redirected(ClaimX, "evil:available") }));

    [Fact]
    public void Splits_that_do_not_sum_to_the_whole_are_refused() =>
        Should.Throw<ArgumentException>(() => SaleDecisions.Post(Sale(items: [new SoldItem(WorkA, 1, [new RightsShare("alice", 9_000)])])));

    // ---- Refund ----

    [Fact]
    public void A_full_refund_returns_every_party_to_zero()
    {
        var sale = Posted();

        var refund = sale.Append(SaleDecisions.Refund(sale.State, "re_1", 10_000, "requested_by_customer", Later));

        refund.Lines.ShouldContain(JournalLine.Credit(Accounts.PaymentClearing, 10_000));
        sale.State.Fees.Values.ShouldAllBe(f => f == 0);
        sale.State.Royalties.Values.ShouldAllBe(p => p.Pending == 0 && p.Available == 0 && p.ClaimHeld == 0 && p.DisputeHeld == 0);
        SaleDecisions.Refundable(sale.State).ShouldBe(0);
        sale.State.RefundedMinor.ShouldBe(10_000);
        Books.JournalBalances(sale.Events).ShouldBeEmpty();
    }

    [Fact]
    public void A_partial_refund_reverses_fee_and_royalties_pro_rata()
    {
        var sale = Posted();

        var refund = sale.Append(SaleDecisions.Refund(sale.State, "re_1", 1_000, "partial", Later));

        refund.Lines.ShouldBe([
            JournalLine.Credit(Accounts.PaymentClearing, 1_000),
            JournalLine.Debit(Accounts.PlatformRevenue, 100, WorkA),
            JournalLine.Debit(Accounts.PlatformRevenue, 50, WorkB),
            JournalLine.Debit(Accounts.PlatformRevenue, 50, WorkC),
            JournalLine.Debit(Accounts.PayeePending("alice"), 400, WorkA),
            JournalLine.Debit(Accounts.PayeePending("alice"), 100, WorkB),
            JournalLine.Debit(Accounts.PayeePending("bob"), 100, WorkB),
            JournalLine.Debit(Accounts.PayeePending("carol"), 200, WorkC),
        ], ignoreOrder: true);
        PartOf(sale.State, WorkA, "alice").ShouldBe((3_600L, 0L, 0L, 0L));
        SaleDecisions.Refundable(sale.State).ShouldBe(9_000);
    }

    [Fact]
    public void A_refund_after_maturity_comes_out_of_available()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Mature(sale.State, Later));

        var refund = sale.Append(SaleDecisions.Refund(sale.State, "re_1", 10_000, "late", Later));

        refund.Lines.ShouldNotContain(l => l.Account.EndsWith(":pending"));
        refund.Lines.ShouldContain(JournalLine.Debit(Accounts.PayeeAvailable("alice"), 4_000, WorkA));
        SaleDecisions.Refundable(sale.State).ShouldBe(0);
    }

    [Fact]
    public void A_refund_of_a_work_under_a_claim_comes_out_of_held()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later));

        var refund = sale.Append(SaleDecisions.Refund(sale.State, "re_1", 10_000, "claim", Later));

        refund.Lines.ShouldContain(JournalLine.Debit(Accounts.PayeeHeld("bob"), 1_000, WorkB));
        PartOf(sale.State, WorkB, "bob").ShouldBe((0L, 0L, 0L, 0L));
    }

    [Fact]
    public void A_repeated_refund_id_changes_nothing()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Refund(sale.State, "re_1", 1_000, "partial", Later));

        SaleDecisions.Refund(sale.State, "re_1", 1_000, "partial", Later).ShouldBeNull();
        // Even when the redelivery would no longer fit.
        SaleDecisions.Refund(sale.State, "re_1", 1_000_000, "partial", Later).ShouldBeNull();
    }

    [Fact]
    public void Refunding_more_than_is_left_is_refused_and_posts_nothing()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Refund(sale.State, "re_1", 9_000, "partial", Later));

        Should.Throw<LedgerException>(() => SaleDecisions.Refund(sale.State, "re_2", 1_001, "too much", Later)).Message.ShouldContain("1000");
        sale.State.Refunds.ShouldBe(["re_1"]);
        SaleDecisions.Refundable(sale.State).ShouldBe(1_000);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_refund_of_nothing_or_less_is_refused(long amount) =>
        Should.Throw<LedgerException>(() => SaleDecisions.Refund(Posted().State, "re_1", amount, "x", Later));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_refund_without_the_provider_id_is_refused(string id) =>
        Should.Throw<LedgerException>(() => SaleDecisions.Refund(Posted().State, id, 1, "x", Later));

    [Fact]
    public void Nothing_can_happen_to_a_sale_that_was_never_posted()
    {
        var none = new SaleLedger();
        Should.Throw<LedgerException>(() => SaleDecisions.Refund(none, "re_1", 1, "x", Later));
        Should.Throw<LedgerException>(() => SaleDecisions.OpenDispute(none, "dp_1", 1, Later));
        Should.Throw<LedgerException>(() => SaleDecisions.Mature(none, Later));
        Should.Throw<LedgerException>(() => SaleDecisions.Hold(none, WorkA, ClaimX, Later));
        Should.Throw<LedgerException>(() => SaleDecisions.ChargeProcessorFee(none, "txn_1", 1, Later));
    }

    [Fact]
    public void A_refund_during_an_open_dispute_is_refused()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));

        Should.Throw<LedgerException>(() => SaleDecisions.Refund(sale.State, "re_1", 100, "x", Later)).Message.ShouldContain("disputed");
        sale.Append(SaleDecisions.CloseDispute(sale.State, "dp_1", won: true, Later));
        sale.Append(SaleDecisions.Refund(sale.State, "re_1", 100, "x", Later));
    }

    // ---- Disputes ----

    [Fact]
    public void An_open_dispute_holds_the_holders_parts_and_moves_the_money_to_disputed_funds()
    {
        var sale = Posted();

        var opened = sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));

        opened.Lines.ShouldContain(JournalLine.Credit(Accounts.PaymentClearing, 1_000));
        opened.Lines.ShouldContain(JournalLine.Debit(Accounts.DisputedFunds, 1_000));
        opened.Lines.ShouldContain(JournalLine.Debit(Accounts.PayeePending("alice"), 400, WorkA));
        opened.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeeHeld("alice"), 400, WorkA));
        opened.Lines.ShouldNotContain(l => l.Account == Accounts.PlatformRevenue);
        opened.Parts.Sum(p => p.AmountMinor).ShouldBe(1_000);
        PartOf(sale.State, WorkA, "alice").ShouldBe((3_600L, 0L, 0L, 400L));
        sale.State.OpenDispute!.Id.ShouldBe("dp_1");
    }

    [Fact]
    public void A_won_dispute_returns_the_parts_where_they_were()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));

        var closed = sale.Append(SaleDecisions.CloseDispute(sale.State, "dp_1", won: true, Later));

        closed.Lines.ShouldContain(JournalLine.Debit(Accounts.PaymentClearing, 1_000));
        closed.Lines.ShouldContain(JournalLine.Credit(Accounts.DisputedFunds, 1_000));
        PartOf(sale.State, WorkA, "alice").ShouldBe((4_000L, 0L, 0L, 0L));
        sale.State.OpenDispute.ShouldBeNull();
        SaleDecisions.Refundable(sale.State).ShouldBe(10_000);
        Books.JournalBalances(sale.Events).ShouldBe(Books.JournalBalances([sale.Events[0]]));
    }

    [Fact]
    public void A_dispute_won_after_maturity_returns_the_parts_to_available()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));
        sale.Append(SaleDecisions.Mature(sale.State, Later));
        PartOf(sale.State, WorkA, "alice").ShouldBe((0L, 3_600L, 0L, 400L));

        var closed = sale.Append(SaleDecisions.CloseDispute(sale.State, "dp_1", won: true, Later));

        closed.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeeAvailable("alice"), 400, WorkA));
        PartOf(sale.State, WorkA, "alice").ShouldBe((0L, 4_000L, 0L, 0L));
    }

    [Fact]
    public void A_dispute_won_on_a_work_under_a_claim_stays_held_for_the_claim()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later));
        sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));
        PartOf(sale.State, WorkB, "bob").ShouldBe((0L, 0L, 900L, 100L));

        sale.Append(SaleDecisions.CloseDispute(sale.State, "dp_1", won: true, Later));

        PartOf(sale.State, WorkB, "bob").ShouldBe((0L, 0L, 1_000L, 0L));
        PartOf(sale.State, WorkA, "alice").ShouldBe((4_000L, 0L, 0L, 0L));
    }

    [Fact]
    public void A_lost_dispute_reverses_the_fee_and_the_held_parts()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));

        var closed = sale.Append(SaleDecisions.CloseDispute(sale.State, "dp_1", won: false, Later));

        closed.Lines.ShouldContain(JournalLine.Credit(Accounts.DisputedFunds, 1_000));
        closed.Lines.ShouldContain(JournalLine.Debit(Accounts.PlatformRevenue, 100, WorkA));
        closed.Lines.ShouldContain(JournalLine.Debit(Accounts.PayeeHeld("alice"), 400, WorkA));
        closed.Lines.ShouldNotContain(l => l.Account == Accounts.PaymentClearing);
        PartOf(sale.State, WorkA, "alice").ShouldBe((3_600L, 0L, 0L, 0L));
        sale.State.Fees[WorkA].ShouldBe(900);
        sale.State.LostToDisputesMinor.ShouldBe(1_000);
        SaleDecisions.Refundable(sale.State).ShouldBe(9_000);
        Balance(sale.Events, Accounts.PaymentClearing).ShouldBe(-9_000);
        Balance(sale.Events, Accounts.DisputedFunds).ShouldBe(0);
    }

    [Fact]
    public void Repeated_dispute_ids_change_nothing()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));
        SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later).ShouldBeNull();
        sale.Append(SaleDecisions.CloseDispute(sale.State, "dp_1", won: false, Later));
        SaleDecisions.CloseDispute(sale.State, "dp_1", won: false, Later).ShouldBeNull();
        SaleDecisions.CloseDispute(sale.State, "dp_1", won: true, Later).ShouldBeNull();
        SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later).ShouldBeNull();
    }

    [Fact]
    public void Dispute_bad_paths_are_refused()
    {
        var sale = Posted();
        Should.Throw<LedgerException>(() => SaleDecisions.CloseDispute(sale.State, "dp_unknown", true, Later));
        Should.Throw<LedgerException>(() => SaleDecisions.OpenDispute(sale.State, "dp_1", 10_001, Later));
        Should.Throw<LedgerException>(() => SaleDecisions.OpenDispute(sale.State, "dp_1", 0, Later));
        Should.Throw<LedgerException>(() => SaleDecisions.OpenDispute(sale.State, " ", 1, Later));
        sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));
        Should.Throw<LedgerException>(() => SaleDecisions.OpenDispute(sale.State, "dp_2", 1_000, Later)).Message.ShouldContain("open dispute");
    }

    // ---- Maturity ----

    [Fact]
    public void Maturity_moves_pending_to_available_once()
    {
        var sale = Posted();

        var matured = sale.Append(SaleDecisions.Mature(sale.State, Later));

        matured.Lines.ShouldContain(JournalLine.Debit(Accounts.PayeePending("alice"), 4_000, WorkA));
        matured.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeeAvailable("alice"), 4_000, WorkA));
        sale.State.Matured.ShouldBeTrue();
        sale.State.Royalties.Values.ShouldAllBe(p => p.Pending == 0 && p.Available > 0);
        SaleDecisions.Mature(sale.State, Later).ShouldBeNull();
    }

    [Fact]
    public void Maturity_of_a_fully_refunded_sale_posts_no_lines_but_marks_it_matured()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Refund(sale.State, "re_1", 10_000, "x", Later));

        var matured = sale.Append(SaleDecisions.Mature(sale.State, Later));

        matured.Lines.ShouldBeEmpty();
        sale.State.Matured.ShouldBeTrue();
        SaleDecisions.Mature(sale.State, Later).ShouldBeNull();
    }

    // ---- Claims ----

    [Fact]
    public void A_hold_moves_the_work_royalties_to_held_and_a_release_brings_them_back()
    {
        var sale = Posted();

        var held = sale.Append(SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later));

        held.Lines.ShouldBe([
            JournalLine.Debit(Accounts.PayeePending("alice"), 1_000, WorkB), JournalLine.Credit(Accounts.PayeeHeld("alice"), 1_000, WorkB),
            JournalLine.Debit(Accounts.PayeePending("bob"), 1_000, WorkB), JournalLine.Credit(Accounts.PayeeHeld("bob"), 1_000, WorkB),
        ], ignoreOrder: true);
        PartOf(sale.State, WorkA, "alice").ShouldBe((4_000L, 0L, 0L, 0L));
        SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later).ShouldBeNull();
        Should.Throw<LedgerException>(() => SaleDecisions.Hold(sale.State, WorkB, ClaimY, Later));
        SaleDecisions.Release(sale.State, WorkB, ClaimY, Later).ShouldBeNull();

        sale.Append(SaleDecisions.Release(sale.State, WorkB, ClaimX, Later));

        PartOf(sale.State, WorkB, "alice").ShouldBe((1_000L, 0L, 0L, 0L));
        sale.State.ClaimHolds.ShouldBeEmpty();
        SaleDecisions.Release(sale.State, WorkB, ClaimX, Later).ShouldBeNull();
    }

    [Fact]
    public void A_release_after_maturity_goes_to_available()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later));
        sale.Append(SaleDecisions.Mature(sale.State, Later));
        PartOf(sale.State, WorkB, "bob").ShouldBe((0L, 0L, 1_000L, 0L));

        sale.Append(SaleDecisions.Release(sale.State, WorkB, ClaimX, Later));

        PartOf(sale.State, WorkB, "bob").ShouldBe((0L, 1_000L, 0L, 0L));
    }

    [Fact]
    public void Holding_a_work_the_sale_does_not_include_is_refused() =>
        Should.Throw<LedgerException>(() => SaleDecisions.Hold(Posted().State, Guid.NewGuid(), ClaimX, Later));

    [Fact]
    public void A_redirect_pays_the_held_royalties_to_the_owner()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later));
        SaleDecisions.Redirect(sale.State, WorkB, ClaimY, "owner", Later).ShouldBeNull();

        var redirected = sale.Append(SaleDecisions.Redirect(sale.State, WorkB, ClaimX, "owner", Later));

        redirected.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeePending("owner"), 2_000, WorkB));
        PartOf(sale.State, WorkB, "owner").ShouldBe((2_000L, 0L, 0L, 0L));
        PartOf(sale.State, WorkB, "bob").ShouldBe((0L, 0L, 0L, 0L));
        sale.State.ClaimHolds.ShouldBeEmpty();
        SaleDecisions.Redirect(sale.State, WorkB, ClaimX, "owner", Later).ShouldBeNull();
        // The owner's part is refundable like any other.
        sale.Append(SaleDecisions.Refund(sale.State, "re_1", 10_000, "x", Later));
        PartOf(sale.State, WorkB, "owner").ShouldBe((0L, 0L, 0L, 0L));
    }

    [Fact]
    public void A_redirect_after_maturity_goes_to_the_owner_available_balance()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Mature(sale.State, Later));
        sale.Append(SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later));

        var redirected = sale.Append(SaleDecisions.Redirect(sale.State, WorkB, ClaimX, "owner", Later));

        redirected.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeeAvailable("owner"), 2_000, WorkB));
        redirected.Lines.ShouldNotContain(l => l.Account == Accounts.PayeePending("owner"));
        PartOf(sale.State, WorkB, "owner").ShouldBe((0L, 2_000L, 0L, 0L));
    }

    [Fact]
    public void A_redirect_to_a_bad_payee_id_is_refused() =>
        Should.Throw<ArgumentException>(() => SaleDecisions.Redirect(Posted(new Dictionary<Guid, WorkRoute> { [WorkB] = new WorkRoute.Held(ClaimX) }).State,
            WorkB, ClaimX, "a:b", Later));

    [Fact]
    public void A_sale_posted_held_can_be_redirected_with_its_claim()
    {
        var sale = Posted(new Dictionary<Guid, WorkRoute> { [WorkB] = new WorkRoute.Held(ClaimX) });

        sale.Append(SaleDecisions.Redirect(sale.State, WorkB, ClaimX, "owner", Later));

        PartOf(sale.State, WorkB, "owner").ShouldBe((2_000L, 0L, 0L, 0L));
    }

    [Fact]
    public void A_dispute_won_after_the_claim_was_upheld_pays_the_owner_not_the_holders()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later));
        sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));
        sale.Append(SaleDecisions.Redirect(sale.State, WorkB, ClaimX, "owner", Later));
        PartOf(sale.State, WorkB, "bob").ShouldBe((0L, 0L, 0L, 100L));

        var won = sale.Append(SaleDecisions.CloseDispute(sale.State, "dp_1", won: true, Later));

        // The claim proved the work was the owner's: the money that comes back from the card network is theirs too.
        won.Lines.ShouldContain(JournalLine.Debit(Accounts.PayeeHeld("bob"), 100, WorkB));
        won.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeePending("owner"), 200, WorkB));
        PartOf(sale.State, WorkB, "bob").ShouldBe((0L, 0L, 0L, 0L));
        PartOf(sale.State, WorkB, "alice").ShouldBe((0L, 0L, 0L, 0L));
        PartOf(sale.State, WorkB, "owner").ShouldBe((2_000L, 0L, 0L, 0L));
        PartOf(sale.State, WorkA, "alice").ShouldBe((4_000L, 0L, 0L, 0L));
    }

    [Fact]
    public void A_dispute_lost_after_the_claim_was_upheld_reverses_the_held_parts()
    {
        var sale = Posted();
        sale.Append(SaleDecisions.Hold(sale.State, WorkB, ClaimX, Later));
        sale.Append(SaleDecisions.OpenDispute(sale.State, "dp_1", 1_000, Later));
        sale.Append(SaleDecisions.Redirect(sale.State, WorkB, ClaimX, "owner", Later));

        sale.Append(SaleDecisions.CloseDispute(sale.State, "dp_1", won: false, Later));

        PartOf(sale.State, WorkB, "bob").ShouldBe((0L, 0L, 0L, 0L));
        PartOf(sale.State, WorkB, "owner").ShouldBe((1_800L, 0L, 0L, 0L));
        SaleDecisions.Refundable(sale.State).ShouldBe(9_000);
    }

    // ---- Processor fees ----

    [Fact]
    public void A_processor_fee_is_an_expense_out_of_clearing_once_per_reference()
    {
        var sale = Posted();

        var fee = sale.Append(SaleDecisions.ChargeProcessorFee(sale.State, "txn_1", 320, Later));

        fee.Lines.ShouldBe([JournalLine.Debit(Accounts.ProcessorFees, 320), JournalLine.Credit(Accounts.PaymentClearing, 320)]);
        SaleDecisions.ChargeProcessorFee(sale.State, "txn_1", 320, Later).ShouldBeNull();
        sale.Append(SaleDecisions.ChargeProcessorFee(sale.State, "txn_2", 5, Later));
        Balance(sale.Events, Accounts.ProcessorFees).ShouldBe(-325);
        // The fee is the platform's cost: no party of the sale pays it.
        SaleDecisions.Refundable(sale.State).ShouldBe(10_000);
        Should.Throw<LedgerException>(() => SaleDecisions.ChargeProcessorFee(sale.State, "txn_3", 0, Later));
    }
}
