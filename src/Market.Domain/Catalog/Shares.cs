namespace Market.Domain.Catalog;

/// <summary>Royalty splits are basis points of the holders' part of a sale; together they are exactly one whole.</summary>
public static class Shares
{
    public const int Whole = 10_000;

    public static string Percent(int basisPoints) => (basisPoints / 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
