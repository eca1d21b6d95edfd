using JasperFx;
using Marten;
using Market.Billing.Ledger;
using Market.Web.Health;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Market.Web.Data;

public static class DatabaseSetup
{
    /// <summary>
    /// The connection string: MARKET_DB from the environment, else ConnectionStrings:Market. The README's
    /// scripts set MARKET_DB to the project-local PostgreSQL when none is given.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration["MARKET_DB"] is { Length: > 0 } fromEnvironment ? fromEnvironment
        : configuration.GetConnectionString("Market") is { Length: > 0 } fromConfig ? fromConfig
        : throw new InvalidOperationException("No database: set MARKET_DB (or ConnectionStrings:Market). infra/run.sh does this for you.");

    public static WebApplicationBuilder AddMarketDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = ConnectionString(builder.Configuration);
        // One data source for EF Core, Marten and the health check: one pool, one place to tune it.
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddDbContext<MarketDb>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(),
            npgsql => npgsql.MigrationsHistoryTable("__ef_migrations", MarketDb.Schema)));

        builder.Services.AddMarten(_ =>
            {
                var options = new StoreOptions().ConfigureLedger();
                // Schema changes are applied by `migrate` (and here as a fallback for a fresh dev database).
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                return options;
            })
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            // The ledger's read models are projected in the background. Solo: this process runs them. HotCold (leader
            // election between nodes) needs Marten's patched DistributedLock.Postgres, which the registry here lacks;
            // the stand-in package's lock refuses Npgsql's data source. With several nodes, run Solo on exactly one
            // (e.g. the jobs node) and Disabled on the others.
            .AddAsyncDaemon(Enum.Parse<JasperFx.Events.Daemon.DaemonMode>(builder.Configuration["Ledger:Daemon"] ?? "Solo", ignoreCase: true));

        // Several web nodes share cookies and antiforgery tokens only if they share keys: keep them in the database.
        builder.Services.AddDataProtection().SetApplicationName("market").PersistKeysToDbContext<MarketDb>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>Brings every schema up to date: EF migrations, then the ledger's tables. Idempotent.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        // Two processes starting on an empty database at once (web nodes, or test hosts) would both create the same
        // tables. A session-level advisory lock on its own connection makes the second wait, then find nothing to do.
        await using var gate = new NpgsqlConnection(db.Database.GetConnectionString());
        await gate.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("select pg_advisory_lock(7391002004)", gate))
            await take.ExecuteNonQueryAsync(cancellationToken);
        // Creating the history table first spares a brand-new database EF's logged (and harmless) failed probe
        // of a table that does not exist yet, which reads like an error to whoever runs infra/run.sh first.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }
}
