using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Market.Billing.Ledger;

namespace Market.Billing.Reports;

/// <summary>
/// Every line of every payee statement (<see cref="StatementEntries"/>), and their sums per payee, currency,
/// calendar month and kind. The monthly sums give a statement its opening balance and roll-forward without
/// reading a busy payee's whole history; the lines give the drill-down from sale to item.
/// </summary>
public sealed class StatementLinesProjection : IProjection
{
    public const string Name = "statement-lines";
    public const string LinesTable = "statement_lines";
    public const string MonthsTable = "statement_months";

    public static IEnumerable<Weasel.Postgresql.Tables.Table> Schema()
    {
        var lines = LedgerTables.New(LinesTable);
        lines.AddColumn("sequence", "bigint").AsPrimaryKey();
        lines.AddColumn("ordinal", "integer").AsPrimaryKey();
        lines.AddColumn("payee", "text").NotNull();
        lines.AddColumn("currency", "char(3)").NotNull();
        lines.AddColumn("kind", "smallint").NotNull();
        lines.AddColumn("sale_id", "uuid");
        lines.AddColumn("work_id", "uuid");
        lines.AddColumn("reference", "text");
        lines.AddColumn("payable", "bigint").NotNull();
        lines.AddColumn("held", "bigint").NotNull();
        lines.AddColumn("at", "timestamp with time zone").NotNull();
        // A statement reads one payee's lines in one currency and period, in posting order.
        lines.Indexes.Add(LedgerTables.Index("ix_statement_lines_payee", "payee", "currency", "at", "sequence", "ordinal"));
        lines.Indexes.Add(LedgerTables.Index("ix_statement_lines_work", "work_id", "at"));
        yield return lines;

        var months = LedgerTables.New(MonthsTable);
        months.AddColumn("payee", "text").AsPrimaryKey();
        months.AddColumn("currency", "char(3)").AsPrimaryKey();
        months.AddColumn("month", "date").AsPrimaryKey();
        months.AddColumn("kind", "smallint").AsPrimaryKey();
        months.AddColumn("payable", "bigint").NotNull();
        months.AddColumn("held", "bigint").NotNull();
        months.AddColumn("lines", "bigint").NotNull();
        yield return months;
    }

    public static DateOnly MonthOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateOnly(utc.Year, utc.Month, 1);
    }

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var entries = new List<StatementEntry>();
        foreach (var e in events)
            if (e.Data is ILedgerTransaction t)
                entries.AddRange(StatementEntries.Of(e.Sequence, t));
        if (entries.Count == 0) return Task.CompletedTask;

        operations.QueueSqlCommand($"""
            insert into {LedgerTables.Qualified(LinesTable)} (sequence, ordinal, payee, currency, kind, sale_id, work_id, reference, payable, held, at)
            select * from unnest(?::bigint[], ?::integer[], ?::text[], ?::char(3)[], ?::smallint[], ?::uuid[], ?::uuid[], ?::text[], ?::bigint[], ?::bigint[], ?::timestamptz[])
            """,
            entries.Select(x => x.Sequence).ToArray(), entries.Select(x => x.Ordinal).ToArray(), entries.Select(x => x.PayeeId).ToArray(),
            entries.Select(x => x.Currency).ToArray(), entries.Select(x => (short)x.Kind).ToArray(), entries.Select(x => x.SaleId).ToArray(),
            entries.Select(x => x.WorkId).ToArray(), entries.Select(x => x.Reference).ToArray(), entries.Select(x => x.PayableMinor).ToArray(),
            entries.Select(x => x.HeldMinor).ToArray(), entries.Select(x => x.At.ToUniversalTime()).ToArray());

        var months = entries
            .GroupBy(x => (x.PayeeId, x.Currency, Month: MonthOf(x.At), x.Kind))
            .Select(g => (g.Key, Payable: g.Sum(x => x.PayableMinor), Held: g.Sum(x => x.HeldMinor), Lines: (long)g.Count()))
            .ToList();
        operations.QueueSqlCommand($"""
            insert into {LedgerTables.Qualified(MonthsTable)} (payee, currency, month, kind, payable, held, lines)
            select * from unnest(?::text[], ?::char(3)[], ?::date[], ?::smallint[], ?::bigint[], ?::bigint[], ?::bigint[])
            on conflict (payee, currency, month, kind) do update set
                payable = {MonthsTable}.payable + excluded.payable,
                held = {MonthsTable}.held + excluded.held,
                lines = {MonthsTable}.lines + excluded.lines
            """,
            months.Select(m => m.Key.PayeeId).ToArray(), months.Select(m => m.Key.Currency).ToArray(), months.Select(m => m.Key.Month).ToArray(),
            months.Select(m => (short)m.Key.Kind).ToArray(), months.Select(m => m.Payable).ToArray(), months.Select(m => m.Held).ToArray(),
            months.Select(m => m.Lines).ToArray());
        return Task.CompletedTask;
    }
}
