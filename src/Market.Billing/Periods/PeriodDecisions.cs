using Market.Billing.Reports;
using Market.Billing.Sales;

namespace Market.Billing.Periods;

/// <summary>
/// Closing the books month by month. Pure: the caller loads the closes so far (the period stream), the month
/// of the first posting and the trial balance, and appends what this returns.
/// </summary>
public static class PeriodDecisions
{
    /// <summary>
    /// The month finance may close next: the one after the last closed month; before any close, the month of
    /// the ledger's first posting (or, with nothing posted, last month). Null when that month has not ended.
    /// </summary>
    public static StatementPeriod? NextToClose(IReadOnlyList<PeriodClosed> closed, DateTimeOffset? firstPostingAt, DateTimeOffset now)
    {
        var next = LastClosed(closed)?.Next()
                   ?? (firstPostingAt is { } first ? StatementPeriod.MonthOf(first) : StatementPeriod.MonthOf(now).Previous());
        return next.EndAt <= now ? next : null;
    }

    public static StatementPeriod? LastClosed(IReadOnlyList<PeriodClosed> closed) =>
        closed.Select(c => Parse(c.Period)).OrderBy(p => p.Start).LastOrDefault();

    /// <summary>Closes <paramref name="period"/>, or refuses with a message finance can act on.</summary>
    public static PeriodClosed Close(IReadOnlyList<PeriodClosed> closed, string period, DateTimeOffset? firstPostingAt, string closedBy,
        IReadOnlyList<ClosingBalance> trialBalance, DateTimeOffset now)
    {
        if (!StatementPeriod.TryParse(period, out var month) || month.Length != PeriodLength.Month)
            throw new LedgerException($"'{period}' is not a month; periods are closed a month at a time, written like 2026-03.");
        if (string.IsNullOrWhiteSpace(closedBy)) throw new LedgerException("A period is closed by someone; who is missing.");
        if (closed.Any(c => c.Period == month.ToString()))
            throw new LedgerException($"{month} is already closed.");
        if (month.EndAt > now)
            throw new LedgerException($"{month} has not ended yet; a month can be closed from the first day of the next.");
        var next = LastClosed(closed)?.Next() ?? (firstPostingAt is { } first ? StatementPeriod.MonthOf(first) : null);
        if (next is not null && month.Start > next.Start)
            throw new LedgerException($"Months are closed in order: close {next} first.");
        if (next is not null && month.Start < next.Start)
            throw new LedgerException(LastClosed(closed) is null
                ? $"Nothing was posted before {next}; there is no {month} to close."
                : $"{month} is before the last closed month; closed months stay closed.");
        // A snapshot that does not balance means the ledger or the projection is wrong: closing it would freeze
        // the error into the books.
        foreach (var (currency, debit, credit) in TrialBalance.Totals(trialBalance))
            if (debit != credit)
                throw new LedgerException($"The trial balance in {currency} does not balance (debits {debit}, credits {credit}); the period cannot be closed.");
        return new PeriodClosed(month.ToString(), closedBy, trialBalance, now);
    }

    private static StatementPeriod Parse(string period) =>
        StatementPeriod.TryParse(period, out var p) ? p : throw new InvalidOperationException($"The period stream holds an unreadable period '{period}'.");
}

/// <summary>
/// Refuses postings into a closed month. Every ledger event posts at the clock's now, which is never in a
/// closed month, so in practice this stops a backdated correction; commands call it before appending.
/// </summary>
public static class PeriodGuard
{
    public static void EnsureOpen(IEnumerable<PeriodClosed> closed, DateTimeOffset postedAt)
    {
        // Months close in order, so everything up to the end of the last closed month is closed, including
        // months before the first close (nothing was posted there, and nothing may be now).
        if (PeriodDecisions.LastClosed(closed.ToList()) is { } last && postedAt < last.EndAt)
            throw new LedgerException($"{StatementPeriod.MonthOf(postedAt)} is closed (the books are closed up to the end of {last}); post the correction in the open period instead.");
    }
}
