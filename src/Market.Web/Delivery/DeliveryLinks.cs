using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Market.Web.Licensing;
using Microsoft.AspNetCore.DataProtection;

namespace Market.Web.Delivery;

public sealed class DeliverySettings
{
    /// <summary>
    /// Key for the HMAC-SHA256 that signs download links (<c>Delivery:UrlSigningKey</c>, at least 32 characters,
    /// from the environment). Several web nodes must share it. Without it the links are protected with ASP.NET Data
    /// Protection, whose keys this site keeps in the database, so they work across nodes too.
    /// </summary>
    public string? UrlSigningKey { get; set; }

    /// <summary>How long a download link works. Short: a leaked link is worth little, and scripts ask for fresh ones.</summary>
    public int LinkMinutes { get; set; } = 15;

    public void Validate()
    {
        if (UrlSigningKey is { } key && key.Trim().Length < 32)
            throw new InvalidOperationException("Delivery:UrlSigningKey must be at least 32 characters (or unset, to use Data Protection).");
        if (LinkMinutes is < 1 or > 24 * 60) throw new InvalidOperationException("Delivery:LinkMinutes must be between 1 and 1440.");
    }
}

/// <summary>What a download link grants: one work of one license, for one organisation, through one API token, until a time.</summary>
public sealed record FileGrant(Guid LicenseId, Guid WorkId, Guid OrganisationId, Guid TokenId, DateTimeOffset ExpiresAt);

public enum LinkStatus
{
    Valid,
    /// <summary>Malformed, changed, or signed with another key.</summary>
    Invalid,
    Expired,
}

public sealed record LinkCheck(LinkStatus Status, FileGrant? Grant);

/// <summary>
/// Signs and checks download links. A link is <c>payload.mac</c> in base64url: the payload holds the license,
/// work, organisation and token ids and the expiry; the MAC covers all of it, so changing any id or the time
/// breaks the link. The link is checked before anything is looked up, and the download re-checks the license
/// itself (still the organisation's, item still deliverable, token still active), so a valid link to something
/// recalled since still gets nothing.
/// </summary>
public sealed class DeliveryLinks
{
    private const byte Version = 1;
    private const int PayloadLength = 1 + 16 * 4 + 8;

    private readonly byte[]? _key;
    private readonly IDataProtector? _protector;

    public DeliveryLinks(DeliverySettings settings, IDataProtectionProvider dataProtection)
    {
        settings.Validate();
        LinkLifetime = TimeSpan.FromMinutes(settings.LinkMinutes);
        if (!string.IsNullOrWhiteSpace(settings.UrlSigningKey)) _key = Encoding.UTF8.GetBytes(settings.UrlSigningKey.Trim());
        else _protector = dataProtection.CreateProtector("Market.Delivery.FileLinks.v1");
    }

    public TimeSpan LinkLifetime { get; }

    public string Sign(FileGrant grant)
    {
        var payload = Payload(grant);
        return $"{LicenseSigner.Base64Url(payload)}.{LicenseSigner.Base64Url(Mac(payload))}";
    }

    public LinkCheck Check(string? link, DateTimeOffset now)
    {
        var parts = link?.Split('.');
        if (parts is not { Length: 2 } || parts[0].Length > 200 || parts[1].Length > 400) return new LinkCheck(LinkStatus.Invalid, null);
        byte[] payload, mac;
        try
        {
            payload = LicenseSigner.FromBase64Url(parts[0]);
            mac = LicenseSigner.FromBase64Url(parts[1]);
        }
        catch (FormatException)
        {
            return new LinkCheck(LinkStatus.Invalid, null);
        }
        if (payload.Length != PayloadLength || payload[0] != Version || !Verify(payload, mac)) return new LinkCheck(LinkStatus.Invalid, null);

        var grant = new FileGrant(new Guid(payload.AsSpan(1, 16)), new Guid(payload.AsSpan(17, 16)), new Guid(payload.AsSpan(33, 16)),
            new Guid(payload.AsSpan(49, 16)), DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(65))));
        return new LinkCheck(now >= grant.ExpiresAt ? LinkStatus.Expired : LinkStatus.Valid, grant);
    }

    private static byte[] Payload(FileGrant grant)
    {
        var payload = new byte[PayloadLength];
        payload[0] = Version;
        grant.LicenseId.TryWriteBytes(payload.AsSpan(1, 16));
        grant.WorkId.TryWriteBytes(payload.AsSpan(17, 16));
        grant.OrganisationId.TryWriteBytes(payload.AsSpan(33, 16));
        grant.TokenId.TryWriteBytes(payload.AsSpan(49, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(65), grant.ExpiresAt.ToUnixTimeSeconds());
        return payload;
    }

    // With a configured key: HMAC-SHA256. Without: Data Protection's authenticated encryption of the payload's
    // SHA-256; it cannot be made without the key ring, and unprotecting proves it was made here.
    private byte[] Mac(byte[] payload) => _key is not null ? HMACSHA256.HashData(_key, payload) : _protector!.Protect(SHA256.HashData(payload));

    private bool Verify(byte[] payload, byte[] mac)
    {
        if (_key is not null) return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payload), mac);
        try
        {
            return CryptographicOperations.FixedTimeEquals(_protector!.Unprotect(mac), SHA256.HashData(payload));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
