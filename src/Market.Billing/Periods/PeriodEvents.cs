namespace Market.Billing.Periods;

/// <summary>
/// A calendar month of the books was closed: nothing more is posted in it, and corrections go into the open
/// period. The stream id is <see cref="PeriodStream.Id"/>; the event keeps the trial balance at the close.
/// </summary>
public sealed record PeriodClosed(string Period, string ClosedBy, IReadOnlyList<ClosingBalance> TrialBalance, DateTimeOffset ClosedAt);

public sealed record ClosingBalance(string Account, string Currency, long DebitMinor, long CreditMinor);

public static class PeriodStream
{
    /// <summary>All closes go into one stream, so two finance users closing at once conflict on its version.</summary>
    public static readonly Guid Id = Guid.Parse("5e1d0c10-5e0d-4c10-9e10-000000000001");
}
