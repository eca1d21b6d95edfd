namespace Market.Domain.Licensing;

/// <summary>What an API token may do. A token carries only the scopes its admin ticked, so a download script cannot report training runs.</summary>
[Flags]
public enum ApiScopes
{
    None = 0,
    /// <summary><c>licenses:read</c>: list the organisation's licenses, read one, fetch its signed manifest.</summary>
    LicensesRead = 1,
    /// <summary><c>downloads</c>: per-file download links and the whole license as a ZIP.</summary>
    Downloads = 2,
    /// <summary><c>training-runs:write</c>: report a model trained on a license's data.</summary>
    TrainingRunsWrite = 4,
}

/// <summary>The scopes as they are written in requests, pages and the README.</summary>
public static class ApiScope
{
    public const string LicensesRead = "licenses:read";
    public const string Downloads = "downloads";
    public const string TrainingRunsWrite = "training-runs:write";

    public static IReadOnlyList<(ApiScopes Scope, string Name, string Description)> All { get; } =
    [
        (ApiScopes.LicensesRead, LicensesRead, "list licenses, read one, get its signed manifest"),
        (ApiScopes.Downloads, Downloads, "download links for each file and the whole license as a ZIP"),
        (ApiScopes.TrainingRunsWrite, TrainingRunsWrite, "report training runs (the creators are told)"),
    ];

    public static string Name(ApiScopes scope) => All.First(s => s.Scope == scope).Name;

    public static IEnumerable<string> Names(ApiScopes scopes) => All.Where(s => scopes.HasFlag(s.Scope)).Select(s => s.Name);

    /// <summary>Reads scope names as a form or request sends them; an unknown name is refused, not ignored.</summary>
    public static ApiScopes Parse(IEnumerable<string?> names)
    {
        var scopes = ApiScopes.None;
        foreach (var raw in names)
        {
            var name = raw?.Trim();
            if (string.IsNullOrEmpty(name)) continue;
            var known = All.FirstOrDefault(s => s.Name == name);
            if (known.Name is null) throw new DomainException($"\"{Clip(name)}\" is not a scope. The scopes are {string.Join(", ", All.Select(s => s.Name))}.");
            scopes |= known.Scope;
        }
        return scopes;
    }

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "…" : s;
}

/// <summary>
/// A secret an organisation's software uses to call the API on the organisation's behalf. The secret itself is
/// shown once, when it is made; we keep only its SHA-256, so a copy of the database lets no one call the API.
/// A token belongs to the organisation (it sees only that organisation's licenses) and names the admin who made
/// it, so removing that person can revoke it.
/// </summary>
public sealed class ApiToken
{
    public const int MaxNameLength = 100;
    public const int MaxPerOrganisation = 50;
    /// <summary>The longest an expiring token may be given; a token without an end date is allowed but must be chosen.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(2 * 366);
    /// <summary>How stale "last used" may get: writing it on every request would turn every download into a write.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private ApiToken() { Name = null!; CreatedByUserId = null!; SecretHash = null!; Hint = null!; }

    public static ApiToken Issue(Guid id, Guid organisationId, string? name, ApiScopes scopes, string createdByUserId, DateTimeOffset? expiresAt,
        string secretHash, string hint, int activeTokens, DateTimeOffset now)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) throw new DomainException("Name the token after what will use it, e.g. \"training cluster downloads\".");
        if (name.Length > MaxNameLength) throw new DomainException($"The token name must be at most {MaxNameLength} characters.");
        if (scopes == ApiScopes.None) throw new DomainException("Choose at least one thing the token may do.");
        if ((scopes & ~(ApiScopes.LicensesRead | ApiScopes.Downloads | ApiScopes.TrainingRunsWrite)) != 0)
            throw new DomainException("Choose the token's scopes from the list.");
        if (expiresAt is { } end)
        {
            if (end <= now) throw new DomainException("The expiry date must be in the future.");
            if (end - now > MaxLifetime) throw new DomainException("A token can be given at most two years; choose an earlier date or no expiry.");
        }
        if (activeTokens >= MaxPerOrganisation)
            throw new DomainException($"An organisation has at most {MaxPerOrganisation} active tokens. Revoke one you no longer use.");
        if (secretHash.Length != 64) throw new ArgumentException("The secret hash is a SHA-256 in hex.", nameof(secretHash));
        return new ApiToken
        {
            Id = id, OrganisationId = organisationId, Name = name, Scopes = scopes, CreatedByUserId = createdByUserId, CreatedAt = now,
            ExpiresAt = expiresAt, SecretHash = secretHash, Hint = hint,
        };
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Name { get; private set; }
    public ApiScopes Scopes { get; private set; }
    public string CreatedByUserId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public string? RevokedByUserId { get; private set; }
    /// <summary>SHA-256 (hex) of the whole secret: the only way back to the token from a request.</summary>
    public string SecretHash { get; private set; }
    /// <summary>The secret's first characters, so an admin can tell which token a script holds without the secret being kept.</summary>
    public string Hint { get; private set; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);

    public bool Allows(ApiScopes scope) => scope != ApiScopes.None && (Scopes & scope) == scope;

    /// <summary>Whether a use now should be written down (see <see cref="LastUsedResolution"/>).</summary>
    public bool NeedsUsageRecorded(DateTimeOffset now) => LastUsedAt is null || now - LastUsedAt.Value >= LastUsedResolution;

    public void RecordUse(DateTimeOffset now)
    {
        if (NeedsUsageRecorded(now)) LastUsedAt = now;
    }

    /// <summary>Stops the token at once. Revoking twice keeps the first record of who and when.</summary>
    public void Revoke(string userId, DateTimeOffset now)
    {
        if (RevokedAt is not null) return;
        RevokedAt = now;
        RevokedByUserId = userId;
    }
}
