namespace Market.Billing.Ledger;

/// <summary>One side of a double entry, in the event's currency. Exactly one of the two amounts is non-zero.</summary>
public sealed record JournalLine(string Account, long DebitMinor, long CreditMinor)
{
    public static JournalLine Debit(string account, long amount) => new(account, amount, 0);
    public static JournalLine Credit(string account, long amount) => new(account, 0, amount);
}

/// <summary>Every ledger event is a balanced transaction in one currency, carrying its own time and cause.</summary>
public interface ILedgerEvent
{
    Guid SaleId { get; }
    string Currency { get; }
    IReadOnlyList<JournalLine> Lines { get; }
    DateTimeOffset RecordedAt { get; }
}

public static class Accounts
{
    public const string PaymentClearing = "assets:payment-clearing";
    public const string SaleAllocation = "suspense:sale-allocation";
    public const string PlatformRevenue = "revenue:platform-fees";

    public static string PayeePending(string payeeId) => $"liabilities:payees:{payeeId}:pending";

    public static bool IsBalanced(IReadOnlyList<JournalLine> lines) =>
        lines.Count >= 2
        && lines.All(l => l.DebitMinor >= 0 && l.CreditMinor >= 0 && (l.DebitMinor == 0) != (l.CreditMinor == 0))
        && lines.Sum(l => l.DebitMinor) == lines.Sum(l => l.CreditMinor);
}
