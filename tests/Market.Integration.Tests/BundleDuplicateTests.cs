using System.Net;
using Market.Domain.Detection;
using Market.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>Near-duplicates inside a bundle are shown before checkout and removed in one click.</summary>
public sealed class BundleDuplicateTests(MarketAppFactory app) : IntegrationTest(app)
{
    private static readonly PdqHash Harbour = new(0x0123456789abcdef, 0xfedcba9876543210, 0x0f0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0);

    /// <summary>The PDQ hasher is not wired into the scan yet; the stored hash is set as it will be.</summary>
    private Task SetHashAsync(Guid workId, PdqHash hash) =>
        Db(db => db.Works.Where(w => w.Id == workId).ExecuteUpdateAsync(s => s.SetProperty(w => w.PerceptualHash, hash.ToHex())));

    [Fact]
    public async Task The_buyer_sees_near_duplicates_and_removes_all_but_the_first_added()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test");
        var original = await creator.ListAsync(App, "Harbour");
        var crop = await creator.ListAsync(App, "Harbour, cropped", image: CreatorSteps.Jpeg(5));
        var fields = await creator.ListAsync(App, "Fields", image: CreatorSteps.Jpeg(7));
        await SetHashAsync(original, Harbour);
        await SetHashAsync(crop, Harbour with { W2 = Harbour.W2 ^ 0b1011 });
        await SetHashAsync(fields, new PdqHash(~Harbour.W0, ~Harbour.W1, ~Harbour.W2, ~Harbour.W3));

        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab One");
        foreach (var id in new[] { original, crop, fields }) await buyer.AddToBundleAsync(id);
        var bundleUrl = await buyer.CurrentBundleAsync();
        var page = await buyer.PageAsync(bundleUrl);
        var group = page.QuerySelectorAll("[data-testid=duplicate-group]").ShouldHaveSingleItem();
        group.TextContent.ShouldContain("Harbour (kept)");
        group.TextContent.ShouldContain("distance ≤ 3");
        page.Text("[data-testid=checkout-duplicates]").ShouldContain("1 near-duplicate");

        // Another organisation cannot touch it, and a stale page removes nothing.
        var rival = await this.SignUpBuyerAsync("di@rival.test", "Rival Lab");
        var fingerprint = page.QuerySelector("input[name=fingerprint]")!.GetAttribute("value")!;
        var foreign = await rival.PostWithTokenAsync($"{bundleUrl}?handler=RemoveDuplicates", "/Bundles", new() { ["fingerprint"] = fingerprint });
        foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var stale = await buyer.PostWithTokenAsync($"{bundleUrl}?handler=RemoveDuplicates", "/Bundles", new() { ["fingerprint"] = new string('0', 64) });
        (await WebSession.ParseAsync(stale)).Errors().ShouldContain("changed since you opened it");
        (await Db(db => db.Bundles.Include(b => b.Items).SingleAsync(b => b.OrganisationId != Guid.Empty && b.Items.Count > 0))).Items.Count.ShouldBe(3);

        var removed = await buyer.SubmitAsync(bundleUrl, new Dictionary<string, string>(), "RemoveDuplicates");
        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(removed)).Errors());
        var items = await Db(db => db.Bundles.SelectMany(b => b.Items).Select(i => i.WorkId).ToListAsync());
        items.ShouldBe([original, fields], ignoreOrder: true);
        var after = await buyer.PageAsync(bundleUrl);
        after.QuerySelectorAll("[data-testid=duplicate-group]").ShouldBeEmpty();
        after.QuerySelector("[data-testid=checkout-duplicates]").ShouldBeNull();
    }
}
