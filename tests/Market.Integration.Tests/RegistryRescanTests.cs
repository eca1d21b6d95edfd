using System.Net;
using Market.Domain.Catalog;
using Market.Domain.Moderation;
using Market.Integration.Tests.Infrastructure;
using Market.Tests.Shared.Detection;
using Market.Web.Detection;
using Market.Web.Imaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests;

/// <summary>
/// A work listed before its owner registered it: the upload scan could not know, so the nightly catalog re-scan
/// (all pairs on the GPU matcher) and the re-check after an upheld claim find it and send it to review.
/// </summary>
public sealed partial class RegistryTests
{
    private async Task<(Guid Work, string CreatorId)> ListedBeforeRegistrationAsync(int seed)
    {
        var ben = await this.SignUpCreatorAsync("ben@example.test", "Ben Ortiz");
        var bytes = DetectionTestSet.Original(seed);
        var work = await ben.ListAsync(App, "Harbour at dawn", image: bytes);

        // The holder hashes the picture on their own machine with the `hash` verb and registers the hash only.
        var path = Path.Combine(Path.GetTempPath(), $"holder-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(path, bytes);
        var pdq = PdqImage.Hash(path);
        File.Delete(path);
        var moderator = await ModeratorAsync();
        var holder = await ApprovedRegistrantAsync(Mei, moderator);
        (await holder.SubmitAsync("/Registry/Entries", new Dictionary<string, string> { ["Lines"] = $"{pdq.Hash.ToHex()},{pdq.Quality},harbour.jpg" }, handler: "Hashes"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return (work, await Db(db => db.Works.Where(w => w.Id == work).Select(w => w.CreatorId).SingleAsync()));
    }

    [Fact]
    public async Task The_nightly_rescan_quarantines_a_listed_work_that_a_later_registry_entry_protects_once()
    {
        var (work, _) = await ListedBeforeRegistrationAsync(1005);

        var opened = await App.WithScopeAsync(sp => sp.GetRequiredService<CatalogRescanJob>().RunNightlyAsync(CancellationToken.None));

        opened.ShouldBe(1);
        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.Quarantined);
        var review = await Db(db => db.ReviewCases.SingleAsync());
        (review.WorkId, review.Kind, review.TargetId).ShouldBe((work, ReviewCaseKind.ProtectedWorkMatch, await Db(db => db.ProtectedWorks.Select(p => p.Id).SingleAsync())));
        review.Distance!.Value.ShouldBeLessThanOrEqualTo(31);
        (await Db(db => db.AuditEntries.SingleAsync(a => a.SubjectId == review.Id))).Detail.ShouldStartWith("Re-scan:");
        (await App.WithScopeAsync(sp => sp.GetRequiredService<CatalogRescanJob>().RunNightlyAsync(CancellationToken.None)))
            .ShouldBe(0, "a pair already under review is left alone");
        (await Db(db => db.ReviewCases.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task The_recheck_after_an_upheld_claim_runs_the_full_pipeline_over_the_creators_listed_works()
    {
        var (work, creatorId) = await ListedBeforeRegistrationAsync(1006);
        var other = await this.SignUpCreatorAsync("cy@example.test", "Cy Park");
        var unrelated = await other.ListAsync(App, "Unrelated", image: DetectionTestSet.Original(1007));

        (await App.WithScopeAsync(sp => sp.GetRequiredService<CatalogRescanJob>().RecheckCreatorAsync(creatorId, CancellationToken.None))).ShouldBe(1);

        (await Db(db => db.Works.SingleAsync(w => w.Id == work))).State.ShouldBe(WorkState.Quarantined);
        (await Db(db => db.Works.SingleAsync(w => w.Id == unrelated))).State.ShouldBe(WorkState.Listed, "only the creator's works are re-checked");
        (await Db(db => db.ReviewCases.SingleAsync())).Kind.ShouldBe(ReviewCaseKind.ProtectedWorkMatch);
    }
}
