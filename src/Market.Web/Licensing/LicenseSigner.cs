using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Market.Web.Licensing;

public sealed class LicenseSigningSettings
{
    /// <summary>The marketplace's ECDSA P-256 private key, PEM. Production sets it from the environment (Licensing__PrivateKeyPem).</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Where a single-machine install keeps a key it generated for itself when none is configured.</summary>
    public string KeyFile { get; set; } = "App_Data/keys/license-signing.pem";
}

/// <summary>
/// Signs license manifests as compact JWS (ES256: ECDSA P-256 with SHA-256, the signature as r‖s), so anyone can
/// check one with the published public key and any JOSE library, or with this site's `verify-license` verb,
/// offline. The key id is derived from the public key, so a manifest names the key that signed it.
/// </summary>
public sealed class LicenseSigner : IDisposable
{
    public const string MediaType = "market-license+jws";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ECDsa _key;

    public LicenseSigner(ECDsa key)
    {
        if (key.KeySize != 256) throw new ArgumentException("The license signing key must be ECDSA P-256.", nameof(key));
        _key = key;
        var spki = key.ExportSubjectPublicKeyInfo();
        KeyId = Base64Url(SHA256.HashData(spki))[..16];
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        var p = key.ExportParameters(includePrivateParameters: false);
        PublicJwk = JsonSerializer.Serialize(new { kty = "EC", crv = "P-256", x = Base64Url(p.Q.X!), y = Base64Url(p.Q.Y!), kid = KeyId, use = "sig", alg = "ES256" });
    }

    public string KeyId { get; }
    public string PublicKeyPem { get; }
    public string PublicJwk { get; }

    public string Sign(LicenseManifest manifest)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", typ = MediaType, kid = KeyId }, Json));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(manifest, Json));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    /// <summary>Checks a compact JWS against a public key; returns the manifest it carries, or why it is refused.</summary>
    public static Verification Verify(string jws, ECDsa publicKey)
    {
        var parts = jws.Trim().Split('.');
        if (parts.Length != 3) return Verification.Refused("This is not a signed license manifest (expected three dot-separated parts).");
        try
        {
            using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
            // Only the one algorithm we sign with: "none" or an HMAC header never reaches the check below.
            if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.GetString() != "ES256")
                return Verification.Refused("The manifest is not signed with ES256.");
            var signature = FromBase64Url(parts[2]);
            if (!publicKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature, HashAlgorithmName.SHA256,
                    DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                return Verification.Refused("The signature does not match: the manifest was changed, or another key signed it.");
            var manifest = JsonSerializer.Deserialize<LicenseManifest>(FromBase64Url(parts[1]), Json);
            return manifest is null ? Verification.Refused("The manifest is empty.") : new Verification(true, manifest, null);
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException)
        {
            return Verification.Refused("The manifest is damaged and cannot be read.");
        }
    }

    public Verification Verify(string jws) => Verify(jws, _key);

    public static ECDsa LoadOrCreate(LicenseSigningSettings settings, string contentRoot, ILogger logger)
    {
        var key = ECDsa.Create();
        if (!string.IsNullOrWhiteSpace(settings.PrivateKeyPem))
        {
            key.ImportFromPem(settings.PrivateKeyPem);
            return key;
        }
        var path = Path.GetFullPath(Path.Combine(contentRoot, settings.KeyFile));
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        // A single-machine install signs with a key of its own; several web nodes must share one from configuration.
        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        logger.LogWarning("No Licensing:PrivateKeyPem configured: generated a license signing key at {Path}. Configure one for production.", path);
        return key;
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    public void Dispose() => _key.Dispose();
}

public sealed record Verification(bool Valid, LicenseManifest? Manifest, string? Reason)
{
    public static Verification Refused(string reason) => new(false, null, reason);
}
