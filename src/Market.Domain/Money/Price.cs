using System.Globalization;

namespace Market.Domain.Money;

/// <summary>A list price: positive minor units in a supported currency, below an absurdity ceiling.</summary>
public readonly record struct Price(long Minor, string Currency)
{
    /// <summary>One million major units. A training license priced above that is a typo, not a deal.</summary>
    public const long MaxMajorUnits = 1_000_000;

    public static Price Create(long minor, string currency)
    {
        if (!Currencies.IsSupported(currency))
            throw new DomainException($"Currency '{currency}' is not supported. Choose one of {string.Join(", ", Currencies.Supported)}.");
        if (minor <= 0)
            throw new DomainException("The price must be greater than zero.");
        if (minor > MaxMajorUnits * Currencies.Pow10(Currencies.Exponent(currency)))
            throw new DomainException($"The price must not exceed {MaxMajorUnits:N0} {currency}.");
        return new Price(minor, currency);
    }

    /// <summary>
    /// Parses what a person typed ("49", "49.5", "1,250.00" is refused: no thousands separators) into minor
    /// units by string arithmetic, so no amount ever passes through binary floating point.
    /// </summary>
    public static Price Parse(string? text, string? currency)
    {
        if (!Currencies.IsSupported(currency))
            throw new DomainException($"Currency '{currency}' is not supported. Choose one of {string.Join(", ", Currencies.Supported)}.");
        var exponent = Currencies.Exponent(currency!);
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
            throw new DomainException("Enter a price.");
        if (text.StartsWith('-'))
            throw new DomainException("The price must be greater than zero.");

        var parts = text.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.All(char.IsAsciiDigit)))
            throw new DomainException($"'{text}' is not a price. Write it like 49 or 49.00.");
        var fraction = parts.Length == 2 ? parts[1] : "";
        if (fraction.Length > exponent)
            throw new DomainException(exponent == 0
                ? $"{currency} has no minor unit; enter a whole amount."
                : $"{currency} has {exponent} decimal places at most.");
        // More than 13 integer digits cannot be a price below the ceiling, and would overflow the parse below.
        if (parts[0].TrimStart('0').Length > 13)
            throw new DomainException($"The price must not exceed {MaxMajorUnits:N0} {currency}.");

        var major = long.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture);
        var minorPart = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(exponent, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        return Create(major * Currencies.Pow10(exponent) + minorPart, currency!);
    }

    public override string ToString() => Currencies.Format(Minor, Currency);
}
