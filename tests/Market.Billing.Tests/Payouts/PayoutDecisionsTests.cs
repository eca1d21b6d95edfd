using Market.Billing.Ledger;
using Market.Billing.Payments;
using Market.Billing.Payouts;
using Market.Billing.Sales;
using Shouldly;
using Xunit;

namespace Market.Billing.Tests.Payouts;

public sealed class PayoutDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PayoutDestination Test = new(PaymentProviders.Test, "test_acct_1");

    private static PayoutBatch Prepared(params (string Payee, long Amount)[] items)
    {
        var prepared = PayoutDecisions.Prepare(Guid.NewGuid(), "EUR", "alice", 1000,
            items.Select(i => new PayoutCandidate(i.Payee, i.Amount, Test, true)).ToList(), Now);
        return PayoutBatch.From([prepared.Event]);
    }

    private static Dictionary<string, long> Available(params (string Payee, long Amount)[] items) => items.ToDictionary(i => i.Payee, i => i.Amount);

    [Fact]
    public void Preparing_takes_payees_at_or_over_the_threshold_with_an_account_and_tax_info_and_says_why_the_others_are_skipped()
    {
        var result = PayoutDecisions.Prepare(Guid.NewGuid(), "EUR", "alice", 1000,
        [
            new("ok", 1000, Test, true),
            new("small", 999, Test, true),
            new("no-account", 5000, null, true),
            new("no-tax", 5000, Test, false),
            new("nothing", 0, Test, true),
        ], Now);

        result.Event.Items.Select(i => (i.PayeeId, i.AmountMinor)).ShouldBe([("ok", 1000L)]);
        result.Skipped.ToDictionary(s => s.PayeeId, s => s.Reason).ShouldBe(new Dictionary<string, string>
        {
            ["small"] = "Available balance is below the payout threshold.",
            ["no-account"] = "No connected payout account.",
            ["no-tax"] = "No certified tax information on file.",
        }, ignoreOrder: true);
    }

    [Fact]
    public void Preparing_with_nobody_to_pay_is_refused() =>
        Should.Throw<LedgerException>(() => PayoutDecisions.Prepare(Guid.NewGuid(), "EUR", "alice", 1000, [new("small", 10, Test, true)], Now));

    [Fact]
    public void The_preparer_cannot_approve_their_own_batch()
    {
        var batch = Prepared(("p1", 2000));
        Should.Throw<LedgerException>(() => PayoutDecisions.Approve(batch, "alice", Available(("p1", 2000)), Now))
            .Message.ShouldContain("another finance user");
    }

    [Fact]
    public void Approval_moves_each_amount_from_available_to_in_transit_in_one_balanced_entry()
    {
        var batch = Prepared(("p1", 2000), ("p2", 3000));
        var approved = PayoutDecisions.Approve(batch, "bob", Available(("p1", 2000), ("p2", 3500)), Now);

        Journal.IsBalanced(approved.Lines).ShouldBeTrue();
        approved.Lines.ShouldContain(JournalLine.Debit(Accounts.PayeeAvailable("p1"), 2000));
        approved.Lines.ShouldContain(JournalLine.Debit(Accounts.PayeeAvailable("p2"), 3000));
        approved.Lines.ShouldContain(JournalLine.Credit(Accounts.PayoutsInTransit, 5000));
    }

    [Fact]
    public void An_amount_over_the_payees_available_balance_now_refuses_the_whole_approval()
    {
        var batch = Prepared(("p1", 2000), ("p2", 3000));
        Should.Throw<LedgerException>(() => PayoutDecisions.Approve(batch, "bob", Available(("p1", 2000), ("p2", 2999)), Now))
            .Message.ShouldContain("p2");
        Should.Throw<LedgerException>(() => PayoutDecisions.Approve(batch, "bob", Available(("p1", 2000)), Now));
    }

    [Fact]
    public void An_approved_or_cancelled_batch_cannot_be_approved_or_cancelled_again()
    {
        var batch = Prepared(("p1", 2000));
        var approved = PayoutDecisions.Approve(batch, "bob", Available(("p1", 2000)), Now);
        batch.Fold(approved);
        Should.Throw<LedgerException>(() => PayoutDecisions.Approve(batch, "carol", Available(("p1", 2000)), Now));
        Should.Throw<LedgerException>(() => PayoutDecisions.Cancel(batch, "carol", null, Now));

        var other = Prepared(("p1", 2000));
        other.Fold(PayoutDecisions.Cancel(other, "alice", "typo", Now));
        other.Status.ShouldBe(PayoutBatchStatus.Cancelled);
        Should.Throw<LedgerException>(() => PayoutDecisions.Approve(other, "bob", Available(("p1", 2000)), Now));
        PayoutDecisions.Outstanding(other).ShouldBeEmpty();
    }

    [Fact]
    public void Results_are_recorded_once_and_a_repeat_appends_nothing()
    {
        var batch = Prepared(("p1", 2000), ("p2", 3000));
        batch.Fold(PayoutDecisions.Approve(batch, "bob", Available(("p1", 2000), ("p2", 3000)), Now));
        PayoutDecisions.Outstanding(batch).Count.ShouldBe(2);

        var paid = PayoutDecisions.Settle(batch, "p1", TransferResult.Paid("tr_1"), Now).ShouldBeOfType<PayoutTransferPaid>();
        paid.Lines.ShouldBe([JournalLine.Debit(Accounts.PayoutsInTransit, 2000), JournalLine.Credit(Accounts.PaymentClearing, 2000)]);
        batch.Fold(paid);
        PayoutDecisions.Settle(batch, "p1", TransferResult.Paid("tr_1"), Now).ShouldBeNull();
        PayoutDecisions.Settle(batch, "p1", TransferResult.Failed("late"), Now).ShouldBeNull();

        var failed = PayoutDecisions.Settle(batch, "p2", TransferResult.Failed("account closed"), Now).ShouldBeOfType<PayoutTransferFailed>();
        failed.Lines.ShouldBe([JournalLine.Debit(Accounts.PayoutsInTransit, 3000), JournalLine.Credit(Accounts.PayeeAvailable("p2"), 3000)]);
        batch.Fold(failed);

        batch.Status.ShouldBe(PayoutBatchStatus.Completed);
        PayoutDecisions.Outstanding(batch).ShouldBeEmpty();
        (batch.PaidMinor, batch.FailedMinor).ShouldBe((2000L, 3000L));
    }

    [Fact]
    public void A_result_before_approval_or_for_a_stranger_is_refused()
    {
        var batch = Prepared(("p1", 2000));
        Should.Throw<LedgerException>(() => PayoutDecisions.Settle(batch, "p1", TransferResult.Paid("tr"), Now));
        batch.Fold(PayoutDecisions.Approve(batch, "bob", Available(("p1", 2000)), Now));
        Should.Throw<LedgerException>(() => PayoutDecisions.Settle(batch, "stranger", TransferResult.Paid("tr"), Now));
    }

    [Fact]
    public void The_idempotency_key_is_fixed_by_batch_and_payee()
    {
        var id = Guid.NewGuid();
        PayoutDecisions.IdempotencyKey(id, "p1").ShouldBe($"payout-{id:N}-p1");
        PayoutDecisions.TransferGroup(id).ShouldBe($"payout-{id:N}");
    }

    [Theory]
    [InlineData("", "US", "123456789", TaxForm.W9, true)]
    [InlineData("Ann", "USA", "123456789", TaxForm.W9, true)]
    [InlineData("Ann", "US", "12", TaxForm.W9, true)]
    [InlineData("Ann", "DE", "DE123456789", TaxForm.W9, true)]
    [InlineData("Ann", "US", "123456789", TaxForm.W9, false)]
    public void Tax_information_that_is_incomplete_or_uncertified_is_refused(string name, string country, string taxId, TaxForm form, bool certified) =>
        Should.Throw<LedgerException>(() => TaxProfile.Certify("p1", name, country, taxId, form, certified, Now));

    [Fact]
    public void Only_the_last_four_characters_of_the_tax_id_are_kept()
    {
        var profile = TaxProfile.Certify("p1", " Ann Example ", "us", "123-45-6789", TaxForm.W9, true, Now);
        profile.TaxIdLast4.ShouldBe("6789");
        (profile.LegalName, profile.Country, profile.CertifiedAt).ShouldBe(("Ann Example", "US", Now));
    }
}
