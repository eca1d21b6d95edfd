using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Market.Billing.Reports;

namespace Market.Billing.Ledger;

public static class LedgerStore
{
    /// <summary>The ledger's own schema; EF Core and Hangfire keep to theirs in the same database.</summary>
    public const string Schema = "ledger";

    /// <summary>Applies the ledger's event-store settings to a Marten store. Used by the site and by the tests alike.</summary>
    public static StoreOptions ConfigureLedger(this StoreOptions options)
    {
        options.DatabaseSchemaName = Schema;
        options.Events.DatabaseSchemaName = Schema;
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        // Payouts, refunds and claims will all point back at what caused them; keep the ids with each event.
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.AddEventTypes([typeof(SaleRecorded), typeof(PlatformFeeEarned), typeof(RoyaltyAccrued)]);
        options.Projections.Add<PayeeBalanceProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<PayeeBalance>().Identity(b => b.Id);
        return options;
    }
}
