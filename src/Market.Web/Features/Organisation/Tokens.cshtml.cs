using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Features.Api;
using Market.Web.Identity;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Organisation;

/// <summary>The organisation's API tokens: an admin makes one (its secret shown once), sees when each was last used, and revokes.</summary>
[Authorize(Policy = Policies.OrganisationAdmin)]
public sealed class TokensModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Row> Tokens { get; private set; } = [];

    /// <summary>The secret of the token just made. It is in this one response and nowhere else, ever.</summary>
    public string? NewSecret { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public List<string> Scopes { get; set; } = [];
    [BindProperty] public DateOnly? ExpiresOn { get; set; }

    private Guid OrganisationId => Guid.Parse(User.OrganisationId()!);

    public async Task OnGetAsync(CancellationToken ct) => Tokens = await mediator.Send(new Query(OrganisationId), ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        try
        {
            var created = await mediator.Send(new Create(OrganisationId, User.UserId(), Name, ApiScope.Parse(Scopes), ExpiresOn), ct);
            NewSecret = created.Secret;
            (Name, Scopes, ExpiresOn) = (null, [], null);
            ModelState.Clear();
            // The page holding the secret must not be kept by the browser or anything in between.
            Response.Headers.CacheControl = "no-store";
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        Tokens = await mediator.Send(new Query(OrganisationId), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid tokenId, CancellationToken ct)
    {
        var name = await mediator.Send(new Revoke(OrganisationId, tokenId, User.UserId()), ct);
        if (name is null) return NotFound();
        TempData["Flash"] = $"Token “{name}” revoked. Calls with it are refused from now on.";
        return RedirectToPage();
    }

    public sealed record Row(Guid Id, string Name, string Hint, ApiScopes Scopes, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
        DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Active);

    public sealed record Query(Guid OrganisationId) : IRequest<IReadOnlyList<Row>>;

    internal sealed class QueryHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async Task<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct)
        {
            var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.OrganisationId == request.OrganisationId)
                .OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
            var names = await db.DisplayNamesAsync(tokens.Select(t => t.CreatedByUserId), ct);
            var now = clock.GetUtcNow();
            return tokens.Select(t => new Row(t.Id, t.Name, t.Hint, t.Scopes, names.GetValueOrDefault(t.CreatedByUserId, "a former member"), t.CreatedAt,
                t.ExpiresAt, t.LastUsedAt, t.RevokedAt, t.IsActive(now))).ToList();
        }
    }

    public sealed record Created(Guid Id, string Secret);

    public sealed record Create(Guid OrganisationId, string UserId, string? Name, ApiScopes Scopes, DateOnly? ExpiresOn) : ICommand<Created>;

    internal sealed class CreateHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Create, Created>
    {
        public async Task<Created> Handle(Create request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var active = await db.ApiTokens.CountAsync(t => t.OrganisationId == request.OrganisationId && t.RevokedAt == null
                                                            && (t.ExpiresAt == null || t.ExpiresAt > now), ct);
            // A date picked in the form is the last day the token works, to its end in UTC.
            DateTimeOffset? expiresAt = request.ExpiresOn is { } day ? new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
            var (secret, hash, hint) = ApiTokens.New();
            var token = ApiToken.Issue(Guid.CreateVersion7(now), request.OrganisationId, request.Name, request.Scopes, request.UserId, expiresAt,
                hash, hint, active, now);
            db.ApiTokens.Add(token);
            return new Created(token.Id, secret);
        }
    }

    /// <summary>Revokes one of the organisation's tokens; returns its name, or null when the organisation has no such token.</summary>
    public sealed record Revoke(Guid OrganisationId, Guid TokenId, string UserId) : ICommand<string?>;

    internal sealed class RevokeHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Revoke, string?>
    {
        public async Task<string?> Handle(Revoke request, CancellationToken ct)
        {
            var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == request.TokenId && t.OrganisationId == request.OrganisationId, ct);
            token?.Revoke(request.UserId, clock.GetUtcNow());
            return token?.Name;
        }
    }
}
