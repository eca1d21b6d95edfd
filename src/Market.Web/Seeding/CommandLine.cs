using Market.Web.Data;

namespace Market.Web.Seeding;

/// <summary>The verbs the site's executable answers besides serving: used by infra/run.sh and infra/test.sh.</summary>
public static class CommandLine
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "migrate":
                await DatabaseSetup.MigrateAsync(app.Services);
                await RoleSeeder.EnsureRolesAsync(app.Services);
                Console.WriteLine("Database is up to date.");
                return true;
            case "seed-demo":
                await DemoSeeder.SeedAsync(app.Services, Console.Out);
                return true;
            default:
                return false;
        }
    }
}
