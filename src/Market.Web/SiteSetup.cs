using Market.Web.Features.Payments;
using Market.Web.Features.Works;
using Market.Web.Identity;
using Market.Web.Imaging;
using Market.Web.Jobs;
using Market.Web.Storage;

namespace Market.Web;

/// <summary>Where the site is reached from outside: links in e-mails are built on it, never on a request's Host header.</summary>
public sealed class SiteSettings
{
    public string PublicUrl { get; set; } = "http://127.0.0.1:5080";

    public string Absolute(string path) => PublicUrl.TrimEnd('/') + "/" + path.TrimStart('/');

    public void Validate()
    {
        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query))
            throw new InvalidOperationException($"Site:PublicUrl must be an absolute http(s) URL without a query; it is '{PublicUrl}'.");
    }
}

public static class SiteSetup
{
    public static WebApplicationBuilder AddSite(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Serve Identity UI's Bootstrap and our CSS from build output too, not only in Development.
        builder.WebHost.UseStaticWebAssets();
        services.AddSingleton(TimeProvider.System);
        var site = builder.Configuration.GetSection("Site").Get<SiteSettings>() ?? new SiteSettings();
        site.Validate();
        services.AddSingleton(site);
        services.AddSingleton<ImageInspector>();
        services.AddSingleton<MetadataReader>();

        services.AddRazorPages(o =>
        {
            // Pages live with their slices under Features/, not in a Pages/ folder by technical kind.
            o.RootDirectory = "/Features";
            o.Conventions.AuthorizeFolder("/Works", Policies.Creator);
            o.Conventions.AuthorizeFolder("/Bundles", Policies.Buyer);
            o.Conventions.AuthorizeFolder("/Licenses", Policies.Buyer);
            o.Conventions.AuthorizeFolder("/Payments", Policies.Buyer);
            o.Conventions.AuthorizeFolder("/Finance", Policies.Finance);
            o.Conventions.AuthorizeFolder("/Organisation", Policies.Buyer);
            o.Conventions.AuthorizePage("/Collections/Edit", Policies.Curator);
            // An invitation is opened before the invitee has an account or has joined; the page checks the token.
            o.Conventions.AllowAnonymousToPage("/Organisation/Join");
            o.Conventions.AuthorizeFolder("/Moderation", Policies.Moderator);
            o.Conventions.AuthorizeFolder("/Admin", Policies.Admin);
        });
        services.AddScoped<ScanWorkJob>();
        services.AddScoped<UploadIntake>();
        services.AddScoped<Features.Shares.ShareRequests>();
        services.AddScoped<ConfirmPaymentJob>();
        services.AddScoped<Features.Refunds.ProviderEventsJob>();
        services.AddScoped<Features.Licenses.ExpiryJob>();
        return builder;
    }

    public static WebApplication UseSite(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error");
        app.UseSecurityHeaders();
        app.UseStatusCodePagesWithReExecute("/Status/{0}");
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseTwoFactorGate();
        app.UseAuthorization();
        app.MapStaticAssets();
        app.MapRazorPages();
        app.MapHealthChecks("/health");
        app.MapPreviews();
        app.MapStripeWebhook();
        app.UseJobsDashboard();
        return app;
    }
}
