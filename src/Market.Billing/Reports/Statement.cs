using Npgsql;

namespace Market.Billing.Reports;

/// <summary>One row of a statement's roll-forward: what lines of one kind did to the payable and held balances.</summary>
public sealed record StatementMovement(StatementKind Kind, long PayableMinor, long HeldMinor, long Lines);

/// <summary>Payable = pending + available (what the payee will be paid); held = frozen by disputes and claims.</summary>
public readonly record struct StatementBalance(long PayableMinor, long HeldMinor)
{
    public static StatementBalance operator +(StatementBalance a, StatementBalance b) => new(a.PayableMinor + b.PayableMinor, a.HeldMinor + b.HeldMinor);
}

/// <summary>
/// A payee's statement for one period and currency: the opening balance, the movements by kind, and the
/// closing balance, which is by construction the opening plus the movements (see <see cref="Foots"/>).
/// </summary>
public sealed record Statement(string PayeeId, string Currency, StatementPeriod Period, StatementBalance Opening, IReadOnlyList<StatementMovement> Movements)
{
    /// <summary>The kinds in the order a statement lists them, every one present (zero where nothing happened).</summary>
    public static readonly StatementKind[] Kinds = Enum.GetValues<StatementKind>();

    public StatementBalance Closing => Opening + new StatementBalance(Movements.Sum(m => m.PayableMinor), Movements.Sum(m => m.HeldMinor));

    public long LineCount => Movements.Sum(m => m.Lines);
}

/// <summary>One statement line, with the sale it belongs to where there is one (from the sales index).</summary>
public sealed record StatementLine(
    long Sequence, int Ordinal, DateTimeOffset At, StatementKind Kind, Guid? SaleId, Guid? WorkId, string? Reference,
    long PayableMinor, long HeldMinor, Guid? LicenseId, string? PaymentReference);

/// <summary>Where a page of lines starts: after the line at (at, sequence, ordinal).</summary>
public readonly record struct StatementCursor(DateTimeOffset At, long Sequence, int Ordinal)
{
    public override string ToString() => $"{At.UtcTicks}.{Sequence}.{Ordinal}";

    public static bool TryParse(string? text, out StatementCursor cursor)
    {
        cursor = default;
        var parts = (text ?? "").Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[0], out var ticks) || !long.TryParse(parts[1], out var sequence) || !int.TryParse(parts[2], out var ordinal)
            || ticks < DateTimeOffset.UnixEpoch.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) return false;
        cursor = new StatementCursor(new DateTimeOffset(ticks, TimeSpan.Zero), sequence, ordinal);
        return true;
    }
}

public sealed record StatementPage(IReadOnlyList<StatementLine> Lines, StatementCursor? Next);

/// <summary>
/// Reads statements from the statement projections. The opening balance and the roll-forward come from the
/// monthly sums (a busy payee's history is a few rows per month, not millions of lines); only the lines page
/// reads lines, by keyset on the (payee, currency, at, sequence, ordinal) index.
/// </summary>
public static class StatementQueries
{
    public const int PageSize = 100;

    private static readonly string Months = LedgerTables.Qualified(StatementLinesProjection.MonthsTable);
    private static readonly string Lines = LedgerTables.Qualified(StatementLinesProjection.LinesTable);
    private static readonly string Sales = LedgerTables.Qualified(SalesIndexProjection.Table);

    /// <summary>The currencies a payee has ever had a line in, for the currency picker.</summary>
    public static async Task<IReadOnlyList<string>> CurrenciesAsync(NpgsqlDataSource db, string payeeId, CancellationToken ct)
    {
        // Skip scan over the primary key (payee, currency, ...): one probe per currency, not one row per month.
        await using var command = db.CreateCommand($"""
            with recursive c as (
                (select currency from {Months} where payee = $1 order by currency limit 1)
                union all
                select (select m.currency from {Months} m where m.payee = $1 and m.currency > c.currency order by m.currency limit 1)
                from c where c.currency is not null)
            select currency from c where currency is not null
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = payeeId });
        var list = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add(reader.GetString(0).Trim());
        return list;
    }

    public static async Task<Statement> LoadAsync(NpgsqlDataSource db, string payeeId, string currency, StatementPeriod period, CancellationToken ct)
    {
        // month is the first of a UTC month, so "month < start" is everything posted before the period.
        await using var command = db.CreateCommand($"""
            select kind, month >= $3 as inside, sum(payable)::bigint, sum(held)::bigint, sum(lines)::bigint
            from {Months}
            where payee = $1 and currency = $2 and month < $4
            group by kind, month >= $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = payeeId });
        command.Parameters.Add(new NpgsqlParameter { Value = currency });
        command.Parameters.Add(new NpgsqlParameter { Value = period.Start });
        command.Parameters.Add(new NpgsqlParameter { Value = period.End });
        var opening = new StatementBalance();
        var inside = Statement.Kinds.ToDictionary(k => k, _ => (Payable: 0L, Held: 0L, Lines: 0L));
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var kind = (StatementKind)reader.GetInt16(0);
                var (payable, held, lines) = (reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
                if (!reader.GetBoolean(1)) { opening += new StatementBalance(payable, held); continue; }
                // A kind this code does not know would make the statement not foot; refuse rather than drop it.
                if (!inside.TryGetValue(kind, out var sum)) throw new InvalidOperationException($"Unknown statement kind {(short)kind}.");
                inside[kind] = (sum.Payable + payable, sum.Held + held, sum.Lines + lines);
            }
        }
        return new Statement(payeeId, currency, period, opening,
            Statement.Kinds.Select(k => new StatementMovement(k, inside[k].Payable, inside[k].Held, inside[k].Lines)).ToList());
    }

    /// <summary>
    /// Up to <paramref name="pageSize"/> lines of the period after <paramref name="after"/>, in posting order,
    /// with their sale's license and payment reference. Next is null on the last page.
    /// </summary>
    public static async Task<StatementPage> LinesAsync(NpgsqlDataSource db, string payeeId, string currency, StatementPeriod period,
        StatementCursor? after, CancellationToken ct, int pageSize = PageSize)
    {
        // The row comparison on (at, sequence, ordinal) matches the index's trailing columns, so PostgreSQL seeks
        // straight to the cursor instead of skipping OFFSET rows: page 1,000 costs what page 1 costs.
        await using var command = db.CreateCommand($"""
            select l.sequence, l.ordinal, l.at, l.kind, l.sale_id, l.work_id, l.reference, l.payable, l.held, s.license_id, s.payment_reference
            from (
                select * from {Lines}
                where payee = $1 and currency = $2 and at >= $3 and at < $4 and (at, sequence, ordinal) > ($5, $6, $7)
                order by at, sequence, ordinal
                limit $8) l
            left join {Sales} s on s.sale_id = l.sale_id
            order by l.at, l.sequence, l.ordinal
            """);
        var cursor = after ?? new StatementCursor(period.StartAt.AddTicks(-1), long.MinValue, int.MinValue);
        command.Parameters.Add(new NpgsqlParameter { Value = payeeId });
        command.Parameters.Add(new NpgsqlParameter { Value = currency });
        command.Parameters.Add(new NpgsqlParameter { Value = period.StartAt });
        command.Parameters.Add(new NpgsqlParameter { Value = period.EndAt });
        command.Parameters.Add(new NpgsqlParameter { Value = cursor.At });
        command.Parameters.Add(new NpgsqlParameter { Value = cursor.Sequence });
        command.Parameters.Add(new NpgsqlParameter { Value = cursor.Ordinal });
        command.Parameters.Add(new NpgsqlParameter { Value = pageSize + 1 });
        var lines = new List<StatementLine>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                lines.Add(new StatementLine(reader.GetInt64(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), (StatementKind)reader.GetInt16(3),
                    reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetInt64(7), reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetGuid(9), reader.IsDBNull(10) ? null : reader.GetString(10)));
        }
        if (lines.Count <= pageSize) return new StatementPage(lines, null);
        lines.RemoveAt(lines.Count - 1);
        var last = lines[^1];
        return new StatementPage(lines, new StatementCursor(last.At, last.Sequence, last.Ordinal));
    }

    /// <summary>Every line of the period, page by page (for the CSV export).</summary>
    public static async IAsyncEnumerable<StatementLine> AllLinesAsync(NpgsqlDataSource db, string payeeId, string currency, StatementPeriod period,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        StatementCursor? after = null;
        do
        {
            var page = await LinesAsync(db, payeeId, currency, period, after, ct, pageSize: 5000);
            foreach (var line in page.Lines) yield return line;
            after = page.Next;
        } while (after is not null);
    }
}
