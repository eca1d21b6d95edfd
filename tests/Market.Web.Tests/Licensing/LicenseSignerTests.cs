using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Market.Web.Licensing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Market.Web.Tests.Licensing;

public sealed class LicenseSignerTests
{
    private static readonly LicenseManifest Manifest = new(LicenseManifest.CurrentFormat, Guid.NewGuid(), Guid.NewGuid(), "Lab Inc",
        new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), "https://market.example", "https://market.example/Verify/x",
        [new LicenseManifestItem(Guid.NewGuid(), "Harbour", "Ana Lima", "Bay Press Ltd", "Ana Lima (creator, 60%); Bay Press Ltd (copyright owner, 40%)",
            new string('a', 64), "GenerativeTraining", true, 12, false, true, "DeleteData", 30,
            new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 11, 23, 10, 0, 0, TimeSpan.Zero), 4900, "EUR")]);

    private static LicenseSigner NewSigner() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    [Fact]
    public void A_signed_manifest_verifies_with_the_published_public_key_alone_and_carries_the_same_facts()
    {
        using var signer = NewSigner();
        var jws = signer.Sign(Manifest);

        using var published = ECDsa.Create();
        published.ImportFromPem(signer.PublicKeyPem);
        var result = LicenseSigner.Verify(jws, published);

        result.Valid.ShouldBeTrue(result.Reason);
        result.Manifest!.Items.Single().RightsHolders.ShouldBe(Manifest.Items[0].RightsHolders);
        result.Manifest.LicenseId.ShouldBe(Manifest.LicenseId);
    }

    [Fact]
    public void Changing_one_character_of_the_payload_breaks_the_signature()
    {
        using var signer = NewSigner();
        var parts = signer.Sign(Manifest).Split('.');
        var payload = Encoding.UTF8.GetString(LicenseSigner.FromBase64Url(parts[1]));
        var tampered = payload.Replace("\"termMonths\":12", "\"termMonths\":120");
        tampered.ShouldNotBe(payload);
        var forged = $"{parts[0]}.{LicenseSigner.Base64Url(Encoding.UTF8.GetBytes(tampered))}.{parts[2]}";

        var result = signer.Verify(forged);

        result.Valid.ShouldBeFalse();
        result.Reason!.ShouldContain("signature does not match");
    }

    [Fact]
    public void A_manifest_signed_by_another_key_is_refused()
    {
        using var ours = NewSigner();
        using var theirs = NewSigner();
        ours.Verify(theirs.Sign(Manifest)).Valid.ShouldBeFalse();
        ours.KeyId.ShouldNotBe(theirs.KeyId);
    }

    [Theory]
    [InlineData("{\"alg\":\"none\"}")]
    [InlineData("{\"alg\":\"HS256\"}")]
    [InlineData("{}")]
    public void A_header_naming_another_algorithm_is_refused_before_any_check(string header)
    {
        using var signer = NewSigner();
        var parts = signer.Sign(Manifest).Split('.');
        var result = signer.Verify($"{LicenseSigner.Base64Url(Encoding.UTF8.GetBytes(header))}.{parts[1]}.{parts[2]}");
        result.Valid.ShouldBeFalse();
        result.Reason.ShouldBe("The manifest is not signed with ES256.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("!!!.###.$$$")]
    public void Garbage_is_refused_with_a_reason_not_an_exception(string text)
    {
        using var signer = NewSigner();
        signer.Verify(text).Valid.ShouldBeFalse();
    }

    [Fact]
    public void The_jwk_publishes_the_same_key_as_the_pem()
    {
        using var signer = NewSigner();
        using var jwk = JsonDocument.Parse(signer.PublicJwk);
        var root = jwk.RootElement;
        root.GetProperty("kty").GetString().ShouldBe("EC");
        root.GetProperty("crv").GetString().ShouldBe("P-256");
        root.GetProperty("kid").GetString().ShouldBe(signer.KeyId);
        using var fromJwk = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = LicenseSigner.FromBase64Url(root.GetProperty("x").GetString()!), Y = LicenseSigner.FromBase64Url(root.GetProperty("y").GetString()!) },
        });
        LicenseSigner.Verify(signer.Sign(Manifest), fromJwk).Valid.ShouldBeTrue();
    }

    [Fact]
    public void Without_a_configured_key_one_is_generated_once_and_reused()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"keys-{Guid.NewGuid():N}");
        try
        {
            var settings = new LicenseSigningSettings { KeyFile = Path.Combine(folder, "k.pem") };
            using var first = new LicenseSigner(LicenseSigner.LoadOrCreate(settings, "/", NullLogger.Instance));
            using var second = new LicenseSigner(LicenseSigner.LoadOrCreate(settings, "/", NullLogger.Instance));
            second.KeyId.ShouldBe(first.KeyId);
            if (!OperatingSystem.IsWindows())
                File.GetUnixFileMode(settings.KeyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the private key is readable by its owner only");

            using var configured = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var fromConfig = new LicenseSigner(LicenseSigner.LoadOrCreate(
                new LicenseSigningSettings { PrivateKeyPem = configured.ExportPkcs8PrivateKeyPem(), KeyFile = settings.KeyFile }, "/", NullLogger.Instance));
            fromConfig.KeyId.ShouldNotBe(first.KeyId, "a configured key wins over the local file");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class VerifyLicenseVerbTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("verify-verb").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_site_executable_checks_a_manifest_offline_against_a_public_key_file()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = new LicenseSigner(ECDsa.Create(key.ExportParameters(true)));
        var manifest = new LicenseManifest(LicenseManifest.CurrentFormat, Guid.NewGuid(), Guid.NewGuid(), "Lab Inc", DateTimeOffset.UnixEpoch,
            "https://market.example", "https://market.example/Verify/x", []);
        var file = Path.Combine(_folder, "license.manifest.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { jws = signer.Sign(manifest) }));
        var pem = Path.Combine(_folder, "key.pem");
        await File.WriteAllTextAsync(pem, signer.PublicKeyPem);
        var otherPem = Path.Combine(_folder, "other.pem");
        using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256)) await File.WriteAllTextAsync(otherPem, other.ExportSubjectPublicKeyInfoPem());

        (await Market.Web.Seeding.CommandLine.TryRunOfflineAsync(["verify-license", file, pem])).ShouldBe(0);
        (await Market.Web.Seeding.CommandLine.TryRunOfflineAsync(["verify-license", file, otherPem])).ShouldBe(1);
        (await Market.Web.Seeding.CommandLine.TryRunOfflineAsync(["verify-license", file])).ShouldBe(2);
        (await Market.Web.Seeding.CommandLine.TryRunOfflineAsync(["migrate"])).ShouldBeNull();
    }
}
