using Market.Web;
using Market.Web.Data;
using Market.Web.Delivery;
using Market.Web.Detection;
using Market.Web.Features.Api;
using Market.Web.Features.Catalog;
using Market.Web.Features.Licenses;
using Market.Web.Features.Payouts;
using Market.Web.Identity;
using Market.Web.Jobs;
using Market.Web.Ledger;
using Market.Web.Licensing;
using Market.Web.Mediation;
using Market.Web.Notifications;
using Market.Web.Notifications.Email;
using Market.Web.Payments;
using Market.Web.Seeding;
using Market.Web.Storage;

if (await CommandLine.TryRunOfflineAsync(args) is { } exitCode) return exitCode;
if (args is ["match", ..]) return MatchCommand.Run(args[1..], Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
builder.AddMarketDatabase()
    .AddMarketIdentity()
    .AddMediation()
    .AddJobs()
    .AddPayments()
    .AddLedger()
    .AddPayouts()
    .AddStorage()
    .AddMail()
    .AddNotifications()
    .AddLicensing()
    .AddDelivery()
    .AddApiAuthentication()
    .AddCatalog()
    .AddDetection()
    .AddSite();

var app = builder.Build();
// `migrate` and `seed-demo` run and exit; with no verb the site serves.
if (await CommandLine.TryRunAsync(app, args)) return 0;
app.UseSite().UseNotifications().UseLicenseExpiry().UseLedger().UseCatalog().UseDetection().MapLicenseKeys().MapMarketApi();
app.Run();
return 0;

public partial class Program;
