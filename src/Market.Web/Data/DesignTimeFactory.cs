using Market.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Market.Web.Data;

/// <summary>
/// Lets `dotnet ef migrations add` build the model without starting the site (which needs a live database).
/// Identity's store options shape the model, so they are registered exactly as the site does. Adding a
/// migration never connects; the connection string is only a shape.
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MarketDb>
{
    public MarketDb CreateDbContext(string[] args)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<MarketDb>(o => o.UseNpgsql("Host=localhost;Database=design_time_only",
            npgsql => npgsql.MigrationsHistoryTable("__ef_migrations", MarketDb.Schema)));
        services.AddIdentityCore<MarketUser>(IdentitySetup.ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<MarketDb>();
        return services.BuildServiceProvider().GetRequiredService<MarketDb>();
    }
}
