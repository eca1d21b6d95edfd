using System.Net;
using Market.Domain.Licensing;
using Market.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>Bundles: private or shared in the organisation, intended use and conflicts, curated bundles, renewal.</summary>
public sealed class BundleTests(MarketAppFactory app) : IntegrationTest(app)
{
    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}@lab.test";

    /// <summary>An admin and a colleague who joined through an invitation, in one organisation.</summary>
    private async Task<(WebSession Admin, WebSession Colleague)> TeamAsync()
    {
        var admin = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        var email = Unique("dana");
        var colleague = await this.SignUpThroughAsync(await admin.InviteAsync(App, email), email, "Dana");
        return (admin, colleague);
    }

    [Fact]
    public async Task A_private_bundle_is_hidden_from_colleagues_until_shared_then_they_can_edit_and_check_it_out()
    {
        var creator = await this.SignUpCreatorAsync(Unique("ana"), "Ana Lima");
        var first = await creator.ListAsync(App, "Harbour at dusk");
        var second = await creator.ListAsync(App, "Harbour at dawn", image: CreatorSteps.Jpeg(1));
        var (admin, colleague) = await TeamAsync();
        await admin.AddToBundleAsync(first);
        var bundlePath = await admin.CurrentBundleAsync();

        (await colleague.GetAsync(bundlePath)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await colleague.PageAsync("/Bundles")).QuerySelectorAll("[data-testid=bundle]").Length.ShouldBe(0);
        var sneaky = await colleague.PostWithTokenAsync(bundlePath + "?handler=Checkout", "/Bundles");
        sneaky.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await colleague.PostWithTokenAsync(bundlePath + "?handler=Share", "/Bundles", new() { ["share"] = "true" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var rename = await admin.SubmitAsync(bundlePath, new Dictionary<string, string> { ["Name"] = "Coastal set v1" }, handler: "Rename");
        rename.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(rename)).Errors());
        var share = await admin.SubmitAsync(bundlePath, new Dictionary<string, string>(), handler: "Share");
        share.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(share)).Errors());

        (await colleague.PageAsync("/Bundles")).Text("[data-testid=bundle]").ShouldContain("Coastal set v1");
        (await Db(db => db.Notifications.CountAsync(n => n.Subject.Contains("shared the bundle")))).ShouldBe(1);
        // The colleague adds a work to the shared bundle (it is their most recent one) and pays for it.
        await colleague.AddToBundleAsync(second);
        var page = await colleague.PageAsync(bundlePath);
        page.QuerySelectorAll("[data-testid=bundle-item]").Length.ShouldBe(2);
        page.Text("[data-testid=total]").ShouldBe("98.00 EUR");
        // Only the author decides who sees it.
        page.QuerySelector("form[action*='handler=Share']").ShouldBeNull();
        var unshare = await colleague.PostWithTokenAsync(bundlePath + "?handler=Share", "/Bundles", new() { ["share"] = "false" });
        (await WebSession.ParseAsync(unshare)).Errors().ShouldContain("Only the person who made this bundle");

        var checkout = await colleague.SubmitAsync(bundlePath, new Dictionary<string, string>(), handler: "Checkout");
        var licenseId = await colleague.PayWithTestProviderAsync(checkout.Headers.Location!.OriginalString);
        (await admin.GetAsync($"/Licenses/Details/{licenseId}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the license belongs to the organisation");
    }

    [Fact]
    public async Task Another_organisation_cannot_see_or_change_a_bundle_even_when_it_is_shared()
    {
        var creator = await this.SignUpCreatorAsync(Unique("ana"), "Ana Lima");
        var work = await creator.ListAsync(App, "Harbour at dusk");
        var buyer = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        await buyer.AddToBundleAsync(work);
        var bundlePath = await buyer.CurrentBundleAsync();
        await buyer.SubmitAsync(bundlePath, new Dictionary<string, string>(), handler: "Share");

        var other = await this.SignUpBuyerAsync(Unique("cy"), "Other Lab");
        (await other.GetAsync(bundlePath)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var rename = await other.PostWithTokenAsync(bundlePath + "?handler=Rename", "/Bundles", new() { ["Name"] = "pwned" });
        rename.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var remove = await other.PostWithTokenAsync(bundlePath + "?handler=Remove", "/Bundles", new() { ["workId"] = work.ToString() });
        remove.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var bundleId = Guid.Parse(bundlePath.Split('/')[^1]);
        var addInto = await other.PostWithTokenAsync($"/Catalog/Details/{work}?handler=Add", "/Bundles",
            new() { ["offerId"] = (await Db(db => db.LicenseOffers.Where(o => o.WorkId == work).Select(o => o.Id).FirstAsync())).ToString(), ["bundleId"] = bundleId.ToString() });
        (await WebSession.ParseAsync(addInto)).Errors().ShouldContain("no such bundle");

        var bundle = await Db(db => db.Bundles.Include(b => b.Items).SingleAsync(b => b.Id == bundleId));
        bundle.Name.ShouldBe(Bundle.DefaultName);
        bundle.Items.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_item_that_does_not_fit_the_intended_use_is_marked_and_blocks_checkout_until_resolved()
    {
        var creator = await this.SignUpCreatorAsync(Unique("ana"), "Ana Lima");
        var work = await creator.ListAsync(App, "Harbour at dusk");
        var buyer = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        await buyer.AddToBundleAsync(work);
        var bundlePath = await buyer.CurrentBundleAsync();

        var use = await buyer.SubmitAsync(bundlePath, new Dictionary<string, string> { ["IntendedScope"] = "NonGenerativeAnalysis", ["Commercial"] = "true" }, handler: "Use");
        use.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(use)).Errors());
        var page = await buyer.PageAsync(bundlePath);
        page.Text("[data-testid=conflict]").ShouldContain("licensed for generative model training, not non-generative analysis");
        page.Text("[data-testid=conflicts]").ShouldContain("1 of 1");

        var checkout = await buyer.SubmitAsync(bundlePath, new Dictionary<string, string>(), handler: "Checkout");
        checkout.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(checkout)).Errors().ShouldContain("does not fit the bundle's intended use");
        (await Db(db => db.Orders.CountAsync())).ShouldBe(0);

        var bad = await buyer.SubmitAsync(bundlePath, new Dictionary<string, string> { ["IntendedScope"] = "Nonsense" }, handler: "Use");
        bad.StatusCode.ShouldNotBe(HttpStatusCode.InternalServerError);

        await buyer.SubmitAsync(bundlePath, new Dictionary<string, string> { ["IntendedScope"] = "GenerativeTraining", ["Commercial"] = "true" }, handler: "Use");
        (await buyer.PageAsync(bundlePath)).QuerySelector("[data-testid=conflict]").ShouldBeNull();
        var ok = await buyer.SubmitAsync(bundlePath, new Dictionary<string, string>(), handler: "Checkout");
        ok.Headers.Location!.OriginalString.ShouldStartWith("/Payments/Test/");
    }

    [Fact]
    public async Task An_offer_revised_after_the_work_was_added_is_caught_before_anything_is_charged()
    {
        var creator = await this.SignUpCreatorAsync(Unique("ana"), "Ana Lima");
        var work = await creator.ListAsync(App, "Harbour at dusk");
        var buyer = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        await buyer.AddToBundleAsync(work);
        var offerId = await Db(db => db.LicenseOffers.Where(o => o.WorkId == work).Select(o => o.Id).SingleAsync());

        var revise = await creator.SubmitAsync($"/Works/Offer/{work}?OfferId={offerId}", new Dictionary<string, string> { ["Price"] = "79.00", ["Currency"] = "EUR" });
        revise.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(revise)).Errors());

        var checkout = await buyer.CheckoutAsync();
        checkout.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(checkout)).Errors().ShouldContain("no longer available");
        (await Db(db => db.Orders.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_creator_publishes_a_curated_bundle_of_their_works_and_a_buyer_copies_it_into_a_bundle_of_their_own()
    {
        var creator = await this.SignUpCreatorAsync(Unique("ana"), "Ana Lima");
        var first = await creator.ListAsync(App, "Harbour at dusk");
        var second = await creator.ListAsync(App, "Harbour at dawn", image: CreatorSteps.Jpeg(1));
        var otherCreator = await this.SignUpCreatorAsync(Unique("ola"), "Ola Berg");
        var notHers = await otherCreator.ListAsync(App, "Fjord", image: CreatorSteps.Jpeg(2));

        var save = await creator.SubmitAsync("/Collections/Edit", new Dictionary<string, string> { ["Title"] = "Coastal light", ["Description"] = "Harbours." }, handler: "Save");
        save.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(save)).Errors());
        var editPath = save.Headers.Location!.OriginalString;
        foreach (var id in new[] { first, second })
            (await creator.SubmitAsync(editPath, new Dictionary<string, string> { ["workId"] = id.ToString() }, handler: "Add")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var foreign = await creator.SubmitAsync(editPath, new Dictionary<string, string> { ["workId"] = notHers.ToString() }, handler: "Add");
        (await WebSession.ParseAsync(foreign)).Errors().ShouldContain("not yours");

        var curatedId = await Db(db => db.CuratedBundles.Select(c => c.Id).SingleAsync());
        (await Session().GetAsync($"/Collections/Details/{curatedId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a draft is its curator's only");
        (await creator.SubmitAsync(editPath, new Dictionary<string, string>(), handler: "Publish")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Session().PageAsync("/Collections")).Text("[data-testid=collection]").ShouldContain("Coastal light");

        // Another creator cannot change it; a buyer cannot curate.
        (await otherCreator.GetAsync($"/Collections/Edit/{curatedId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var buyer = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        (await buyer.GetAsync("/Collections/Edit")).Headers.Location!.OriginalString.ShouldContain("AccessDenied");

        var copy = await buyer.SubmitAsync($"/Collections/Details/{curatedId}", new Dictionary<string, string>(), handler: "Copy");
        copy.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(copy)).Errors());
        var bundle = await buyer.PageAsync(copy.Headers.Location!.OriginalString);
        bundle.Text("[data-testid=bundle-name]").ShouldBe("Coastal light");
        bundle.QuerySelectorAll("[data-testid=bundle-item]").Length.ShouldBe(2);
        bundle.Text("[data-testid=total]").ShouldBe("98.00 EUR");
        var creatorCopy = await creator.PostWithTokenAsync($"/Collections/Details/{curatedId}?handler=Copy", "/Collections/Edit");
        creatorCopy.Headers.Location!.OriginalString.ShouldContain("AccessDenied", customMessage: "copying is for buyers");
        (await Db(db => db.Bundles.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task Renewing_a_license_puts_its_works_into_a_new_bundle_and_another_organisation_cannot_renew_it()
    {
        var creator = await this.SignUpCreatorAsync(Unique("ana"), "Ana Lima");
        var work = await creator.ListAsync(App, "Harbour at dusk");
        var buyer = await this.SignUpBuyerAsync(Unique("bo"), "Lab Inc");
        await buyer.AddToBundleAsync(work);
        var licenseId = await buyer.PayWithTestProviderAsync((await buyer.CheckoutAsync()).Headers.Location!.OriginalString);

        var renew = await buyer.SubmitAsync($"/Licenses/Details/{licenseId}", new Dictionary<string, string>(), handler: "Renew");
        renew.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(renew)).Errors());
        var page = await buyer.PageAsync(renew.Headers.Location!.OriginalString);
        page.Text("[data-testid=bundle-name]").ShouldStartWith("Renewal of license");
        page.Text("[data-testid=bundle-item]").ShouldContain("Harbour at dusk");

        var other = await this.SignUpBuyerAsync(Unique("cy"), "Other Lab");
        var foreign = await other.PostWithTokenAsync($"/Licenses/Details/{licenseId}?handler=Renew", "/Bundles");
        foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Db(db => db.Bundles.CountAsync())).ShouldBe(2);
    }
}
