using System.Net;
using Market.Domain.Catalog;
using Market.Web.Seeding;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests.Infrastructure;

/// <summary>The creator's part of the journey, step by step through the pages.</summary>
public static class CreatorSteps
{
    public static byte[] Jpeg(int variant = 0) => DemoSeeder.GenerateImage(variant, 320, 200);

    /// <summary>Uploads one image as the page's script does, then gives it a title on the edit page.</summary>
    public static async Task<Guid> UploadAsync(this WebSession creator, string title, byte[]? image = null, string fileName = "work.jpg")
    {
        var (status, results) = await creator.UploadFilesAsync((image ?? Jpeg(), fileName, "image/jpeg"));
        status.ShouldBe(HttpStatusCode.OK, results.FirstOrDefault()?.Error);
        var id = results.ShouldHaveSingleItem().WorkId!.Value;
        await creator.DescribeAsync(id, title);
        return id;
    }

    public static async Task DescribeAsync(this WebSession creator, Guid workId, string title, string description = "A test work.", string tags = "")
    {
        var response = await creator.SubmitAsync($"/Works/Edit/{workId}", new Dictionary<string, string> { ["Title"] = title, ["Description"] = description, ["Tags"] = tags });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
    }

    public static async Task ConsentAsync(this WebSession creator, Guid workId)
    {
        var response = await creator.SubmitAsync($"/Works/Consent/{workId}", new Dictionary<string, string> { ["Agree"] = "true" });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
    }

    public static async Task OfferAsync(this WebSession creator, Guid workId, string price = "49.00", string currency = "EUR")
    {
        var response = await creator.SubmitAsync($"/Works/Offer/{workId}", new Dictionary<string, string> { ["Price"] = price, ["Currency"] = currency });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
    }

    public static async Task SubmitAsync(this WebSession creator, Guid workId)
    {
        var response = await creator.SubmitAsync($"/Works/Details/{workId}", new Dictionary<string, string>(), handler: "Submit");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
    }

    /// <summary>Waits for the Hangfire scan job to decide, and returns the state it decided on.</summary>
    public static async Task<WorkState> ScannedStateAsync(this MarketAppFactory app, Guid workId)
    {
        WorkState state = WorkState.Scanning;
        await Wait.UntilAsync(async () =>
        {
            state = await app.DbAsync(db => db.Works
                .Where(w => w.Id == workId).Select(w => w.State).FirstAsync());
            return state != WorkState.Scanning;
        }, $"the scan job decided on work {workId}");
        return state;
    }

    /// <summary>Upload, opt in, offer and submit; returns once the scan job has listed the work.</summary>
    public static async Task<Guid> ListAsync(this WebSession creator, MarketAppFactory app, string title, string price = "49.00", byte[]? image = null)
    {
        var id = await creator.UploadAsync(title, image);
        await creator.ConsentAsync(id);
        await creator.OfferAsync(id, price);
        await creator.SubmitAsync(id);
        (await app.ScannedStateAsync(id)).ShouldBe(WorkState.Listed);
        return id;
    }
}
