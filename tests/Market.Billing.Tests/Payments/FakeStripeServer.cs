using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Market.Billing.Tests.Payments;

public sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Form,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Just enough of the Stripe API on a loopback Kestrel port for Stripe.net to talk to: it records every
/// request (form body and headers) and answers checkout session creation with a canned reply.
/// </summary>
public sealed class FakeStripeServer : IAsyncLifetime
{
    public const string SessionId = "cs_test_123";
    public const string SessionUrl = "https://checkout.stripe.test/c/pay/cs_test_123";

    private static readonly string SessionJson = $$"""
        {
          "id": "{{SessionId}}",
          "object": "checkout.session",
          "url": "{{SessionUrl}}",
          "mode": "payment",
          "status": "open",
          "payment_status": "unpaid",
          "livemode": false,
          "created": 1714521600,
          "expires_at": 1714608000
        }
        """;

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;
    private volatile Reply _reply = new(StatusCodes.Status200OK, SessionJson);

    private sealed record Reply(int StatusCode, string Json);

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Forgets what was received and goes back to answering with a fresh session.</summary>
    public void Reset()
    {
        _requests.Clear();
        _reply = new Reply(StatusCodes.Status200OK, SessionJson);
    }

    public void ReplyWith(int statusCode, string json) => _reply = new Reply(statusCode, json);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType
            ? (await request.ReadFormAsync(context.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new RecordedRequest(request.Method, request.Path.Value ?? "", form, headers));

        var reply = request is { Method: "POST", Path.Value: "/v1/checkout/sessions" }
            ? _reply
            : new Reply(StatusCodes.Status404NotFound,
                JsonSerializer.Serialize(new { error = new { type = "invalid_request_error", message = $"Unrecognized request URL ({request.Method}: {request.Path})." } }));
        context.Response.StatusCode = reply.StatusCode;
        context.Response.ContentType = "application/json";
        context.Response.Headers["Request-Id"] = "req_fake_1";
        await context.Response.WriteAsync(reply.Json, context.RequestAborted);
    }
}
