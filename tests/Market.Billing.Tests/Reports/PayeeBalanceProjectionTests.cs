using Market.Billing.Ledger;
using Market.Billing.Reports;

namespace Market.Billing.Tests.Reports;

public sealed class PayeeBalanceProjectionTests
{
    private static readonly DateTimeOffset First = new(2024, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private static RoyaltyAccrued Royalty(long amount, DateTimeOffset at, string payee = "alice", string currency = "EUR") =>
        new(Guid.NewGuid(), Guid.NewGuid(), payee, currency, amount, 5_000,
            [JournalLine.Debit(Accounts.SaleAllocation, amount), JournalLine.Credit(Accounts.PayeePending(payee), amount)], at);

    [Fact]
    public void A_balance_is_kept_per_payee_and_currency()
    {
        PayeeBalance.KeyFor("alice", "EUR").ShouldBe("alice/EUR");
        PayeeBalance.KeyFor("alice", "USD").ShouldNotBe(PayeeBalance.KeyFor("alice", "EUR"));
    }

    [Fact]
    public void The_first_royalty_opens_the_balance()
    {
        var balance = PayeeBalanceProjection.Create(Royalty(1_307, First));

        balance.ShouldBe(new PayeeBalance("alice/EUR", "alice", "EUR", 1_307, 1, First));
    }

    [Fact]
    public void Later_royalties_add_up_and_move_the_last_accrual_to_the_events_time()
    {
        var later = First.AddDays(3);

        var balance = PayeeBalanceProjection.Apply(Royalty(500, later), PayeeBalanceProjection.Create(Royalty(1_307, First)));

        balance.ShouldBe(new PayeeBalance("alice/EUR", "alice", "EUR", 1_807, 2, later));
    }
}
