using Hangfire;
using Market.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Catalog;

public static class CatalogSetup
{
    /// <summary>The search index's save hook on the site's DbContext, and the job that keeps the facet counts short.</summary>
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        // One interceptor for every context: it keeps its per-save state keyed by context, not in fields.
        var projection = new CatalogIndex.Projection();
        builder.Services.ConfigureDbContext<MarketDb>(o => o.AddInterceptors(projection));
        builder.Services.AddScoped<CatalogFacetCounts.CompactJob>();
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
