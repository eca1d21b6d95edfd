using System.Net;
using Market.Integration.Tests.Infrastructure;

namespace Market.Integration.Tests;

public static class BuyerSteps
{
    public static async Task AddToBundleAsync(this WebSession buyer, Guid workId)
    {
        var page = await buyer.PageAsync($"/Catalog/Details/{workId}");
        var offerId = page.QuerySelector("input[name=offerId]")!.GetAttribute("value")!;
        var response = await buyer.SubmitAsync($"/Catalog/Details/{workId}", new Dictionary<string, string> { ["offerId"] = offerId }, handler: "Add");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
    }

    /// <summary>The page of the buyer's most recently changed bundle, as linked from the bundles list.</summary>
    public static async Task<string> CurrentBundleAsync(this WebSession buyer)
    {
        var list = await buyer.PageAsync("/Bundles");
        return list.QuerySelector("[data-testid=bundle] a")?.GetAttribute("href") ?? throw new InvalidOperationException("The buyer has no bundle.");
    }

    /// <summary>Checks out the current bundle and returns the response: a redirect to the payment page, or the bundle page with an error.</summary>
    public static async Task<HttpResponseMessage> CheckoutAsync(this WebSession buyer) =>
        await buyer.SubmitAsync(await buyer.CurrentBundleAsync(), new Dictionary<string, string>(), handler: "Checkout");

    /// <summary>Pays on the built-in test provider's page and returns the license id it redirects to.</summary>
    public static async Task<Guid> PayWithTestProviderAsync(this WebSession buyer, string paymentPage)
    {
        var response = await buyer.SubmitAsync(paymentPage, new Dictionary<string, string>(), handler: "Pay");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
        var location = response.Headers.Location!.OriginalString;
        location.ShouldStartWith("/Licenses/Details/");
        return Guid.Parse(location.Split('/')[^1]);
    }
}
