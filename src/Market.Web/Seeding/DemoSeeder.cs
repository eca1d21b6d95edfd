using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using Market.Web.Areas.Identity.Pages.Account;
using Market.Web.Data;
using Market.Web.Features.Works;
using Market.Web.Identity;
using Market.Web.Imaging;
using Market.Web.Storage;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NetVips;

namespace Market.Web.Seeding;

/// <summary>
/// The demo: a creator with a few listed works (images generated here), a buyer organisation, and finance
/// and admin staff with two-factor authentication. It goes through the same commands and scan job as the
/// site, so the demo cannot drift from what the site does. Idempotent: a second run only prints the logins.
/// </summary>
public static class DemoSeeder
{
    public const string CreatorEmail = "creator@demo.test";
    public const string BuyerEmail = "buyer@demo.test";
    public const string FinanceEmail = "finance@demo.test";
    public const string AdminEmail = "admin@demo.test";
    public const string ModeratorEmail = "moderator@demo.test";
    public const string Password = "demo-password-2026";

    private static readonly (string Title, string Description, long PriceMinor)[] Works =
    [
        ("Harbour at dawn", "Generated study of warm light over water.", 4900),
        ("Forest rings", "Concentric ring pattern in greens.", 2900),
        ("Night grid", "A cool, geometric grid at night.", 7500),
    ];

    public static async Task SeedAsync(IServiceProvider services, TextWriter output)
    {
        await RoleSeeder.EnsureRolesAsync(services);
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var users = sp.GetRequiredService<UserManager<MarketUser>>();
        var mediator = sp.GetRequiredService<IMediator>();

        var creator = await users.FindByEmailAsync(CreatorEmail)
            ?? await mediator.Send(new RegisterModel.Command("Ada Demo", CreatorEmail, Password, RegisterModel.AccountKind.Creator, null));
        // Checked by works, not by account: a run stopped half-way still ends with the demo catalog.
        if (!await sp.GetRequiredService<MarketDb>().Works.AnyAsync(w => w.CreatorId == creator.Id))
            await SeedWorksAsync(sp, creator);
        if (await users.FindByEmailAsync(BuyerEmail) is null)
            await mediator.Send(new RegisterModel.Command("Bo Buyer", BuyerEmail, Password, RegisterModel.AccountKind.Buyer, "Demo AI Lab"));

        var financeKey = await EnsureStaffAsync(users, FinanceEmail, "Fin Ance", Roles.Finance);
        var adminKey = await EnsureStaffAsync(users, AdminEmail, "Ad Min", Roles.Admin);
        var moderatorKey = await EnsureStaffAsync(users, ModeratorEmail, "Mo Derator", Roles.Moderator);

        output.WriteLine();
        output.WriteLine("Demo logins (password for all: " + Password + ")");
        output.WriteLine($"  creator  {CreatorEmail}");
        output.WriteLine($"  buyer    {BuyerEmail}   (organisation: Demo AI Lab)");
        output.WriteLine($"  finance  {FinanceEmail} (2FA: authenticator key {financeKey})");
        output.WriteLine($"  admin    {AdminEmail}   (2FA: authenticator key {adminKey})");
        output.WriteLine($"  moderator {ModeratorEmail} (2FA: authenticator key {moderatorKey})");
        output.WriteLine("  Staff accounts need a 6-digit code: add the key to an authenticator app, or run `oathtool --totp -b KEY`.");
        output.WriteLine();
    }

    private static async Task<string> EnsureStaffAsync(UserManager<MarketUser> users, string email, string name, string role)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new MarketUser { UserName = email, Email = email, DisplayName = name, EmailConfirmed = true };
            Check(await users.CreateAsync(user, Password));
            Check(await users.AddToRoleAsync(user, role));
            Check(await users.ResetAuthenticatorKeyAsync(user));
            Check(await users.SetTwoFactorEnabledAsync(user, true));
        }
        return await users.GetAuthenticatorKeyAsync(user) ?? "";
    }

    private static async Task SeedWorksAsync(IServiceProvider sp, MarketUser creator)
    {
        var mediator = sp.GetRequiredService<IMediator>();
        var intake = sp.GetRequiredService<UploadIntake>();
        var scan = sp.GetRequiredService<ScanWorkJob>();
        for (var i = 0; i < Works.Length; i++)
        {
            var (title, description, price) = Works[i];
            UploadOutcome outcome;
            using (var jpeg = new MemoryStream(GenerateImage(i)))
                outcome = await intake.AcceptAsync(creator.Id, $"demo-{i + 1}.jpg", jpeg, CancellationToken.None);
            var id = outcome.WorkId ?? throw new InvalidOperationException($"Demo image {i + 1} was refused: {outcome.Error}");
            await mediator.Send(new EditModel.Command(id, creator.Id, title, description, "", WorkMedium.DigitalArt, 2026));
            await mediator.Send(new ConsentModel.Command([id], [title], creator.Id, true, ConsentText.CurrentVersion, "127.0.0.1", "demo seeder"));
            await mediator.Send(new OfferModel.Command(id, creator.Id, LicenseTerms.OneYearGenerative, Price.Create(price, "EUR")));
            await mediator.Send(new DetailsModel.Submit(id, creator.Id));
            await scan.RunAsync(id, CancellationToken.None);
        }
    }

    /// <summary>Distinct, deterministic pictures made with libvips arithmetic: no bundled assets, no network.</summary>
    public static byte[] GenerateImage(int variant, int width = 1200, int height = 800)
    {
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        Image r, g, b;
        switch (variant % 3)
        {
            case 0: // warm vertical gradient with a horizon band
                r = x * 0 + 255 - y * (120.0 / height);
                g = y * (160.0 / height) + 40;
                b = (x * (200.0 / width)).Math(Enums.OperationMath.Sin) * 40 + y * (200.0 / height);
                break;
            case 1: // concentric rings
                {
                    using var dx = x - width / 2.0;
                    using var dy = y - height / 2.0;
                    using var d = (dx * dx + dy * dy).Pow(0.5);
                    using var rings = (d * (360.0 / 40)).Math(Enums.OperationMath.Sin);
                    r = rings * 30 + 40;
                    g = rings * 80 + 140;
                    b = rings * 20 + 60;
                }
                break;
            default: // grid
                {
                    using var gx = (x * (360.0 / 60)).Math(Enums.OperationMath.Sin);
                    using var gy = (y * (360.0 / 60)).Math(Enums.OperationMath.Sin);
                    using var grid = gx * gy;
                    r = grid * 40 + 30;
                    g = grid * 60 + 50;
                    b = grid * 100 + 140;
                }
                break;
        }
        using (r) using (g) using (b)
        using (var rgb = r.Bandjoin(g, b))
        using (var clipped = rgb.Cast(Enums.BandFormat.Uchar))
        using (var srgb = clipped.Copy(interpretation: Enums.Interpretation.Srgb))
            return srgb.JpegsaveBuffer(q: 90);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
