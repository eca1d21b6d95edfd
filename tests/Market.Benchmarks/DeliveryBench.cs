using System.Diagnostics;
using Market.Billing.Payments;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using Market.Web;
using Market.Web.Areas.Identity.Pages.Account;
using Market.Web.Data;
using Market.Web.Delivery;
using Market.Web.Features.Api;
using Market.Web.Features.Organisation;
using Market.Web.Features.Payments;
using Market.Web.Features.Works;
using Market.Web.Identity;
using Market.Web.Jobs;
using Market.Web.Licensing;
using Market.Web.Mediation;
using Market.Web.Notifications;
using Market.Web.Notifications.Email;
using Market.Web.Payments;
using Market.Web.Seeding;
using Market.Web.Storage;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// <c>seed-license FILE...</c>: makes a license holding the given files, for infra/bench-delivery.sh to download.
/// It composes the site's own services (same configuration: MARKET_DB, Storage__Root; run it from
/// src/Market.Web so relative paths match the site) and goes through the same commands a person would: a creator
/// uploads each file (the upload check decodes it), describes it, opts it in, offers it and submits it; the scan
/// job lists it; a buyer organisation bundles them all, checks out and pays with the test provider; its admin
/// makes an API token. Prints <c>LICENSE id</c> and <c>TOKEN secret</c> lines for the script.
/// </summary>
internal static class DeliveryBench
{
    public const string CreatorEmail = "bench-creator@bench.test";
    public const string BuyerEmail = "bench-buyer@bench.test";

    public static async Task<int> SeedLicenseAsync(string[] files)
    {
        if (files.Length == 0 || files.Any(f => !File.Exists(f)))
        {
            Console.Error.WriteLine("usage: seed-license FILE...   (every file must exist; run from src/Market.Web with MARKET_DB and Storage__Root set)");
            return 2;
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        // The site's composition (Program.cs), without serving.
        builder.AddMarketDatabase().AddMarketIdentity().AddMediation().AddJobs().AddPayments().AddStorage().AddMail().AddNotifications()
            .AddLicensing().AddDelivery().AddApiAuthentication().AddSite();
        await using var app = builder.Build();
        await RoleSeeder.EnsureRolesAsync(app.Services);

        var watch = Stopwatch.StartNew();
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var mediator = sp.GetRequiredService<IMediator>();
        var users = sp.GetRequiredService<UserManager<MarketUser>>();
        const string password = "bench-password-2026";
        var creator = await users.FindByEmailAsync(CreatorEmail)
            ?? await mediator.Send(new RegisterModel.Command("Bench Creator", CreatorEmail, password, RegisterModel.AccountKind.Creator, null));
        var buyer = await users.FindByEmailAsync(BuyerEmail)
            ?? await mediator.Send(new RegisterModel.Command("Bench Buyer", BuyerEmail, password, RegisterModel.AccountKind.Buyer, "Bench AI Lab"));
        var organisation = buyer.OrganisationId!.Value;

        var intake = sp.GetRequiredService<UploadIntake>();
        var scan = sp.GetRequiredService<ScanWorkJob>();
        var db = sp.GetRequiredService<MarketDb>();
        var works = new List<Guid>();
        foreach (var file in files)
        {
            var title = Path.GetFileNameWithoutExtension(file);
            UploadOutcome outcome;
            await using (var content = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
                outcome = await intake.AcceptAsync(creator.Id, Path.GetFileName(file), content, CancellationToken.None);
            var id = outcome.WorkId ?? throw new InvalidOperationException($"{file} was refused: {outcome.Error}");
            await mediator.Send(new EditModel.Command(id, creator.Id, title, "Benchmark image.", "", WorkMedium.DigitalArt, 2026));
            await mediator.Send(new ConsentModel.Command([id], [title], creator.Id, true, ConsentText.CurrentVersion, "127.0.0.1", "bench"));
            await mediator.Send(new OfferModel.Command(id, creator.Id, LicenseTerms.OneYearGenerative, Price.Create(1000, "EUR")));
            await mediator.Send(new Market.Web.Features.Works.DetailsModel.Submit(id, creator.Id));
            await scan.RunAsync(id, CancellationToken.None);
            var state = await db.Works.Where(w => w.Id == id).Select(w => new { w.State, w.RejectionReason }).SingleAsync();
            if (state.State != WorkState.Listed) throw new InvalidOperationException($"{file} was not listed: {state.State} {state.RejectionReason}");
            works.Add(id);
            Console.Error.WriteLine($"listed {Path.GetFileName(file)} ({new FileInfo(file).Length / 1048576.0:N0} MiB) after {watch.Elapsed.TotalSeconds:N0} s");
        }

        Guid? bundleId = null;
        foreach (var id in works)
        {
            var offer = await db.LicenseOffers.Where(o => o.WorkId == id && o.Active).Select(o => o.Id).FirstAsync();
            bundleId = await mediator.Send(new Market.Web.Features.Catalog.DetailsModel.AddToBundle(id, offer, organisation, buyer.Id, bundleId));
        }
        var orderId = await mediator.Send(new Market.Web.Features.Bundles.DetailsModel.PlaceOrder(bundleId!.Value, organisation, buyer.Id, PaymentProviders.Test));
        var order = await mediator.Send(new Market.Web.Features.Bundles.DetailsModel.OrderForPayment(orderId));
        var licenseId = await mediator.Send(new ConfirmPayment.Command(new PaymentConfirmation(PaymentProviders.Test, $"bench_evt_{order.Id:N}", order.Id,
            order.ProviderSessionId ?? "", order.TotalMinor, order.Currency, $"bench_pi_{order.Id:N}")));
        var token = await mediator.Send(new TokensModel.Create(organisation, buyer.Id, $"bench {DateTime.UtcNow:O}",
            ApiScopes.LicensesRead | ApiScopes.Downloads, null));

        Console.WriteLine($"LICENSE {licenseId}");
        Console.WriteLine($"TOKEN {token.Secret}");
        Console.Error.WriteLine($"license {licenseId} with {works.Count} works made in {watch.Elapsed.TotalSeconds:N0} s");
        return 0;
    }
}
