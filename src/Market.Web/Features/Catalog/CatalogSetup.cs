using Hangfire;
using Market.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Catalog;

/// <summary>Configuration section <c>Catalog</c>.</summary>
public sealed class CatalogSettings
{
    /// <summary>
    /// A search counts its matches and their facet values up to this many, then stops and says "more than".
    /// Counting reads every match it counts, and a common word matches hundreds of thousands of works: counting
    /// them all on each page view would cost a second, not milliseconds. Below the limit every count is exact;
    /// above it the facet counts are those among the newest matches, lower bounds marked "+". The whole catalog's
    /// counts are always exact (kept by the projection). A bigger machine can raise it.
    /// </summary>
    public int CountLimit { get; set; } = 1_000;

    public void Validate()
    {
        if (CountLimit is < 100 or > 1_000_000)
            throw new InvalidOperationException($"Catalog:CountLimit must be between 100 and 1,000,000; it is {CountLimit}.");
    }
}

public static class CatalogSetup
{
    /// <summary>The search index's save hook on the site's DbContext, and the job that keeps the facet counts short.</summary>
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        // One interceptor for every context: it keeps its per-save state keyed by context, not in fields.
        var projection = new CatalogIndex.Projection();
        builder.Services.ConfigureDbContext<MarketDb>(o => o.AddInterceptors(projection));
        builder.Services.AddScoped<CatalogFacetCounts.CompactJob>();
        var settings = builder.Configuration.GetSection("Catalog").Get<CatalogSettings>() ?? new CatalogSettings();
        settings.Validate();
        builder.Services.AddSingleton(settings);
        return builder;
    }

    /// <summary>Registers the compaction as a recurring job; registering it again is harmless.</summary>
    public static WebApplication UseCatalog(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<CatalogFacetCounts.CompactJob>(CatalogFacetCounts.CompactJobId, job => job.RunAsync(CancellationToken.None), "* * * * *");
        return app;
    }
}
