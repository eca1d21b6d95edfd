using Marten;
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

    /// <summary>
    /// Balances exact to the last committed event, without waiting for the projection daemon: the projected
    /// balances as of the projection's position, read in one statement (one snapshot), plus the lines of every
    /// event posted after that position. What a payout must decide from, under <see cref="LedgerLocks"/>.
    /// </summary>
    public static async Task<IReadOnlyList<PayeeBalance>> ExactAsync(IDocumentSession session, IReadOnlyCollection<string> payeeIds, string currency, CancellationToken ct)
    {
        var ids = payeeIds.Distinct(StringComparer.Ordinal).ToArray();
        var balances = ids.ToDictionary(id => id, id => new long[4], StringComparer.Ordinal);
        long position = 0;
        await using (var command = new NpgsqlCommand($"""
            select coalesce((select last_seq_id from {LedgerStore.Schema}.mt_event_progression where name = '{AccountBalancesProjection.Name}:All'), 0),
                   b.payee, b.bucket, b.credit - b.debit
            from (select 1) one
            left join {LedgerTables.Qualified(AccountBalancesProjection.Table)} b on b.payee = any($1) and b.currency = $2
            """, session.Connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
            command.Parameters.Add(new NpgsqlParameter { Value = currency });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                position = reader.GetInt64(0);
                if (reader.IsDBNull(1)) continue;
                balances[reader.GetString(1)][reader.GetInt16(2)] += reader.GetInt64(3);
            }
        }
        var tail = await session.Events.QueryAllRawEvents().Where(e => e.Sequence > position).ToListAsync(ct);
        foreach (var e in tail)
        {
            if (e.Data is not ILedgerTransaction t || t.Currency != currency) continue;
            foreach (var line in t.Lines)
                if (Accounts.TryParsePayee(line.Account, out var payee, out var bucket) && balances.TryGetValue(payee, out var sums))
                    sums[(int)bucket] += line.CreditBalance;
        }
        return ids.Select(id => new PayeeBalance(id, currency, balances[id][(int)PayeeBucket.Pending], balances[id][(int)PayeeBucket.Available], balances[id][(int)PayeeBucket.Held])).ToList();
    }

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
