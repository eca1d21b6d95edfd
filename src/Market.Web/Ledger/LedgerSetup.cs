using Hangfire;
using Marten;
using Marten.Events;
using Market.Billing.Ledger;

namespace Market.Web.Ledger;

public static class LedgerSetup
{
    public static WebApplicationBuilder AddLedger(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Ledger").Get<LedgerSettings>() ?? new LedgerSettings();
        settings.Validate();
        builder.Services.AddSingleton(settings);
        builder.Services.AddScoped<RoyaltyMaturityJob>();
        return builder;
    }

    public static WebApplication UseLedger(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<RoyaltyMaturityJob>(RoyaltyMaturityJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        return app;
    }

    /// <summary>
    /// Waits until the ledger's read models have applied every event posted so far. Commands that decide from
    /// balances (payouts, period close) call this first; pages do not, and may be a moment behind. A ledger with
    /// no events at all has nothing to wait for (Marten's wait reports that as a timeout at once).
    /// </summary>
    public static async Task CatchUpAsync(this IDocumentStore store, TimeSpan? timeout = null)
    {
        try
        {
            await store.WaitForNonStaleProjectionDataAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await using var session = store.QuerySession();
            if (await session.Events.QueryAllRawEvents().AnyAsync()) throw;
        }
    }

    /// <summary>
    /// Holds <see cref="LedgerLocks"/> shared for the rest of the command's transaction: taken by every command
    /// that may take money out of a payee's available balance, so a payout approval (which holds it exclusively)
    /// never pays out what such a command is moving meanwhile.
    /// </summary>
    public static Task TakeSharedLedgerLockAsync(this IDocumentSession ledger, CancellationToken ct) =>
        ExecuteAsync(ledger, LedgerLocks.SharedSql, ct);

    /// <summary>
    /// Holds the work's lock exclusively for the rest of the command's transaction: a sale of the work (which takes
    /// it shared) either committed before, and is among the work's sales once projected, or waits and then reads
    /// the route this command writes.
    /// </summary>
    public static Task TakeWorkLockAsync(this IDocumentSession ledger, Guid workId, CancellationToken ct) =>
        ExecuteAsync(ledger, LedgerLocks.ExclusiveWorkSql(workId), ct);

    private static async Task ExecuteAsync(IDocumentSession ledger, string sql, CancellationToken ct)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, ledger.Connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
