using System.Globalization;
using System.Text.RegularExpressions;

namespace Market.Billing.Reports;

public enum PeriodLength { Month, Quarter, Year }

/// <summary>
/// A calendar month, quarter or year, in UTC (the ledger's months are UTC months). Written "2026-03",
/// "2026-Q1" or "2026"; <see cref="End"/> is exclusive, so a statement is <c>Start &lt;= at &lt; End</c>.
/// </summary>
public sealed partial record StatementPeriod(PeriodLength Length, DateOnly Start)
{
    public DateOnly End => Length switch
    {
        PeriodLength.Month => Start.AddMonths(1),
        PeriodLength.Quarter => Start.AddMonths(3),
        _ => Start.AddYears(1),
    };

    public DateTimeOffset StartAt => new(Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    public DateTimeOffset EndAt => new(End.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public override string ToString() => Length switch
    {
        PeriodLength.Month => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        PeriodLength.Quarter => $"{Start.Year}-Q{(Start.Month - 1) / 3 + 1}",
        _ => Start.Year.ToString(CultureInfo.InvariantCulture),
    };

    public static StatementPeriod Month(int year, int month) => new(PeriodLength.Month, new DateOnly(year, month, 1));

    /// <summary>The calendar month that contains <paramref name="at"/> (UTC).</summary>
    public static StatementPeriod MonthOf(DateTimeOffset at) => Month(at.UtcDateTime.Year, at.UtcDateTime.Month);

    public StatementPeriod Previous() => Length switch
    {
        PeriodLength.Month => new(Length, Start.AddMonths(-1)),
        PeriodLength.Quarter => new(Length, Start.AddMonths(-3)),
        _ => new(Length, Start.AddYears(-1)),
    };

    public StatementPeriod Next() => new(Length, End);

    /// <summary>Reads "2026-03", "2026-Q1" or "2026"; false for anything else, years 2000 to 2999 only.</summary>
    public static bool TryParse(string? text, out StatementPeriod period)
    {
        period = null!;
        var m = Pattern().Match(text?.Trim() ?? "");
        if (!m.Success) return false;
        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["m"].Success)
        {
            var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12) return false;
            period = Month(year, month);
        }
        else if (m.Groups["q"].Success)
        {
            var q = m.Groups["q"].Value[0] - '0';
            if (q is < 1 or > 4) return false;
            period = new(PeriodLength.Quarter, new DateOnly(year, (q - 1) * 3 + 1, 1));
        }
        else period = new(PeriodLength.Year, new DateOnly(year, 1, 1));
        return true;
    }

    [GeneratedRegex(@"^(?<y>2\d{3})(?:-(?<m>\d{2})|-Q(?<q>\d))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
