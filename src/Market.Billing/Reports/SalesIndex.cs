using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Market.Billing.Sales;

namespace Market.Billing.Reports;

/// <summary>
/// One row per sale: what was paid, refunded, lost to disputes and charged in processor fees, and when its
/// royalties matured. The maturity job finds its work here; reconciliation matches provider records to it.
/// </summary>
public sealed class SalesIndexProjection : IProjection
{
    public const string Name = "sales-index";
    public const string Table = "sales";

    public static Weasel.Postgresql.Tables.Table Schema()
    {
        var table = LedgerTables.New(Table);
        table.AddColumn("sale_id", "uuid").AsPrimaryKey();
        table.AddColumn("license_id", "uuid");
        table.AddColumn("organisation_id", "uuid");
        table.AddColumn("currency", "char(3)");
        table.AddColumn("gross", "bigint");
        table.AddColumn("provider", "text");
        table.AddColumn("payment_reference", "text");
        table.AddColumn("posted_at", "timestamp with time zone");
        table.AddColumn("refunded", "bigint").NotNull();
        table.AddColumn("lost_to_disputes", "bigint").NotNull();
        table.AddColumn("processor_fees", "bigint").NotNull();
        table.AddColumn("matured_at", "timestamp with time zone");
        // The maturity job: sales not matured yet, oldest first.
        table.Indexes.Add(new Weasel.Postgresql.Tables.IndexDefinition("ix_sales_unmatured") { Columns = ["posted_at"], Predicate = "matured_at is null" });
        table.Indexes.Add(LedgerTables.Index("ix_sales_payment_reference", "payment_reference"));
        return table;
    }

    private sealed class Row
    {
        public SalePosted? Posted;
        public long Refunded, Lost, Fees;
        public DateTimeOffset? MaturedAt;
    }

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var rows = new Dictionary<Guid, Row>();
        foreach (var e in events)
        {
            if (e.Data is not ISaleTransaction t) continue;
            if (!rows.TryGetValue(t.SaleId, out var row)) rows[t.SaleId] = row = new Row();
            switch (t)
            {
                case SalePosted p: row.Posted = p; break;
                case SaleRefunded r: row.Refunded += r.AmountMinor; break;
                case DisputeClosed { Won: false } d: row.Lost += d.AmountMinor; break;
                case ProcessorFeeCharged f: row.Fees += f.AmountMinor; break;
                case RoyaltiesMatured m: row.MaturedAt = m.PostedAt.ToUniversalTime(); break;
            }
        }
        if (rows.Count == 0) return Task.CompletedTask;
        var list = rows.ToList();
        // A sale's first event is always SalePosted, in this batch or an earlier one, so a row for a later event
        // always finds its sale and only adds to it.
        operations.QueueSqlCommand($"""
            insert into {LedgerTables.Qualified(Table)} (sale_id, license_id, organisation_id, currency, gross, provider, payment_reference, posted_at, refunded, lost_to_disputes, processor_fees, matured_at)
            select * from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::char(3)[], ?::bigint[], ?::text[], ?::text[], ?::timestamptz[], ?::bigint[], ?::bigint[], ?::bigint[], ?::timestamptz[])
            on conflict (sale_id) do update set
                refunded = {Table}.refunded + excluded.refunded,
                lost_to_disputes = {Table}.lost_to_disputes + excluded.lost_to_disputes,
                processor_fees = {Table}.processor_fees + excluded.processor_fees,
                matured_at = coalesce(excluded.matured_at, {Table}.matured_at)
            """,
            list.Select(x => x.Key).ToArray(), list.Select(x => x.Value.Posted?.LicenseId).ToArray(), list.Select(x => x.Value.Posted?.OrganisationId).ToArray(),
            list.Select(x => x.Value.Posted?.Currency).ToArray(), list.Select(x => x.Value.Posted?.GrossMinor).ToArray(),
            list.Select(x => x.Value.Posted?.PaymentProvider).ToArray(), list.Select(x => x.Value.Posted?.PaymentReference).ToArray(),
            list.Select(x => x.Value.Posted?.PostedAt.ToUniversalTime()).ToArray(), list.Select(x => x.Value.Refunded).ToArray(),
            list.Select(x => x.Value.Lost).ToArray(), list.Select(x => x.Value.Fees).ToArray(), list.Select(x => x.Value.MaturedAt).ToArray());
        return Task.CompletedTask;
    }
}
