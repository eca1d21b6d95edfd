using Market.Domain.Money;

namespace Market.Domain.Tests.Money;

public class PriceTests
{
    [Theory]
    [InlineData("49", "EUR", 4900)]
    [InlineData("49.5", "EUR", 4950)]
    [InlineData("49.50", "EUR", 4950)]
    [InlineData("49.05", "EUR", 4905)]
    [InlineData("0.01", "EUR", 1)]
    [InlineData("  12.30 ", "USD", 1230)]
    [InlineData("1000000", "GBP", 100_000_000)]
    [InlineData("1000000.00", "CHF", 100_000_000)]
    [InlineData("007", "EUR", 700)]
    [InlineData("4900", "JPY", 4900)]
    [InlineData("1", "JPY", 1)]
    [InlineData("1000000", "JPY", 1_000_000)]
    public void A_well_written_amount_parses_to_exact_minor_units(string text, string currency, long expectedMinor) =>
        Price.Parse(text, currency).ShouldBe(new Price(expectedMinor, currency));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_price_is_refused(string? text) =>
        Refusal(text, "EUR").ShouldBe("Enter a price.");

    [Theory]
    [InlineData("-5")]
    [InlineData("-0.01")]
    [InlineData("0")]
    [InlineData("0.00")]
    [InlineData("000")]
    public void A_price_that_is_not_above_zero_is_refused(string text) =>
        Refusal(text, "EUR").ShouldBe("The price must be greater than zero.");

    [Fact]
    public void A_zero_yen_price_is_refused() =>
        Refusal("0", "JPY").ShouldBe("The price must be greater than zero.");

    [Theory]
    [InlineData("abc")]
    [InlineData("49 EUR")]
    [InlineData("€49")]
    [InlineData("1,250.00")]
    [InlineData("49,50")]
    [InlineData("1.2.3")]
    [InlineData(".5")]
    [InlineData("+5")]
    [InlineData("1e3")]
    [InlineData("٤٩")] // Arabic-Indic digits: char.IsDigit says yes, the parser must still say no.
    public void Text_that_is_not_a_plain_decimal_amount_is_refused(string text) =>
        Refusal(text, "EUR").ShouldBe($"'{text}' is not a price. Write it like 49 or 49.00.");

    [Fact]
    public void A_price_with_three_decimals_is_refused() =>
        Refusal("49.999", "EUR").ShouldBe("EUR has 2 decimal places at most.");

    [Theory]
    [InlineData("49.5")]
    [InlineData("49.0")]
    public void A_yen_price_with_a_fraction_is_refused(string text) =>
        Refusal(text, "JPY").ShouldBe("JPY has no minor unit; enter a whole amount.");

    [Theory]
    [InlineData("1000000.01", "EUR")]
    [InlineData("1000001", "USD")]
    [InlineData("1000001", "JPY")]
    [InlineData("9999999999999", "EUR")] // 13 digits: still parsed, refused by the ceiling.
    public void An_absurd_price_is_refused(string text, string currency) =>
        Refusal(text, currency).ShouldBe($"The price must not exceed 1,000,000 {currency}.");

    [Theory]
    [InlineData("123456789012345678901234567890")]
    [InlineData("99999999999999999999.99")]
    [InlineData("10000000000000")]
    public void A_huge_number_is_refused_without_overflowing(string text) =>
        Refusal(text, "EUR").ShouldBe("The price must not exceed 1,000,000 EUR.");

    [Fact]
    public void Leading_zeros_do_not_count_towards_the_size_of_a_price() =>
        Price.Parse("000000000000000000000000000049.50", "EUR").Minor.ShouldBe(4950);

    [Theory]
    [InlineData("XYZ")]
    [InlineData("eur")]
    [InlineData("")]
    public void An_unsupported_currency_is_refused(string currency) =>
        Refusal("49", currency).ShouldBe($"Currency '{currency}' is not supported. Choose one of {string.Join(", ", Currencies.Supported)}.");

    [Fact]
    public void A_missing_currency_is_refused()
    {
        var message = Refusal("49", null);

        message.ShouldStartWith("Currency '' is not supported.");
        message.ShouldContain("EUR");
    }

    [Fact]
    public void Create_refuses_what_Parse_refuses_when_given_minor_units_directly()
    {
        Should.Throw<DomainException>(() => Price.Create(0, "EUR")).Message.ShouldBe("The price must be greater than zero.");
        Should.Throw<DomainException>(() => Price.Create(-1, "EUR")).Message.ShouldBe("The price must be greater than zero.");
        Should.Throw<DomainException>(() => Price.Create(100_000_001, "EUR")).Message.ShouldBe("The price must not exceed 1,000,000 EUR.");
        Should.Throw<DomainException>(() => Price.Create(1_000_001, "JPY")).Message.ShouldBe("The price must not exceed 1,000,000 JPY.");
        Should.Throw<DomainException>(() => Price.Create(100, "XYZ")).Message.ShouldStartWith("Currency 'XYZ' is not supported.");
    }

    [Fact]
    public void The_ceiling_itself_is_a_valid_price()
    {
        Price.Create(100_000_000, "EUR").Minor.ShouldBe(100_000_000);
        Price.Create(1_000_000, "JPY").Minor.ShouldBe(1_000_000);
    }

    [Fact]
    public void A_price_prints_in_major_units_with_its_currency() =>
        Price.Parse("49.5", "EUR").ToString().ShouldBe("49.50 EUR");

    private static string Refusal(string? text, string? currency) =>
        Should.Throw<DomainException>(() => Price.Parse(text, currency)).Message;
}
