using Marten;
using Market.Billing.Ledger;
using Market.Web.Data;
using Market.Web.Seeding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Respawn;
using Respawn.Graph;

namespace Market.Integration.Tests.Infrastructure;

/// <summary>
/// The real site on real PostgreSQL (infra/test.sh provides MARKET_TEST_DB), with Hangfire's server running
/// so jobs run as they do in production. Between tests, Respawn empties the EF schema and Marten resets the
/// ledger; roles, migrations history and data-protection keys are kept.
/// </summary>
public class MarketAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private Respawner? _respawner;
    private Respawner? _ledgerReadModels;

    public MarketAppFactory()
    {
        ConnectionString = Environment.GetEnvironmentVariable("MARKET_TEST_DB") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("MARKET_TEST_DB is not set. Run the tests with infra/test.sh, which starts PostgreSQL.");
    }

    /// <summary>One folder for every app instance in the test run, since any instance's Hangfire server may run a job.</summary>
    private static readonly string SharedStorageRoot = Path.Combine(Path.GetTempPath(), "market-tests", Guid.NewGuid().ToString("N"));

    public string ConnectionString { get; }
    public string StorageRoot => SharedStorageRoot;

    /// <summary>Where the local mail transport writes: every e-mail the site sends in a test lands here.</summary>
    public string MailFolder => Path.Combine(SharedStorageRoot, "mail");
    public TestClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder) => Configure(builder);

    protected virtual void Configure(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("MARKET_DB", ConnectionString);
        builder.UseSetting("Storage:Root", StorageRoot);
        builder.UseSetting("Mail:Folder", MailFolder);
        builder.UseSetting("Licensing:KeyFile", Path.Combine(StorageRoot, "keys", "license-signing.pem"));
        builder.UseSetting("Payments:Provider", "test");
        builder.UseSetting("Payments:Stripe:WebhookSecret", StripeWebhookSecret);
        builder.UseSetting("Jobs:PollIntervalMilliseconds", "200");
        builder.UseSetting("Jobs:Workers", "2");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public const string StripeWebhookSecret = "whsec_test_only_not_a_real_secret";

    public virtual async Task InitializeAsync()
    {
        await DatabaseSetup.MigrateAsync(Services);
        await RoleSeeder.EnsureRolesAsync(Services);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = [MarketDb.Schema],
            TablesToIgnore = [new Table(MarketDb.Schema, "__ef_migrations"), new Table(MarketDb.Schema, "AspNetRoles"), new Table(MarketDb.Schema, "DataProtectionKeys")],
        });
        // The ledger's projected tables are plain tables Marten's reset does not know about.
        _ledgerReadModels = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = [LedgerStore.Schema],
            TablesToInclude = LedgerStore.ReadModelTables.Select(t => new Table(LedgerStore.Schema, t)).ToArray(),
        });
    }

    public async Task ResetAsync()
    {
        Clock.Reset();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await _respawner!.ResetAsync(connection);
        }
        // The detection catalog caches the fingerprints it has read; the emptied table must not leave them behind.
        Services.GetRequiredService<Market.Web.Detection.CatalogDetection>().Reset();
        // Pauses the ledger's projection daemon, empties the event store and read models, and starts it again, so
        // the daemon never carries a position from the previous test into this one.
        await Services.ResetAllMartenDataAsync();
        // After Marten's reset: the daemon has been restarted on an empty event store, so nothing refills these.
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await _ledgerReadModels!.ResetAsync(connection);
        }
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>Runs a query against the site's own DbContext, in a scope of its own.</summary>
    public Task<T> DbAsync<T>(Func<MarketDb, Task<T>> query) =>
        WithScopeAsync(sp => query(sp.GetRequiredService<MarketDb>()));

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try { if (Directory.Exists(StorageRoot)) Directory.Delete(StorageRoot, recursive: true); }
        catch (DirectoryNotFoundException) { } // another instance of the run removed it first
    }
}

[CollectionDefinition(Name)]
public sealed class MarketCollection : ICollectionFixture<MarketAppFactory>, ICollectionFixture<StripeAppFactory>
{
    public const string Name = "market";
}

/// <summary>Every integration test starts from an empty marketplace (roles only).</summary>
[Collection(MarketCollection.Name)]
public abstract class IntegrationTest(MarketAppFactory app) : IAsyncLifetime, IntegrationTestAccess
{
    public WebSession Session() => NewSession();

    public DateTimeOffset Now() => App.Clock.GetUtcNow();

    protected MarketAppFactory App { get; } = app;

    public virtual Task InitializeAsync() => App.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected WebSession NewSession() => new(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    protected Task<T> Db<T>(Func<MarketDb, Task<T>> query) => App.DbAsync(query);
}
