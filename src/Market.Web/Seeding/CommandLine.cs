using System.Security.Cryptography;
using Market.Web.Data;
using Market.Web.Features.Verify;
using Market.Web.Licensing;

namespace Market.Web.Seeding;

/// <summary>The verbs the site's executable answers besides serving: used by infra/run.sh and infra/test.sh.</summary>
public static class CommandLine
{
    /// <summary>
    /// Verbs that need no database or configuration, answered before the site is built:
    /// <c>verify-license MANIFEST PUBLIC-KEY.pem</c> checks a downloaded manifest against the published key, offline;
    /// <c>hash FILE...</c> prints each image's PDQ hash as the server computes it (<see cref="Imaging.PdqImage.HashCommand"/>).
    /// Returns the process exit code, or null when the arguments are not such a verb.
    /// </summary>
    public static async Task<int?> TryRunOfflineAsync(string[] args)
    {
        if (args.FirstOrDefault() == "hash") return Imaging.PdqImage.HashCommand(args[1..], Console.Out, Console.Error);
        if (args.FirstOrDefault() != "verify-license") return null;
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: Market.Web verify-license MANIFEST-FILE PUBLIC-KEY.pem   (the key from /.well-known/license-signing-key.pem)");
            return 2;
        }
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(await File.ReadAllTextAsync(args[2]));
        }
        catch (Exception e) when (e is IOException or ArgumentException or CryptographicException)
        {
            Console.Error.WriteLine($"cannot read the public key {args[2]}: {e.Message}");
            return 2;
        }
        var result = LicenseSigner.Verify(IndexModel.JwsOf(await File.ReadAllTextAsync(args[1])), key);
        if (!result.Valid)
        {
            Console.WriteLine($"NOT VALID: {result.Reason}");
            return 1;
        }
        var m = result.Manifest!;
        Console.WriteLine($"valid: license {m.LicenseId} for {m.Licensee}, issued {m.IssuedAt:yyyy-MM-dd} by {m.Issuer}, {m.Items.Count} item(s)");
        foreach (var i in m.Items)
            Console.WriteLine($"  {i.WorkId}  {i.Title}  {i.Scope} {(i.Commercial ? "commercial" : "non-commercial")} until {i.EndsAt:yyyy-MM-dd}  sha256 {i.FileSha256}");
        return 0;
    }

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
