using Market.Billing.Payments;

namespace Market.Web.Payments;

public sealed class PaymentSettings
{
    /// <summary>"test" (the built-in test provider, the default) or "stripe".</summary>
    public string Provider { get; set; } = PaymentProviders.Test;
    public StripeSettings Stripe { get; set; } = new();

    /// <summary>
    /// The site's public address (https://market.example.org), for the links a provider sends buyers back to.
    /// Required for Stripe: behind a proxy the request's Host is not ours to trust or may be an internal name.
    /// </summary>
    public string? PublicUrl { get; set; }

    public string ReturnBaseUrl(HttpRequest request) =>
        string.IsNullOrWhiteSpace(PublicUrl) ? $"{request.Scheme}://{request.Host}" : PublicUrl.TrimEnd('/');
}

public static class PaymentsSetup
{
    public static WebApplicationBuilder AddPayments(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Payments").Get<PaymentSettings>() ?? new PaymentSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(settings.Stripe);
        switch (settings.Provider)
        {
            case PaymentProviders.Test:
                builder.Services.AddSingleton<IPaymentGateway, TestPaymentGateway>();
                break;
            case PaymentProviders.Stripe:
                if (string.IsNullOrWhiteSpace(settings.Stripe.SecretKey))
                    throw new InvalidOperationException("Payments:Provider is stripe but Payments:Stripe:SecretKey is not set.");
                if (!Uri.TryCreate(settings.PublicUrl, UriKind.Absolute, out _))
                    throw new InvalidOperationException("Payments:Provider is stripe but Payments:PublicUrl (the site's public https address) is not set.");
                builder.Services.AddHttpClient("stripe");
                builder.Services.AddSingleton(sp =>
                    StripePaymentGateway.Create(settings.Stripe, sp.GetRequiredService<IHttpClientFactory>().CreateClient("stripe")));
                break;
            default:
                throw new InvalidOperationException($"Unknown Payments:Provider '{settings.Provider}'; use test or stripe.");
        }
        builder.Services.AddSingleton<StripeWebhookReader>();
        return builder;
    }
}
