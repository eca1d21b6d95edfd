namespace Market.Web.Delivery;

public static class DeliverySetup
{
    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Delivery").Get<DeliverySettings>() ?? new DeliverySettings();
        // Checked now, so a short signing key stops start-up instead of the first download.
        settings.Validate();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<DeliveryLinks>();
        builder.Services.AddSingleton<DeliveredFiles>();
        builder.Services.AddSingleton<LicenseArchive>();
        return builder;
    }
}
