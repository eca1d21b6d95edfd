using Market.Billing.Reconciliation;

namespace Market.Billing.Tests.Payments;

public sealed class ReconciliationTests
{
    private static int Exponent(string code) => code switch { "EUR" or "USD" => 2, "JPY" => 0, _ => throw new ArgumentException("unsupported") };
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("49.00", 2, 4_900)]
    [InlineData("-12.5", 2, -1_250)]
    [InlineData("1,234.56", 2, 123_456)]
    [InlineData("300", 0, 300)]
    [InlineData("0.07", 2, 7)]
    public void Amounts_convert_to_minor_units_by_the_currency_exponent(string text, int exponent, long minor) =>
        StripeBalanceCsv.ToMinor(text, exponent).ShouldBe(minor);

    [Theory]
    [InlineData("1.005", 2)]
    [InlineData("1.5", 0)]
    [InlineData("", 2)]
    [InlineData("12a", 2)]
    [InlineData("1.2.3", 2)]
    public void Bad_amounts_are_refused(string text, int exponent) =>
        Should.Throw<ReconciliationException>(() => StripeBalanceCsv.ToMinor(text, exponent));

    [Fact]
    public void The_export_is_read_by_column_name_with_quoted_fields()
    {
        var csv = "\uFEFFDescription,Created (UTC),id,Type,Source,Amount,Fee,Net,Currency,Payment Intent\r\n"
                + "\"Order \"\"A\"\", with comma\",2026-03-01 12:00:00,txn_1,Charge,ch_1,49.00,1.72,47.28,eur,pi_1\r\n"
                + "\"multi\nline\",2026-03-02 08:30:00,txn_2,refund,re_1,-10.00,0.00,-10.00,EUR,\r\n";

        var rows = StripeBalanceCsv.Read(new StringReader(csv), Exponent);

        rows.ShouldBe([
            new BalanceTransaction("txn_1", "charge", "ch_1", "pi_1", 4_900, 172, 4_728, "EUR", At),
            new BalanceTransaction("txn_2", "refund", "re_1", null, -1_000, 0, -1_000, "EUR", new DateTimeOffset(2026, 3, 2, 8, 30, 0, TimeSpan.Zero)),
        ]);
    }

    [Fact]
    public void A_missing_column_or_an_unknown_currency_is_refused_with_where()
    {
        Should.Throw<ReconciliationException>(() => StripeBalanceCsv.Read(new StringReader("id,Type,Source,Amount,Fee,Net,Currency\n"), Exponent))
            .Message.ShouldContain("Created (UTC)");
        Should.Throw<ReconciliationException>(() => StripeBalanceCsv.Read(new StringReader(
                "id,Type,Source,Amount,Fee,Net,Currency,Created (UTC)\ntxn,charge,ch,1.00,0,1.00,gbp,2026-03-01 00:00:00\n"), Exponent))
            .Message.ShouldStartWith("Line 2");
    }

    private static BalanceTransaction Charge(string id, string reference, long amount, long fee) => new(id, "charge", "ch_" + id, reference, amount, fee, amount - fee, "EUR", At);

    [Fact]
    public void Matching_reports_each_kind_of_difference_and_nothing_else()
    {
        var sale = Guid.NewGuid();
        var other = Guid.NewGuid();
        var ledger = new LedgerFacts(
            [new LedgerSale(sale, "pi_1", "EUR", 4_900, At), new LedgerSale(other, "pi_2", "EUR", 1_000, At), new LedgerSale(Guid.NewGuid(), "pi_old", "EUR", 1, At.AddYears(-1))],
            [new LedgerMovement("re_1", sale, "EUR", 1_000, At), new LedgerMovement("re_gone", sale, "EUR", 5, At)],
            [new LedgerMovement("tr_1", null, "EUR", 3_000, At)],
            [new LedgerMovement("txn_1", sale, "EUR", 172, At)]);
        var provider = new List<BalanceTransaction>
        {
            Charge("txn_1", "pi_1", 4_900, 172),                         // matches, fee posted
            Charge("txn_2", "pi_2", 1_200, 50),                          // gross differs, fee missing
            Charge("txn_3", "pi_stranger", 700, 0),                      // not ours
            new("txn_4", "refund", "re_1", null, -1_000, 0, -1_000, "EUR", At),
            new("txn_5", "transfer", "tr_1", null, -2_999, 0, -2_999, "EUR", At),
            new("txn_6", "payout", "po_1", null, -100, 0, -100, "EUR", At),
        };

        var result = Reconciler.Reconcile(provider, ledger, At.AddDays(-1), At.AddDays(1));

        result.Differences.Select(d => (d.Kind, d.Reference)).ShouldBe([
            (DifferenceKind.AmountMismatch, "pi_2"),
            (DifferenceKind.FeeNotInLedger, "txn_2"),
            (DifferenceKind.AtProviderNotInLedger, "pi_stranger"),
            (DifferenceKind.AmountMismatch, "tr_1"),
            (DifferenceKind.InLedgerNotAtProvider, "re_gone"),
        ], ignoreOrder: true);
        result.MissingFees.ShouldBe([new MissingFee(other, "txn_2", "EUR", 50)]);
        result.Matched.ShouldBe(3); // charge, its fee, the refund
        result.Ignored.ShouldBe(1);
    }
}
