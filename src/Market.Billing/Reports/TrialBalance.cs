using Market.Billing.Periods;
using Npgsql;

namespace Market.Billing.Reports;

/// <summary>Reads the trial balance (every account's debits and credits per currency) from the account-balances projection.</summary>
public static class TrialBalance
{
    public static async Task<IReadOnlyList<ClosingBalance>> ReadAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            select account, currency, debit, credit from {LedgerTables.Qualified(AccountBalancesProjection.Table)}
            order by currency, account
            """);
        var list = new List<ClosingBalance>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new ClosingBalance(reader.GetString(0), reader.GetString(1).Trim(), reader.GetInt64(2), reader.GetInt64(3)));
        return list;
    }

    /// <summary>Debits and credits summed per currency; a ledger in order has them equal in every currency.</summary>
    public static IReadOnlyList<(string Currency, long DebitMinor, long CreditMinor)> Totals(IEnumerable<ClosingBalance> balances) =>
        balances.GroupBy(b => b.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(b => b.DebitMinor), g.Sum(b => b.CreditMinor))).ToList();
}
