using System.Security.Claims;
using Market.Domain.Licensing;
using Market.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Market.Web.Identity;

public static class IdentitySetup
{
    /// <summary>Set on the cookie when the account has two-factor authentication enabled.</summary>
    public const string TwoFactorClaim = "market:2fa";

    /// <summary>
    /// Shared with the design-time factory: the store options (schema version) shape the EF model, so the
    /// migrations must be made with exactly the options the site runs with.
    /// </summary>
    public static void ConfigureIdentity(IdentityOptions o)
    {
        // Length over composition rules (NIST SP 800-63B): a long passphrase beats "Passw0rd!".
        o.Password.RequiredLength = 10;
        o.Password.RequiredUniqueChars = 4;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireDigit = false;
        o.User.RequireUniqueEmail = true;
        o.SignIn.RequireConfirmedAccount = false;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
    }

    public static WebApplicationBuilder AddMarketIdentity(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddDefaultIdentity<MarketUser>(ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<MarketDb>()
            .AddClaimsPrincipalFactory<MarketClaimsFactory>();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Identity/Account/Login";
            o.AccessDeniedPath = "/Identity/Account/AccessDenied";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // The cookie carries the organisation and its role. Validating it on every request re-reads the account and
        // rebuilds its claims (a few primary-key reads), so a member an admin removes loses the organisation's pages
        // at their next click, and a promoted member gains admin pages, without signing in again.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Creator, p => p.RequireRole(Roles.Creator))
            .AddPolicy(Policies.Buyer, p => p.RequireRole(Roles.Buyer).RequireClaim(OrganisationClaim))
            // Creators curate bundles of their own works; the marketplace's admins (with 2FA) curate any.
            .AddPolicy(Policies.Curator, p => p.RequireAssertion(c => c.User.IsInRole(Roles.Creator)
                || (c.User.IsInRole(Roles.Admin) && c.User.HasClaim(x => x.Type == TwoFactorClaim))))
            .AddPolicy(Policies.OrganisationAdmin, p => p.RequireRole(Roles.Buyer).RequireClaim(OrganisationClaim)
                .RequireClaim(OrganisationRoleClaim, nameof(OrganisationRole.Admin)))
            // The staff policies ask for the 2FA claim too, so a page stays shut even if the gate is bypassed.
            .AddPolicy(Policies.Finance, p => p.RequireRole(Roles.Finance).RequireClaim(TwoFactorClaim))
            .AddPolicy(Policies.Moderator, p => p.RequireRole(Roles.Moderator).RequireClaim(TwoFactorClaim))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin).RequireClaim(TwoFactorClaim));
        return builder;
    }

    public const string OrganisationClaim = "market:org";
    public const string OrganisationRoleClaim = "market:orgrole";

    /// <summary>Sends an account of a staff role without 2FA to set it up before anything else.</summary>
    public static IApplicationBuilder UseTwoFactorGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true
            && Roles.RequireTwoFactor.Any(user.IsInRole)
            && !user.HasClaim(c => c.Type == TwoFactorClaim)
            && !IsAllowedBeforeTwoFactor(context.Request.Path))
        {
            context.Response.Redirect("/Identity/Account/Manage/EnableAuthenticator");
            return;
        }
        await next();
    });

    private static bool IsAllowedBeforeTwoFactor(PathString path) =>
        path.StartsWithSegments("/Identity/Account/Manage/EnableAuthenticator")
        || path.StartsWithSegments("/Identity/Account/Manage/ShowRecoveryCodes")
        || path.StartsWithSegments("/Identity/Account/Logout")
        || path.StartsWithSegments("/Identity/lib")
        || path.StartsWithSegments("/css")
        || path.StartsWithSegments("/health");

    public static string? OrganisationId(this ClaimsPrincipal user) => user.FindFirstValue(OrganisationClaim);
    public static bool IsOrganisationAdmin(this ClaimsPrincipal user) => user.HasClaim(OrganisationRoleClaim, nameof(OrganisationRole.Admin));
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in.");
}

/// <summary>Adds the organisation and the 2FA state to the cookie, refreshed at every sign-in and 2FA change.</summary>
public sealed class MarketClaimsFactory(UserManager<MarketUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<MarketUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(MarketUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.OrganisationId is { } org)
        {
            identity.AddClaim(new Claim(IdentitySetup.OrganisationClaim, org.ToString()));
            identity.AddClaim(new Claim(IdentitySetup.OrganisationRoleClaim, (user.OrganisationRole ?? OrganisationRole.Member).ToString()));
        }
        if (await UserManager.GetTwoFactorEnabledAsync(user)) identity.AddClaim(new Claim(IdentitySetup.TwoFactorClaim, "true"));
        if (!string.IsNullOrEmpty(user.DisplayName)) identity.AddClaim(new Claim("market:name", user.DisplayName));
        return identity;
    }
}
