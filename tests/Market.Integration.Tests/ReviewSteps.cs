using Market.Domain.Catalog;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Features.Works;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests;

/// <summary>Uploads that the scan holds back, and the copies that make them.</summary>
public static class ReviewSteps
{
    /// <summary>
    /// The picture of <see cref="CreatorSteps.Jpeg"/> <paramref name="variant"/>, resized and re-encoded: other bytes
    /// (so no SHA-256 match), the same picture (so a near match). Variant 2, the grid, keeps the placeholder hash within
    /// 2–4 bits under such edits; the smooth gradient of variant 0 does not (16–22), which is why PDQ replaces it.
    /// </summary>
    public static byte[] ReEncodedCopy(int variant = 2, double scale = 0.75)
    {
        using var image = NetVips.Image.NewFromBuffer(CreatorSteps.Jpeg(variant));
        using var resized = image.Resize(scale);
        return resized.JpegsaveBuffer(q: 70);
    }

    /// <summary>Upload, opt in, offer and submit; returns the work and what the scan decided.</summary>
    public static async Task<(Guid Id, WorkState State)> SubmitAsync(this WebSession creator, MarketAppFactory app, string title, byte[] image)
    {
        var id = await creator.UploadAsync(title, image);
        await creator.ConsentAsync(id);
        await creator.OfferAsync(id);
        await creator.SubmitAsync(id);
        return (id, await app.ScannedStateAsync(id));
    }

    /// <summary>
    /// Puts a ready draft into Scanning without queueing the scan job, then decides it with the given perceptual hash,
    /// as the job will once it computes PDQ: the matching and the policy run exactly as in the job.
    /// </summary>
    public static async Task<WorkState> ScanWithHashAsync(this MarketAppFactory app, Guid workId, string perceptualHash)
    {
        var creatorId = await app.DbAsync(async db =>
        {
            var work = await db.Works.Include(w => w.Offers).Include(w => w.Flags).SingleAsync(w => w.Id == workId);
            work.SubmitForListing(work.CreatorId);
            await db.SaveChangesAsync();
            return work.CreatorId;
        });
        return await app.WithScopeAsync(sp => sp.GetRequiredService<ScanWorkJob>()
            .DecideAsync(workId, Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00000000000000000000000000000000", perceptualHash, null, CancellationToken.None));
    }
}
