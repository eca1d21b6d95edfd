using System.Security.Cryptography;
using System.Text;
using Market.Web.Data;
using Market.Web.Licensing;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Api;

/// <summary>Making, recognising and revoking API token secrets.</summary>
public static class ApiTokens
{
    /// <summary>Every secret starts with this, so secret scanners and people can tell what a leaked string is.</summary>
    public const string Prefix = "mkt_";
    /// <summary>"mkt_" and 43 base64url characters (32 random bytes).</summary>
    public const int SecretLength = 47;

    /// <summary>A new secret (shown once), its SHA-256 (stored) and its hint (shown in the list).</summary>
    public static (string Secret, string Hash, string Hint) New()
    {
        var secret = Prefix + LicenseSigner.Base64Url(RandomNumberGenerator.GetBytes(32));
        return (secret, Hash(secret), secret[..(Prefix.Length + 4)]);
    }

    // A salt would buy nothing: the secret is 256 random bits, not a password anyone could guess or look up.
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool LooksLikeSecret(string? value) =>
        value is { Length: SecretLength } && value.StartsWith(Prefix, StringComparison.Ordinal)
        && value.AsSpan(Prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;

    /// <summary>
    /// Revokes every active token <paramref name="createdByUserId"/> made for the organisation: what the
    /// organisation admin's "remove member" command calls, inside its own transaction (nothing is saved here; the
    /// unit of work commits it with the removal). Returns how many were revoked.
    /// </summary>
    public static async Task<int> RevokeCreatedByAsync(MarketDb db, Guid organisationId, string createdByUserId, string revokedByUserId,
        DateTimeOffset now, CancellationToken ct)
    {
        var tokens = await db.ApiTokens
            .Where(t => t.OrganisationId == organisationId && t.CreatedByUserId == createdByUserId && t.RevokedAt == null)
            .ToListAsync(ct);
        foreach (var token in tokens) token.Revoke(revokedByUserId, now);
        return tokens.Count;
    }
}
