using Market.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace Market.Web.Seeding;

public static class RoleSeeder
{
    /// <summary>The roles are part of the schema, not demo data: every install has all five.</summary>
    public static async Task EnsureRolesAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
    }
}
