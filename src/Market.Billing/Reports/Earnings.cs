using Npgsql;

namespace Market.Billing.Reports;

public enum EarningsBy { Work, Payee, Month }

/// <summary>
/// What payees earned in a period, per work, payee or month: accruals (gross shares), platform fees, refunds and
/// chargebacks, and the net of the four. Holds, releases, redirects and payouts move earnings, not make them.
/// </summary>
public sealed record EarningsRow(string Key, string Currency, long AccrualMinor, long FeeMinor, long RefundMinor, long ChargebackMinor)
{
    public long NetMinor => AccrualMinor + FeeMinor + RefundMinor + ChargebackMinor;
}

public static class Earnings
{
    public static async Task<IReadOnlyList<EarningsRow>> ReadAsync(NpgsqlDataSource db, EarningsBy by, StatementPeriod period, CancellationToken ct)
    {
        // Per payee and per month read the monthly sums; only per work needs the lines (the sums are per payee).
        var (source, key, range) = by switch
        {
            EarningsBy.Work => (LedgerTables.Qualified(StatementLinesProjection.LinesTable), "coalesce(work_id::text, '')", "at >= $1 and at < $2"),
            EarningsBy.Payee => (LedgerTables.Qualified(StatementLinesProjection.MonthsTable), "payee", "month >= $3 and month < $4"),
            _ => (LedgerTables.Qualified(StatementLinesProjection.MonthsTable), "to_char(month, 'YYYY-MM')", "month >= $3 and month < $4"),
        };
        const string amount = "payable + held";
        await using var command = db.CreateCommand($"""
            select {key} as k, currency,
                   coalesce(sum({amount}) filter (where kind = {(short)StatementKind.Accrual}), 0)::bigint,
                   coalesce(sum({amount}) filter (where kind = {(short)StatementKind.Fee}), 0)::bigint,
                   coalesce(sum({amount}) filter (where kind = {(short)StatementKind.Refund}), 0)::bigint,
                   coalesce(sum({amount}) filter (where kind = {(short)StatementKind.Chargeback}), 0)::bigint
            from {source}
            where {range} and kind in ({(short)StatementKind.Accrual}, {(short)StatementKind.Fee}, {(short)StatementKind.Refund}, {(short)StatementKind.Chargeback})
            group by 1, 2
            order by 2, 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = period.StartAt });
        command.Parameters.Add(new NpgsqlParameter { Value = period.EndAt });
        command.Parameters.Add(new NpgsqlParameter { Value = period.Start });
        command.Parameters.Add(new NpgsqlParameter { Value = period.End });
        var rows = new List<EarningsRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new EarningsRow(reader.GetString(0), reader.GetString(1).Trim(), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        return rows;
    }
}
