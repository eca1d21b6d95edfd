using Market.Domain.Money;

namespace Market.Domain.Tests.Money;

public class CurrenciesTests
{
    [Theory]
    [InlineData(4900, "EUR", "49.00 EUR")]
    [InlineData(4950, "USD", "49.50 USD")]
    [InlineData(1, "GBP", "0.01 GBP")]
    [InlineData(0, "EUR", "0.00 EUR")]
    [InlineData(123_456_789, "CHF", "1234567.89 CHF")]
    public void Minor_units_format_with_the_currency_s_decimal_places(long minor, string currency, string expected) =>
        Currencies.Format(minor, currency).ShouldBe(expected);

    [Theory]
    [InlineData(-1, "EUR", "-0.01 EUR")]
    [InlineData(-5, "EUR", "-0.05 EUR")]
    [InlineData(-4950, "EUR", "-49.50 EUR")]
    [InlineData(-100, "USD", "-1.00 USD")]
    public void A_negative_amount_keeps_its_sign_even_below_one_major_unit(long minor, string currency, string expected) =>
        Currencies.Format(minor, currency).ShouldBe(expected);

    [Theory]
    [InlineData(4900, "4900 JPY")]
    [InlineData(0, "0 JPY")]
    [InlineData(-5, "-5 JPY")]
    public void A_zero_exponent_currency_formats_whole_units(long minor, string expected) =>
        Currencies.Format(minor, "JPY").ShouldBe(expected);

    [Fact]
    public void Large_amounts_format_exactly_without_floating_point() =>
        Currencies.Format(long.MaxValue, "EUR").ShouldBe("92233720368547758.07 EUR");

    [Theory]
    [InlineData(4900, "EUR", "49.00")]
    [InlineData(-5, "EUR", "-0.05")]
    [InlineData(4900, "JPY", "4900")]
    public void Plain_format_drops_the_currency_code(long minor, string currency, string expected) =>
        Currencies.FormatPlain(minor, currency).ShouldBe(expected);

    [Fact]
    public void Formatting_in_an_unsupported_currency_is_refused() =>
        Should.Throw<DomainException>(() => Currencies.Format(100, "XYZ")).Message.ShouldBe("Currency 'XYZ' is not supported.");

    [Fact]
    public void Exponents_match_ISO_4217()
    {
        Currencies.Exponent("EUR").ShouldBe(2);
        Currencies.Exponent("JPY").ShouldBe(0);
    }

    [Theory]
    [InlineData("EUR", true)]
    [InlineData("JPY", true)]
    [InlineData("eur", false)]
    [InlineData("XYZ", false)]
    [InlineData(null, false)]
    public void Only_the_listed_codes_are_supported_and_case_matters(string? code, bool supported) =>
        Currencies.IsSupported(code).ShouldBe(supported);
}
