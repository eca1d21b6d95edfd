using Hangfire;
using Marten;
using Marten.Events;

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
    /// balances (payouts, period close) call this first; pages do not, and may be a moment behind.
    /// </summary>
    public static Task CatchUpAsync(this IDocumentStore store, TimeSpan? timeout = null) =>
        store.WaitForNonStaleProjectionDataAsync(timeout ?? TimeSpan.FromSeconds(30));
}
