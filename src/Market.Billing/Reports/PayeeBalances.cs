using Market.Billing.Ledger;
using Npgsql;

namespace Market.Billing.Reports;

/// <summary>What the marketplace owes one payee in one currency, by where the money sits.</summary>
public sealed record PayeeBalance(string PayeeId, string Currency, long PendingMinor, long AvailableMinor, long HeldMinor)
{
    /// <summary>Pending and available: what the payee will be paid once the holding period is over.</summary>
    public long PayableMinor => PendingMinor + AvailableMinor;
}

/// <summary>Reads payee balances from the account-balances projection.</summary>
public static class PayeeBalances
{
    private static readonly string Sql = $"""
        select payee, currency,
               coalesce(sum(credit - debit) filter (where bucket = {(short)PayeeBucket.Pending}), 0),
               coalesce(sum(credit - debit) filter (where bucket = {(short)PayeeBucket.Available}), 0),
               coalesce(sum(credit - debit) filter (where bucket = {(short)PayeeBucket.Held}), 0)
        from {LedgerTables.Qualified(AccountBalancesProjection.Table)}
        where payee is not null
        """;

    public static async Task<IReadOnlyList<PayeeBalance>> ForPayeeAsync(NpgsqlDataSource db, string payeeId, CancellationToken ct) =>
        await ReadAsync(db, Sql + " and payee = $1 group by payee, currency order by currency", ct, payeeId);

    public static async Task<IReadOnlyList<PayeeBalance>> AllAsync(NpgsqlDataSource db, CancellationToken ct) =>
        await ReadAsync(db, Sql + " group by payee, currency order by currency, payee", ct);

    private static async Task<IReadOnlyList<PayeeBalance>> ReadAsync(NpgsqlDataSource db, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<PayeeBalance>();
        while (await reader.ReadAsync(ct))
            list.Add(new PayeeBalance(reader.GetString(0), reader.GetString(1).Trim(), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        return list;
    }
}
