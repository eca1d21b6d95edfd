using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests.Infrastructure;

/// <summary>
/// The site configured for Stripe, talking to a local fake Stripe API on Kestrel. It runs no Hangfire server
/// of its own (Jobs:Role = web): the other instance in the collection runs the jobs, as a worker would.
/// </summary>
public sealed class StripeAppFactory : MarketAppFactory
{
    private WebApplication? _fakeStripe;

    public ConcurrentQueue<IFormCollection> CheckoutRequests { get; } = new();
    public ConcurrentQueue<string> ExpiredSessions { get; } = new();
    /// <summary>Sessions the fake treats as already paid: Stripe refuses to expire those.</summary>
    public ConcurrentDictionary<string, bool> PaidSessions { get; } = new();
    public string FakeStripeUrl { get; private set; } = "";
    public const string PublicUrl = "https://market.example.test";

    public override async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _fakeStripe = builder.Build();
        _fakeStripe.MapPost("/v1/checkout/sessions", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            CheckoutRequests.Enqueue(form);
            var id = $"cs_test_{form["client_reference_id"].ToString().Replace("-", "")}";
            return Results.Text($$"""{"id":"{{id}}","object":"checkout.session","url":"https://checkout.stripe.test/pay/{{id}}","mode":"payment"}""", "application/json");
        });
        _fakeStripe.MapPost("/v1/checkout/sessions/{id}/expire", (string id) =>
        {
            if (PaidSessions.ContainsKey(id))
                return Results.Text("""{"error":{"type":"invalid_request_error","message":"Only Checkout Sessions with a status in [\"open\"] can be expired."}}""",
                    "application/json", statusCode: 400);
            ExpiredSessions.Enqueue(id);
            return Results.Text($$"""{"id":"{{id}}","object":"checkout.session","status":"expired"}""", "application/json");
        });
        await _fakeStripe.StartAsync();
        FakeStripeUrl = _fakeStripe.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await base.InitializeAsync();
    }

    protected override void Configure(IWebHostBuilder builder)
    {
        base.Configure(builder);
        builder.UseSetting("Payments:Provider", "stripe");
        builder.UseSetting("Payments:Stripe:SecretKey", "sk_test_fake_for_tests");
        builder.UseSetting("Payments:Stripe:ApiBase", FakeStripeUrl);
        builder.UseSetting("Payments:PublicUrl", PublicUrl);
        builder.UseSetting("Jobs:Role", "web");
        // One projection daemon per test database: MarketAppFactory's, which pauses it around each reset.
        builder.UseSetting("Ledger:Daemon", "Disabled");
    }

    public override async Task DisposeAsync()
    {
        if (_fakeStripe is not null) await _fakeStripe.DisposeAsync();
        await base.DisposeAsync();
    }
}
