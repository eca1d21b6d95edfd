using JasperFx.Events.Projections;
using Marten;
using Market.Billing.Ledger;
using Market.Billing.Reports;

namespace Market.Billing.Tests.Ledger;

/// <summary>
/// Each of these settings is a decision about money (see <see cref="LedgerStore.ConfigureLedger"/>); a package
/// upgrade or a tidy-up that changes one must fail here, not in a month-end report. No database: StoreOptions only.
/// </summary>
public sealed class LedgerStoreSettingsTests
{
    private static readonly StoreOptions Options = new StoreOptions().ConfigureLedger();

    [Fact]
    public void Projections_stop_on_any_error_instead_of_skipping_events_live_and_on_rebuilds()
    {
        foreach (var errors in new[] { Options.Projections.Errors, Options.Projections.RebuildErrors })
        {
            errors.SkipApplyErrors.ShouldBeFalse();
            errors.SkipSerializationErrors.ShouldBeFalse();
            errors.SkipUnknownEvents.ShouldBeFalse();
        }
    }

    [Fact]
    public void Rebuilds_replay_in_posting_order() => Options.Events.UseOptimizedProjectionRebuilds.ShouldBeFalse();

    [Fact]
    public void Events_carry_causation_and_correlation_ids()
    {
        Options.Events.MetadataConfig.CausationIdEnabled.ShouldBeTrue();
        Options.Events.MetadataConfig.CorrelationIdEnabled.ShouldBeTrue();
        Options.Events.MetadataConfig.HeadersEnabled.ShouldBeTrue();
    }

    [Fact]
    public void Everything_lives_in_the_ledger_schema()
    {
        LedgerStore.Schema.ShouldBe("ledger");
        Options.DatabaseSchemaName.ShouldBe("ledger");
        Options.Events.DatabaseSchemaName.ShouldBe("ledger");
        LedgerTables.Qualified(AccountBalancesProjection.Table).ShouldBe("ledger.account_balances");
    }

    [Fact]
    public void Every_ledger_event_type_is_registered()
    {
        var known = ((Marten.Events.EventGraph)Options.Events).AllKnownEventTypes().Select(t => t.EventType).ToHashSet();

        LedgerStore.EventTypes.Length.ShouldBe(15);
        LedgerStore.EventTypes.Distinct().Count().ShouldBe(LedgerStore.EventTypes.Length);
        foreach (var type in LedgerStore.EventTypes) known.ShouldContain(type, type.Name);
        // Every transaction type of the billing assembly is in the list, so a new one cannot be forgotten.
        var transactions = typeof(LedgerStore).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ILedgerTransaction).IsAssignableFrom(t));
        foreach (var type in transactions) LedgerStore.EventTypes.ShouldContain(type, type.Name);
    }

    [Fact]
    public void The_three_read_models_are_async_projections_registered_by_name()
    {
        LedgerStore.ProjectionNames.ShouldBe(["account-balances", "statement-lines", "sales-index"]);
        foreach (var name in LedgerStore.ProjectionNames)
        {
            Options.Projections.TryFindProjection(name, out var projection).ShouldBeTrue(name);
            projection!.Lifecycle.ShouldBe(ProjectionLifecycle.Async, name);
        }
        Options.Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Async).Select(p => p.Name)
            .ShouldBe(LedgerStore.ProjectionNames, ignoreOrder: true);
    }

    [Theory]
    [InlineData(PayeeBucket.Pending)]
    [InlineData(PayeeBucket.Available)]
    [InlineData(PayeeBucket.Held)]
    public void Payee_accounts_round_trip(PayeeBucket bucket)
    {
        foreach (var payee in new[] { "alice", "org-7f3e", "a.b_c", "Ünïcode", new string('x', 100) })
        {
            Accounts.TryParsePayee(Accounts.Payee(payee, bucket), out var parsedPayee, out var parsedBucket).ShouldBeTrue(payee);
            (parsedPayee, parsedBucket).ShouldBe((payee, bucket));
        }
    }

    [Theory]
    [InlineData(Accounts.PaymentClearing)]
    [InlineData(Accounts.DisputedFunds)]
    [InlineData(Accounts.PlatformRevenue)]
    [InlineData(Accounts.ProcessorFees)]
    [InlineData(Accounts.PayoutsInTransit)]
    [InlineData("liabilities:payees:")]
    [InlineData("liabilities:payees:alice")]
    [InlineData("liabilities:payees::pending")]
    [InlineData("liabilities:payees:alice:paid")]
    [InlineData("liabilities:payees:alice:Pending")]
    [InlineData("Liabilities:payees:alice:pending")]
    [InlineData("assets:liabilities:payees:alice:pending")]
    [InlineData("")]
    public void Other_accounts_are_not_payee_accounts(string account)
    {
        Accounts.TryParsePayee(account, out var payee, out _).ShouldBeFalse();
        payee.ShouldBe("");
    }

    [Theory]
    [InlineData("a:b")]
    [InlineData("")]
    [InlineData("   ")]
    public void Payee_ids_that_would_break_account_names_are_refused(string payee) =>
        Should.Throw<ArgumentException>(() => Accounts.EnsureValidPayeeId(payee));

    [Fact]
    public void A_payee_id_over_100_characters_is_refused() =>
        Should.Throw<ArgumentException>(() => Accounts.EnsureValidPayeeId(new string('x', 101)));
}
