using Market.Domain.Detection;
using Market.Tests.Shared.Detection;
using Market.Web.Detection;
using NetVips;

namespace Market.Web.Tests.Detection;

public sealed class DetectionPipelineTests
{
    private static readonly byte[][] Originals = Enumerable.Range(0, 6).Select(DetectionTestSet.Original).ToArray();

    private static DetectionCatalog Catalog()
    {
        var catalog = new DetectionCatalog();
        for (var i = 0; i < Originals.Length; i++) catalog.Add($"work-{i}", DetectionPipeline.Fingerprint(Originals[i]));
        return catalog;
    }

    private static DetectionMatch? Best(DetectionCatalog catalog, int original, CopyEdit edit) =>
        catalog.FindBest(DetectionPipeline.Fingerprint(DetectionTestSet.Apply(Originals[original], edit, original)));

    [Theory]
    [InlineData(CopyEdit.MirrorHorizontal, "mirrored")]
    [InlineData(CopyEdit.Rotate90, "rotated 90° clockwise")]
    [InlineData(CopyEdit.Border10, "border")]
    [InlineData(CopyEdit.Jpeg30, "near-identical")]
    public void A_hash_match_names_the_edit_it_undid(CopyEdit edit, string name)
    {
        var match = Best(Catalog(), 2, edit);

        match.ShouldNotBeNull();
        match.EntryId.ShouldBe("work-2");
        match.Distance!.Value.ShouldBeLessThanOrEqualTo(PdqHash.MatchThreshold);
        match.Edit.ShouldBe(name);
    }

    [Fact]
    public void A_copy_rotated_a_few_degrees_is_found_by_local_features_with_its_angle()
    {
        var match = Best(Catalog(), 3, CopyEdit.Rotate5);

        match.ShouldNotBeNull();
        match.EntryId.ShouldBe("work-3");
        match.Distance.ShouldBeNull();
        match.Inliers!.Value.ShouldBeGreaterThan(16);
        match.Edit.ShouldStartWith("local features + rotated ");
        match.Edit.ShouldEndWith("5°");
    }

    [Fact]
    public void An_image_that_is_not_in_the_catalog_matches_nothing()
    {
        var catalog = Catalog();
        var stranger = DetectionPipeline.Fingerprint(DetectionTestSet.Original(900));

        catalog.FindBest(stranger).ShouldBeNull();
        catalog.FindAll(stranger).ShouldBeEmpty();
    }

    [Fact]
    public void A_hash_only_entry_matches_on_its_hash_and_is_never_verified_by_features()
    {
        var full = DetectionPipeline.Fingerprint(Originals[1]);
        var whole = full.Hashes.First(h => h.View == HashView.Whole && h.Dihedral == 0);
        var catalog = new DetectionCatalog();
        catalog.Add("registry-1", ImageFingerprint.OfHash(whole.Hash, whole.Quality));

        catalog.FindBest(DetectionPipeline.Fingerprint(DetectionTestSet.Apply(Originals[1], CopyEdit.Scale50, 1)))!
            .EntryId.ShouldBe("registry-1");
        // A 5° turn moves the hash too far, and without pixels there is nothing to verify.
        catalog.FindBest(DetectionPipeline.Fingerprint(DetectionTestSet.Apply(Originals[1], CopyEdit.Rotate5, 1))).ShouldBeNull();
    }

    [Fact]
    public void A_flat_image_has_low_quality_and_takes_part_in_no_hash_match()
    {
        using var flat = Image.Black(400, 300, bands: 3).Linear([1.0], [128.0]).Cast(Enums.BandFormat.Uchar);
        var print = DetectionPipeline.Fingerprint(flat);
        var catalog = new DetectionCatalog();
        catalog.Add("flat", print);

        print.Quality.ShouldBeLessThan(PdqHash.MinimumQuality);
        // Identical hashes, but the product rule discards quality below 50, and a flat image has no keypoints.
        catalog.FindBest(print).ShouldBeNull();
    }

    [Fact]
    public void A_uniform_frame_is_trimmed_and_an_image_without_one_is_left_whole()
    {
        var luma = new float[100 * 80];
        Array.Fill(luma, 255f);
        for (var y = 10; y < 70; y++)
            for (var x = 12; x < 88; x++)
                luma[y * 100 + x] = (x * 7 + y * 3) % 200;

        DetectionPipeline.TrimRectangle(luma, 100, 80).ShouldBe((12, 10, 76, 60));

        // Uniform on one side only (a sky above a landscape) is not a frame.
        for (var y = 10; y < 80; y++)
            for (var x = 0; x < 100; x++)
                luma[y * 100 + x] = (x * 7 + y * 3) % 200;
        DetectionPipeline.TrimRectangle(luma, 100, 80).ShouldBe((0, 0, 100, 80));
    }
}
