using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Market.Billing.Payouts;
using Market.Billing.Periods;
using Market.Billing.Reports;
using Market.Billing.Sales;

namespace Market.Billing.Ledger;

public static class LedgerStore
{
    /// <summary>The ledger's own schema; EF Core and Hangfire keep to theirs in the same database.</summary>
    public const string Schema = "ledger";

    /// <summary>Every read model the ledger keeps, by projection name. A rebuild replays them all.</summary>
    public static readonly string[] ProjectionNames = [AccountBalancesProjection.Name, StatementLinesProjection.Name, SalesIndexProjection.Name];

    /// <summary>The plain tables those projections write (in <see cref="Schema"/>).</summary>
    public static readonly string[] ReadModelTables =
        [AccountBalancesProjection.Table, StatementLinesProjection.LinesTable, StatementLinesProjection.MonthsTable, SalesIndexProjection.Table];

    public static readonly Type[] EventTypes =
    [
        typeof(SalePosted), typeof(SaleRefunded), typeof(DisputeOpened), typeof(DisputeClosed), typeof(RoyaltiesMatured),
        typeof(SaleRoyaltiesHeld), typeof(SaleRoyaltiesReleased), typeof(SaleRoyaltiesRedirected), typeof(ProcessorFeeCharged),
        typeof(PayoutBatchPrepared), typeof(PayoutBatchApproved), typeof(PayoutBatchCancelled), typeof(PayoutTransferPaid), typeof(PayoutTransferFailed),
        typeof(PeriodClosed),
    ];

    /// <summary>
    /// Applies the ledger's event-store settings to a Marten store. Used by the site, the benchmarks and the
    /// tests alike, and asserted by a test, because each of them is a decision about money.
    /// </summary>
    public static StoreOptions ConfigureLedger(this StoreOptions options)
    {
        options.DatabaseSchemaName = Schema;
        options.Events.DatabaseSchemaName = Schema;
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        // Every event says what caused it (a provider's event id, a payout batch, a claim) and which business
        // object it belongs to; statements and audits follow those ids.
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.AddEventTypes(EventTypes);

        // A projection that cannot apply an event must stop, not skip it: a skipped refund is a wrong balance
        // that nobody notices. The same on rebuilds.
        foreach (var errors in new[] { options.Projections.Errors, options.Projections.RebuildErrors })
        {
            errors.SkipApplyErrors = false;
            errors.SkipSerializationErrors = false;
            errors.SkipUnknownEvents = false;
        }
        // The optimised rebuild replays stream by stream; our read models sum across streams and must see the
        // events in the order they were posted.
        options.Events.UseOptimizedProjectionRebuilds = false;

        options.Projections.LiveStreamAggregation<SaleLedger>();
        options.Projections.Add(new AccountBalancesProjection(), ProjectionLifecycle.Async, AccountBalancesProjection.Name,
            o => o.DeleteDataInTableOnTeardown(LedgerTables.Qualified(AccountBalancesProjection.Table)));
        options.Projections.Add(new StatementLinesProjection(), ProjectionLifecycle.Async, StatementLinesProjection.Name, o =>
        {
            o.DeleteDataInTableOnTeardown(LedgerTables.Qualified(StatementLinesProjection.LinesTable));
            o.DeleteDataInTableOnTeardown(LedgerTables.Qualified(StatementLinesProjection.MonthsTable));
        });
        options.Projections.Add(new SalesIndexProjection(), ProjectionLifecycle.Async, SalesIndexProjection.Name,
            o => o.DeleteDataInTableOnTeardown(LedgerTables.Qualified(SalesIndexProjection.Table)));
        options.Storage.ExtendedSchemaObjects.Add(AccountBalancesProjection.Schema());
        options.Storage.ExtendedSchemaObjects.AddRange(StatementLinesProjection.Schema());
        options.Storage.ExtendedSchemaObjects.Add(SalesIndexProjection.Schema());
        return options;
    }
}
