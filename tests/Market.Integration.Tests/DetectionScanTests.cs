using Market.Domain.Catalog;
using Market.Domain.Detection;
using Market.Domain.Moderation;
using Market.Integration.Tests.Infrastructure;
using Market.Tests.Shared.Detection;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>
/// The upload scan runs the full detection pipeline against every stored fingerprint: the edits plain PDQ misses
/// (a mirror image, a few degrees of rotation) still quarantine a copy of another account's work, and the case
/// names the edit it undid.
/// </summary>
public sealed class DetectionScanTests(MarketAppFactory app) : IntegrationTest(app)
{
    private const int Seed = 1003;

    [Theory]
    [InlineData(CopyEdit.MirrorHorizontal, "mirrored")]
    [InlineData(CopyEdit.Rotate5, "local features")]
    [InlineData(CopyEdit.Crop80, "")]
    public async Task An_edited_copy_of_another_creators_work_is_quarantined_and_the_case_names_the_edit(CopyEdit edit, string named)
    {
        var ana = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var original = await ana.ListAsync(App, "Estuary", image: DetectionTestSet.Original(Seed));
        var ben = await this.SignUpCreatorAsync("ben@example.test", "Ben Ortiz");

        var (copy, state) = await ben.SubmitAsync(App, "Estuary (mine)", DetectionTestSet.Apply(DetectionTestSet.Original(Seed), edit, Seed));

        state.ShouldBe(WorkState.Quarantined);
        var review = await Db(db => db.ReviewCases.SingleAsync(c => c.WorkId == copy));
        (review.Kind, review.TargetId, review.State).ShouldBe((ReviewCaseKind.WorkMatch, original, ReviewCaseState.Open));
        review.Edit.ShouldContain(named);
        if (review.Distance is { } d) d.ShouldBeLessThanOrEqualTo(PdqHash.MatchThreshold);
        (await Db(db => db.Fingerprints.CountAsync())).ShouldBe(2, "both works keep their fingerprints for later scans");
        (await Db(db => db.Works.SingleAsync(w => w.Id == copy))).PerceptualHash!.Length.ShouldBe(PdqHash.HexLength);
    }

    [Fact]
    public async Task A_different_picture_by_another_creator_is_listed()
    {
        var ana = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        await ana.ListAsync(App, "Estuary", image: DetectionTestSet.Original(Seed));
        var ben = await this.SignUpCreatorAsync("ben@example.test", "Ben Ortiz");

        var (_, state) = await ben.SubmitAsync(App, "Dunes", DetectionTestSet.Original(Seed + 1));

        state.ShouldBe(WorkState.Listed);
        (await Db(db => db.ReviewCases.CountAsync())).ShouldBe(0);
    }
}
