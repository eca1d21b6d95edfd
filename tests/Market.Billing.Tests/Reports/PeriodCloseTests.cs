using Market.Billing.Periods;
using Market.Billing.Reports;
using Market.Billing.Sales;

namespace Market.Billing.Tests.Reports;

public sealed class PeriodCloseTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FirstPosting = new(2026, 2, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<ClosingBalance> Balanced =
        [new("assets:payment-clearing", "EUR", 4900, 0), new("revenue:platform-fees", "EUR", 0, 980), new("liabilities:payees:u1:pending", "EUR", 0, 3920)];

    private static PeriodClosed Closed(string period) => new(period, "fin", Balanced, Now);

    [Fact]
    public void The_first_close_is_the_month_of_the_first_posting()
    {
        PeriodDecisions.NextToClose([], FirstPosting, Now).ShouldBe(StatementPeriod.Month(2026, 2));
        var e = PeriodDecisions.Close([], "2026-02", FirstPosting, "fin-1", Balanced, Now);
        e.Period.ShouldBe("2026-02");
        e.ClosedBy.ShouldBe("fin-1");
        e.ClosedAt.ShouldBe(Now);
        e.TrialBalance.ShouldBe(Balanced);
    }

    [Fact]
    public void Months_close_in_order_and_the_next_is_the_one_after_the_last_closed()
    {
        PeriodDecisions.NextToClose([Closed("2026-02")], FirstPosting, Now).ShouldBe(StatementPeriod.Month(2026, 3));
        Should.Throw<LedgerException>(() => PeriodDecisions.Close([Closed("2026-02")], "2026-04", FirstPosting, "fin", Balanced, Now))
            .Message.ShouldContain("close 2026-03 first");
        PeriodDecisions.Close([Closed("2026-02")], "2026-03", FirstPosting, "fin", Balanced, Now).Period.ShouldBe("2026-03");
    }

    [Fact]
    public void Closing_a_month_twice_is_refused()
    {
        Should.Throw<LedgerException>(() => PeriodDecisions.Close([Closed("2026-02")], "2026-02", FirstPosting, "fin", Balanced, Now))
            .Message.ShouldBe("2026-02 is already closed.");
    }

    [Fact]
    public void A_month_that_has_not_ended_cannot_be_closed()
    {
        Should.Throw<LedgerException>(() => PeriodDecisions.Close([Closed("2026-02"), Closed("2026-03"), Closed("2026-04")], "2026-05", FirstPosting, "fin", Balanced, Now))
            .Message.ShouldContain("has not ended");
        PeriodDecisions.NextToClose([Closed("2026-02"), Closed("2026-03"), Closed("2026-04")], FirstPosting, Now).ShouldBeNull();
        // The first instant of June ends May.
        PeriodDecisions.Close([Closed("2026-04")], "2026-05", FirstPosting, "fin", Balanced, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)).Period.ShouldBe("2026-05");
    }

    [Fact]
    public void A_month_before_the_first_posting_or_before_the_last_close_is_refused()
    {
        Should.Throw<LedgerException>(() => PeriodDecisions.Close([], "2026-01", FirstPosting, "fin", Balanced, Now)).Message.ShouldContain("Nothing was posted before 2026-02");
        Should.Throw<LedgerException>(() => PeriodDecisions.Close([Closed("2026-02"), Closed("2026-03")], "2026-01", FirstPosting, "fin", Balanced, Now))
            .Message.ShouldContain("closed months stay closed");
    }

    [Theory]
    [InlineData("2026-Q1")]
    [InlineData("2026")]
    [InlineData("2026-13")]
    [InlineData("march")]
    [InlineData("")]
    public void Only_a_month_can_be_closed(string period)
    {
        Should.Throw<LedgerException>(() => PeriodDecisions.Close([], period, FirstPosting, "fin", Balanced, Now)).Message.ShouldContain("is not a month");
    }

    [Fact]
    public void A_trial_balance_that_does_not_balance_is_not_frozen_into_a_close()
    {
        IReadOnlyList<ClosingBalance> broken = [.. Balanced, new("assets:payment-clearing", "USD", 100, 0)];
        Should.Throw<LedgerException>(() => PeriodDecisions.Close([], "2026-02", FirstPosting, "fin", broken, Now)).Message.ShouldContain("in USD does not balance");
    }

    [Fact]
    public void With_nothing_posted_last_month_is_next()
    {
        PeriodDecisions.NextToClose([], null, Now).ShouldBe(StatementPeriod.Month(2026, 4));
        PeriodDecisions.Close([], "2026-04", null, "fin", [], Now).Period.ShouldBe("2026-04");
    }

    [Fact]
    public void The_guard_refuses_postings_up_to_the_end_of_the_last_closed_month_and_allows_the_open_period()
    {
        PeriodClosed[] closed = [Closed("2026-02"), Closed("2026-03")];
        Should.Throw<LedgerException>(() => PeriodGuard.EnsureOpen(closed, new DateTimeOffset(2026, 3, 31, 23, 59, 59, TimeSpan.Zero))).Message.ShouldContain("2026-03 is closed");
        Should.Throw<LedgerException>(() => PeriodGuard.EnsureOpen(closed, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)));
        Should.Throw<LedgerException>(() => PeriodGuard.EnsureOpen(closed, new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero)), "before the first close is closed too");
        // UTC months: 1 April 01:00 in +02:00 is still 31 March UTC.
        Should.Throw<LedgerException>(() => PeriodGuard.EnsureOpen(closed, new DateTimeOffset(2026, 4, 1, 1, 0, 0, TimeSpan.FromHours(2))));
        PeriodGuard.EnsureOpen(closed, new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        PeriodGuard.EnsureOpen([], new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }
}

public sealed class StatementPeriodTests
{
    [Theory]
    [InlineData("2026-03", PeriodLength.Month, "2026-03-01", "2026-04-01")]
    [InlineData("2026-12", PeriodLength.Month, "2026-12-01", "2027-01-01")]
    [InlineData("2026-Q1", PeriodLength.Quarter, "2026-01-01", "2026-04-01")]
    [InlineData("2026-Q4", PeriodLength.Quarter, "2026-10-01", "2027-01-01")]
    [InlineData("2026", PeriodLength.Year, "2026-01-01", "2027-01-01")]
    public void Periods_parse_and_print_back(string text, PeriodLength length, string start, string end)
    {
        StatementPeriod.TryParse(text, out var p).ShouldBeTrue();
        p.Length.ShouldBe(length);
        p.Start.ShouldBe(DateOnly.Parse(start));
        p.End.ShouldBe(DateOnly.Parse(end));
        p.ToString().ShouldBe(text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-00")]
    [InlineData("2026-13")]
    [InlineData("2026-Q0")]
    [InlineData("2026-Q5")]
    [InlineData("1999")]
    [InlineData("2026-3")]
    [InlineData("2026-03; drop table x")]
    public void Anything_else_is_not_a_period(string? text) => StatementPeriod.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void Cursors_round_trip_and_junk_is_refused()
    {
        var c = new StatementCursor(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(120), 42, 3);
        StatementCursor.TryParse(c.ToString(), out var back).ShouldBeTrue();
        back.ShouldBe(c);
        StatementCursor.TryParse("x.1.2", out _).ShouldBeFalse();
        StatementCursor.TryParse("-5.1.2", out _).ShouldBeFalse();
        StatementCursor.TryParse(null, out _).ShouldBeFalse();
    }
}
