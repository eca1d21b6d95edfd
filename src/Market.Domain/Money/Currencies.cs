using System.Collections.Frozen;

namespace Market.Domain.Money;

/// <summary>
/// The ISO 4217 currencies the marketplace trades in, with their minor-unit exponent. Amounts are always
/// <c>long</c> minor units plus one of these codes; nothing converts between them implicitly.
/// </summary>
public static class Currencies
{
    private static readonly FrozenDictionary<string, int> Exponents = new Dictionary<string, int>
    {
        ["EUR"] = 2,
        ["USD"] = 2,
        ["GBP"] = 2,
        ["CHF"] = 2,
        ["JPY"] = 0,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Supported => Exponents.Keys;

    public static bool IsSupported(string? code) => code is not null && Exponents.ContainsKey(code);

    public static int Exponent(string code) =>
        Exponents.TryGetValue(code, out var e) ? e : throw new DomainException($"Currency '{code}' is not supported.");

    /// <summary>Formats minor units for people, e.g. 4900 EUR → "49.00 EUR", without going through floating point.</summary>
    public static string Format(long minor, string currency)
    {
        var exponent = Exponent(currency);
        if (exponent == 0) return $"{minor} {currency}";
        var factor = Pow10(exponent);
        var sign = minor < 0 ? "-" : "";
        // Unsigned, because Math.Abs(long.MinValue) overflows.
        var abs = minor < 0 ? (ulong)(-(minor + 1)) + 1 : (ulong)minor;
        var unit = (ulong)factor;
        return $"{sign}{abs / unit}.{(abs % unit).ToString().PadLeft(exponent, '0')} {currency}";
    }

    /// <summary>Major-unit text without the code, as an HTML form field would hold it ("49.00").</summary>
    public static string FormatPlain(long minor, string currency)
    {
        var text = Format(minor, currency);
        return text[..text.LastIndexOf(' ')];
    }

    internal static long Pow10(int exponent)
    {
        long f = 1;
        for (var i = 0; i < exponent; i++) f *= 10;
        return f;
    }
}
