using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Market.Web.Features.Api;

/// <summary>
/// Bearer-token authentication for /api, as its own scheme: the site's cookie never authenticates an API call
/// (so no form on another site can make one; API calls need no antiforgery token), and an API token never opens
/// a page. Each scope is a policy.
/// </summary>
public static class ApiAuthentication
{
    public const string Scheme = "ApiToken";
    public const string TokenClaim = "market:token";
    public const string ScopeClaim = "market:scope";

    public static class Policies
    {
        public const string LicensesRead = "api:" + ApiScope.LicensesRead;
        public const string Downloads = "api:" + ApiScope.Downloads;
        public const string TrainingRunsWrite = "api:" + ApiScope.TrainingRunsWrite;

        public static string ScopeOf(string? policy) => policy is { } p && p.StartsWith("api:", StringComparison.Ordinal) ? p[4..] : "";
    }

    public static WebApplicationBuilder AddApiAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(Scheme, null);
        var authorization = builder.Services.AddAuthorizationBuilder();
        foreach (var (_, name, _) in ApiScope.All)
            authorization.AddPolicy("api:" + name, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(ScopeClaim, name));
        return builder;
    }

    public static Guid TokenId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(TokenClaim) ?? throw new InvalidOperationException("Not an API call."));
}

/// <summary>
/// Finds the token by the SHA-256 of the presented secret (a lookup by hash: nothing to time), and refuses it when
/// revoked, expired, its organisation gone, or its maker no longer a member of it. Last use is written at most
/// once a minute, by a conditional update, so a download script does not turn every call into a write.
/// </summary>
internal sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    MarketDb db, TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        if (!ApiTokens.LooksLikeSecret(header.Parameter)) return AuthenticateResult.Fail("This is not a marketplace API token.");

        var hash = ApiTokens.Hash(header.Parameter!);
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.SecretHash == hash)
            .Select(t => new
            {
                Token = t,
                OrganisationExists = db.Organisations.Any(o => o.Id == t.OrganisationId),
                MakerIsMember = db.Users.Any(u => u.Id == t.CreatedByUserId && u.OrganisationId == t.OrganisationId),
            })
            .FirstOrDefaultAsync(Context.RequestAborted);
        var now = clock.GetUtcNow();
        if (found is null) return AuthenticateResult.Fail("This token is not known.");
        var token = found.Token;
        if (token.RevokedAt is not null) return AuthenticateResult.Fail("This token has been revoked.");
        if (!token.IsActive(now)) return AuthenticateResult.Fail("This token has expired.");
        if (!found.OrganisationExists) return AuthenticateResult.Fail("This token's organisation no longer exists.");
        if (!found.MakerIsMember) return AuthenticateResult.Fail("The person who made this token is no longer a member of the organisation.");

        if (token.NeedsUsageRecorded(now))
        {
            var staleBefore = now - ApiToken.LastUsedResolution;
            await db.ApiTokens.Where(t => t.Id == token.Id && (t.LastUsedAt == null || t.LastUsedAt <= staleBefore))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, token.CreatedByUserId),
            new(IdentitySetup.OrganisationClaim, token.OrganisationId.ToString()),
            new(ApiAuthentication.TokenClaim, token.Id.ToString()),
            .. ApiScope.Names(token.Scopes).Select(s => new Claim(ApiAuthentication.ScopeClaim, s)),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiAuthentication.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ApiAuthentication.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure?.Message ?? "Send an API token: Authorization: Bearer mkt_…";
        Response.Headers.WWWAuthenticate = result.Failure is null
            ? "Bearer realm=\"marketplace\""
            : $"Bearer realm=\"marketplace\", error=\"invalid_token\", error_description=\"{reason.Replace("\"", "'")}\"";
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not authenticated", detail: reason).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var policy = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
        var scope = ApiAuthentication.Policies.ScopeOf(policy);
        return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
            detail: scope.Length > 0 ? $"This token lacks the scope \"{scope}\". An organisation admin can make one that has it." : "This token may not do this.")
            .ExecuteAsync(Context);
    }
}
