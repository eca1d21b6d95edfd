namespace Market.Billing.Ledger;

/// <summary>
/// One side of a double entry. Exactly one of the two amounts is positive. <see cref="WorkId"/> says which item
/// of a sale the line belongs to, so a statement can drill down from a sale to its items without a second
/// source of truth.
/// </summary>
public sealed record JournalLine(string Account, long DebitMinor, long CreditMinor, Guid? WorkId = null)
{
    public static JournalLine Debit(string account, long amount, Guid? workId = null) => new(account, amount, 0, workId);
    public static JournalLine Credit(string account, long amount, Guid? workId = null) => new(account, 0, amount, workId);

    /// <summary>Credit minus debit: how much the line adds to a liability or revenue account.</summary>
    public long CreditBalance => CreditMinor - DebitMinor;
}

/// <summary>
/// Every event that moves money is a transaction: balanced, in one currency, with the time it was posted.
/// Events are never changed; a correction is a further transaction.
/// </summary>
public interface ILedgerTransaction
{
    string Currency { get; }
    IReadOnlyList<JournalLine> Lines { get; }
    DateTimeOffset PostedAt { get; }
}

public static class Journal
{
    public static bool IsBalanced(IReadOnlyList<JournalLine> lines) =>
        lines.Count >= 2
        && lines.All(l => l.DebitMinor >= 0 && l.CreditMinor >= 0 && (l.DebitMinor == 0) != (l.CreditMinor == 0))
        && lines.Sum(l => l.DebitMinor) == lines.Sum(l => l.CreditMinor);

    /// <summary>
    /// Builds a transaction's lines from signed movements (positive = credit), dropping zeros and merging
    /// repeats of one account and item, so decisions can think in deltas and still post clean double entries.
    /// </summary>
    public static IReadOnlyList<JournalLine> FromMovements(IEnumerable<(string Account, Guid? WorkId, long Credit)> movements)
    {
        var merged = new Dictionary<(string, Guid?), long>();
        var order = new List<(string, Guid?)>();
        foreach (var (account, workId, credit) in movements)
        {
            if (!merged.TryGetValue((account, workId), out var sum)) order.Add((account, workId));
            merged[(account, workId)] = sum + credit;
        }
        var lines = new List<JournalLine>(order.Count);
        foreach (var key in order)
        {
            var amount = merged[key];
            if (amount > 0) lines.Add(JournalLine.Credit(key.Item1, amount, key.Item2));
            else if (amount < 0) lines.Add(JournalLine.Debit(key.Item1, -amount, key.Item2));
        }
        return lines;
    }

    /// <summary>Refuses what must never be appended: a ledger that posts an unbalanced entry is worse than one that refuses it.</summary>
    public static T Checked<T>(T transaction) where T : ILedgerTransaction
    {
        if (!IsBalanced(transaction.Lines))
            throw new InvalidOperationException($"Refusing to post an unbalanced {typeof(T).Name}.");
        if (transaction.Currency is not { Length: 3 })
            throw new InvalidOperationException("A transaction is in one ISO 4217 currency.");
        return transaction;
    }
}
