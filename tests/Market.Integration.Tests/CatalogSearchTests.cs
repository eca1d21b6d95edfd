using System.Net;
using AngleSharp.Dom;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Data;
using Market.Web.Features.Catalog;
using Market.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Market.Integration.Tests;

/// <summary>
/// The catalog's search: full text, facets, keyset pages, and the search index kept in step with every change that
/// makes a work sellable or not. Most works here are listed straight through the domain and the site's DbContext
/// (the same save hook the pages go through), because a search needs dozens of them; the tests of the creator's
/// pages go through the pages.
/// </summary>
public sealed class CatalogSearchTests(MarketAppFactory app) : IntegrationTest(app)
{
    private static readonly LicenseTerms Generative = LicenseTerms.OneYearGenerative;
    private static readonly LicenseTerms Analysis = LicenseTerms.OneYearGenerative with
    {
        Scope = LicenseScope.NonGenerativeAnalysis, Commercial = false, TermMonths = 72,
    };

    private DateTimeOffset _next = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private async Task<string> CreatorAsync(string name)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MarketUser>>();
        var email = $"{name.Replace(' ', '.').ToLowerInvariant()}@creators.test";
        var user = new MarketUser { UserName = email, Email = email, DisplayName = name, EmailConfirmed = true };
        (await users.CreateAsync(user, People.Password)).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(user, Roles.Creator)).Succeeded.ShouldBeTrue();
        return user.Id;
    }

    /// <summary>
    /// A work taken through the domain's steps (upload, describe, opt in, offer, submit, scan) and saved in one go
    /// through the site's DbContext, listed one minute after the previous one unless <paramref name="listedAt"/> says.
    /// <paramref name="until"/> stops short of listing: "consent", "offer", "submit" or "scan".
    /// </summary>
    private async Task<Guid> WorkAsync(string creatorId, string title, string description = "A work.", string[]? tags = null,
        WorkMedium medium = WorkMedium.Photograph, (LicenseTerms Terms, Price Price)[]? offers = null, DateTimeOffset? listedAt = null,
        string? until = null)
    {
        var at = listedAt ?? (_next = _next.AddMinutes(1));
        return await App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<MarketDb>();
            var id = Guid.CreateVersion7(at);
            var work = Work.Upload(id, creatorId, title, description, new StoredImage($"originals/{id:N}", "w.jpg", "image/jpeg", 1000, 640, 480), at, "Creator");
            work.Describe(creatorId, title, description, tags ?? [], medium, null, at);
            if (until != "consent") db.ConsentRecords.Add(work.GrantConsent(creatorId, true, ConsentText.CurrentVersion, null, at));
            if (until is not ("consent" or "offer"))
                foreach (var (terms, price) in offers ?? [(Generative, Price.Create(4900, "EUR"))])
                    work.AddOffer(creatorId, Guid.CreateVersion7(at), terms, price, at);
            if (until is null or "scan") work.SubmitForListing(creatorId);
            if (until is null) work.CompleteScan(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + new string('0', 32), "0000000000000000", $"previews/{id:N}", null, at);
            db.Works.Add(work);
            await db.SaveChangesAsync();
            return id;
        });
    }

    /// <summary>Changes a work through the domain, saved through the site's DbContext, as a command handler would.</summary>
    private Task ChangeAsync(Guid id, Action<Work> change) => App.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<MarketDb>();
        var work = await db.Works.Include(w => w.Offers).Include(w => w.RightsHolders).Include(w => w.Flags).FirstAsync(w => w.Id == id);
        var (offers, holders) = (work.Offers.ToList(), work.RightsHolders.ToList());
        change(work);
        // As the handlers do: children with keys made in the domain are new, not updates; replaced holders go.
        foreach (var added in work.Offers.Except(offers)) db.Entry(added).State = EntityState.Added;
        foreach (var added in work.RightsHolders.Except(holders)) db.Entry(added).State = EntityState.Added;
        foreach (var gone in holders.Except(work.RightsHolders)) db.Remove(gone);
        await db.SaveChangesAsync();
        return 0;
    });

    private async Task<IDocument> SearchAsync(string query = "", HttpStatusCode expected = HttpStatusCode.OK) =>
        await Session().PageAsync("/Catalog" + query, expected);

    private static List<string> Titles(IDocument page) =>
        page.QuerySelectorAll("[data-testid=catalog-item] .card-title").Select(e => e.TextContent.Trim()).ToList();

    private static string Count(IDocument page, string facet, string value) =>
        page.QuerySelector($"[data-facet={facet}] input[value='{value}'] + label [data-count]")?.GetAttribute("data-count") ?? "";

    /// <summary>Every card of a search, following "Next page" to the end; the ids in the order shown.</summary>
    private async Task<List<Guid>> AllPagesAsync(string query)
    {
        var ids = new List<Guid>();
        var url = "/Catalog" + query;
        for (var pages = 0; url is not null; pages++)
        {
            pages.ShouldBeLessThan(50, "paging must end");
            var page = await Session().PageAsync(url);
            ids.AddRange(page.QuerySelectorAll("[data-testid=catalog-item]").Select(e => Guid.Parse(e.GetAttribute("data-work")!)));
            url = page.QuerySelector("[data-testid=next]")?.GetAttribute("href");
        }
        return ids;
    }

    [Fact]
    public async Task A_search_matches_titles_descriptions_and_tags_with_stemming()
    {
        var ada = await CreatorAsync("Ada Byron");
        await WorkAsync(ada, "Red fox at dawn");
        await WorkAsync(ada, "Winter field", "Tracks of a fox crossing the snow.");
        await WorkAsync(ada, "Edge of the woods", tags: ["foxes", "wildlife"]);
        await WorkAsync(ada, "Harbour lights", "Boats at night.", ["harbour"]);

        Titles(await SearchAsync("?q=fox")).ShouldBe(["Red fox at dawn", "Edge of the woods", "Winter field"], ignoreOrder: true);
        Titles(await SearchAsync("?q=Foxes")).Count.ShouldBe(3, "English stemming: foxes finds fox");
        Titles(await SearchAsync("?q=snow+fox")).ShouldBe(["Winter field"], "every word must match");
        Titles(await SearchAsync("?q=fox+-snow")).ShouldBe(["Red fox at dawn", "Edge of the woods"], ignoreOrder: true);
        Titles(await SearchAsync("?q=%22red+fox%22")).ShouldBe(["Red fox at dawn"], "a quoted phrase");
        Titles(await SearchAsync("?q=fox+or+boats")).Count.ShouldBe(4);
        var none = await SearchAsync("?q=unicorn");
        Titles(none).ShouldBeEmpty();
        none.Text("[data-testid=total]").ShouldContain("No listed work matches");
    }

    [Fact]
    public async Task Best_match_puts_title_words_first_then_tags_then_descriptions_and_newest_orders_by_listing()
    {
        var ada = await CreatorAsync("Ada Byron");
        // Listed in the opposite order of their relevance, so relevance cannot be the listing order by accident.
        await WorkAsync(ada, "Lighthouse keeper", "A study of an old heron.");
        await WorkAsync(ada, "Marsh at noon", tags: ["heron", "birds"]);
        await WorkAsync(ada, "Grey heron");
        await WorkAsync(ada, "Heron and reeds");

        var ranked = await SearchAsync("?q=heron");
        Titles(ranked).ShouldBe(["Heron and reeds", "Grey heron", "Marsh at noon", "Lighthouse keeper"], "equal scores: newest first");
        ranked.Text("[data-testid=order]").ShouldContain("best matches first");
        Titles(await SearchAsync("?q=heron&sort=newest")).ShouldBe(["Heron and reeds", "Grey heron", "Marsh at noon", "Lighthouse keeper"]);
        await WorkAsync(ada, "Harbour", "A heron on the pier.");
        Titles(await SearchAsync("?q=heron")).ShouldBe(["Heron and reeds", "Grey heron", "Marsh at noon", "Harbour", "Lighthouse keeper"]);
        Titles(await SearchAsync("?q=heron&sort=newest")).First().ShouldBe("Harbour");
        Titles(await SearchAsync()).First().ShouldBe("Harbour", "without a text the newest come first");
    }

    [Fact]
    public async Task Each_facet_filters_and_the_terms_and_price_must_hold_for_one_offer()
    {
        var ada = await CreatorAsync("Ada Byron");
        var bo = await CreatorAsync("Bo Lindqvist");
        var eur = (Terms: Generative, Price: Price.Create(4900, "EUR"));
        await WorkAsync(ada, "Photo generative", medium: WorkMedium.Photograph, tags: ["sea", "night"], offers: [eur]);
        await WorkAsync(ada, "Painting analysis", medium: WorkMedium.Painting, tags: ["sea"], offers: [(Analysis, Price.Create(1500, "USD"))]);
        // Cheap analysis and expensive generative: no single offer is both cheap and generative.
        await WorkAsync(bo, "Drawing both", medium: WorkMedium.Drawing, tags: ["night"],
            offers: [(Analysis, Price.Create(900, "EUR")), (Generative, Price.Create(90_000, "EUR"))]);
        await WorkAsync(bo, "Photo fine-tuning", medium: WorkMedium.Photograph,
            offers: [(Generative with { Scope = LicenseScope.FineTuningOrStyle, TermMonths = 36 }, Price.Create(200_000, "JPY"))]);

        Titles(await SearchAsync("?medium=Photograph")).ShouldBe(["Photo generative", "Photo fine-tuning"], ignoreOrder: true);
        Titles(await SearchAsync("?medium=Photograph&medium=Painting")).Count.ShouldBe(3, "values of one facet are alternatives");
        Titles(await SearchAsync("?tag=sea")).ShouldBe(["Photo generative", "Painting analysis"], ignoreOrder: true);
        Titles(await SearchAsync("?tag=sea&tag=night")).ShouldBe(["Photo generative"], "every chosen tag must be there");
        Titles(await SearchAsync("?scope=NonGenerativeAnalysis")).ShouldBe(["Painting analysis", "Drawing both"], ignoreOrder: true);
        Titles(await SearchAsync("?commercial=no")).ShouldBe(["Painting analysis", "Drawing both"], ignoreOrder: true);
        Titles(await SearchAsync("?term=OverFiveYears")).ShouldBe(["Painting analysis", "Drawing both"], ignoreOrder: true);
        Titles(await SearchAsync("?term=OneToThreeYears")).ShouldBe(["Photo fine-tuning"]);
        Titles(await SearchAsync($"?creator={bo}")).ShouldBe(["Drawing both", "Photo fine-tuning"], ignoreOrder: true);
        Titles(await SearchAsync("?currency=JPY")).ShouldBe(["Photo fine-tuning"]);
        Titles(await SearchAsync("?currency=EUR&max=50")).ShouldBe(["Photo generative", "Drawing both"], ignoreOrder: true);
        Titles(await SearchAsync("?currency=EUR&min=10&max=50")).ShouldBe(["Photo generative"]);
        Titles(await SearchAsync("?currency=EUR&max=50&scope=GenerativeTraining")).ShouldBe(["Photo generative"], "the cheap offer is not generative");
        Titles(await SearchAsync("?scope=GenerativeTraining&commercial=no")).ShouldBeEmpty("no offer is both generative and non-commercial");
        Titles(await SearchAsync("?q=drawing&medium=Drawing&creator=" + bo)).ShouldBe(["Drawing both"]);

        // A chosen currency shows each card's cheapest offer in that currency.
        var eurCards = await SearchAsync("?currency=EUR");
        eurCards.QuerySelectorAll("[data-testid=catalog-item]").Select(c => c.TextContent).ShouldContain(t => t.Contains("Drawing both") && t.Contains("9.00 EUR"));

        // Counts: exact over the whole catalog, and among the results of a search.
        var all = await SearchAsync();
        all.Text("[data-testid=total]").ShouldStartWith("4 works");
        Count(all, "medium", "Photograph").ShouldBe("2");
        Count(all, "scope", "NonGenerativeAnalysis").ShouldBe("2");
        Count(all, "commercial", "yes").ShouldBe("3");
        Count(all, "tag", "night").ShouldBe("2");
        Count(all, "creator", bo).ShouldBe("2");
        var night = await SearchAsync("?tag=night");
        night.Text("[data-testid=total]").ShouldStartWith("2 works");
        Count(night, "medium", "Drawing").ShouldBe("1");
        Count(night, "creator", ada).ShouldBe("1");
        night.QuerySelector("[data-facet=creator]")!.TextContent.ShouldContain("Bo Lindqvist");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pages_follow_one_another_and_show_every_work_exactly_once(bool moreThanCounted)
    {
        // With more matches than the site counts, pages come newest first from a walk of the index rather than from the
        // counted set, and the counts become lower bounds: both ways must page through everything once.
        var settings = App.Services.GetRequiredService<CatalogSettings>();
        var limit = settings.CountLimit;
        if (moreThanCounted) settings.CountLimit = 10;
        try
        {
            var ada = await CreatorAsync("Ada Byron");
            var expected = new List<Guid>();
            // Several works listed at the same instant: the id breaks the tie, so none is skipped or repeated.
            var instant = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 30; i++)
                expected.Add(await WorkAsync(ada, $"Gull {i}", listedAt: i % 3 == 0 ? instant : null));
            for (var i = 0; i < 31; i++)
                expected.Add(await WorkAsync(ada, $"Pier {i}", $"A gull on the pier, study {i}."));

            var newest = await AllPagesAsync("");
            newest.Count.ShouldBe(61);
            newest.ShouldBe(expected, ignoreOrder: true);
            newest.Distinct().Count().ShouldBe(61);

            var byRelevance = await AllPagesAsync("?q=gull");
            byRelevance.Count.ShouldBe(61);
            byRelevance.Distinct().Count().ShouldBe(61);
            var first = await SearchAsync("?q=gull");
            if (moreThanCounted)
            {
                byRelevance.ShouldBe(newest, "too many to rank: newest first");
                first.Text("[data-testid=total]").ShouldStartWith("More than 10 works");
                first.Text("[data-testid=order]").ShouldContain("too many matches to rank");
                Count(first, "medium", "Photograph").ShouldBe("11+", "a count among the first matches counted");
            }
            else
            {
                byRelevance.Take(30).ShouldBe(expected.Take(30), ignoreOrder: true, "title matches first, over page boundaries");
                first.Text("[data-testid=total]").ShouldStartWith("61 works");
                Count(first, "medium", "Photograph").ShouldBe("61");
            }

            // A work listed while someone pages does not shift the pages after the one they are on.
            var page1 = await SearchAsync();
            var next = page1.QuerySelector("[data-testid=next]")!.GetAttribute("href")!;
            await WorkAsync(ada, "Late gull");
            var rest = await AllPagesAsync(next["/Catalog".Length..]);
            rest.ShouldBe(newest.Skip(SearchCriteria.PageSize));
            (await SearchAsync(next["/Catalog".Length..])).QuerySelector("[data-testid=first]").ShouldNotBeNull();
        }
        finally
        {
            settings.CountLimit = limit;
        }
    }

    [Fact]
    public async Task Works_that_cannot_be_sold_never_appear()
    {
        var ada = await CreatorAsync("Ada Byron");
        await WorkAsync(ada, "Kestrel for sale");
        await WorkAsync(ada, "Kestrel draft", until: "consent");
        await WorkAsync(ada, "Kestrel without offer", until: "offer");
        await WorkAsync(ada, "Kestrel scanning", until: "scan");
        var pending = await WorkAsync(ada, "Kestrel with a co-owner");
        await ChangeAsync(pending, w => w.SetRightsHolders(ada, "Ada Byron",
            [new RightsHolderSpec(null, null, RightsHolderRole.Creator, 6000, true), new RightsHolderSpec("Bay Press", "press@bay.test", RightsHolderRole.CoOwner, 4000, false)],
            Now()));
        var retired = await WorkAsync(ada, "Kestrel retired");
        await ChangeAsync(retired, w => w.RetireOffer(ada, w.ActiveOffers.Single().Id));
        var withdrawn = await WorkAsync(ada, "Kestrel withdrawn");
        await ChangeAsync(withdrawn, w => w.WithdrawConsent(ada, null, Now()));

        Titles(await SearchAsync("?q=kestrel")).ShouldBe(["Kestrel for sale"]);
        var all = await SearchAsync();
        Titles(all).ShouldBe(["Kestrel for sale"]);
        all.Text("[data-testid=total]").ShouldStartWith("1 work");
        Count(all, "medium", "Photograph").ShouldBe("1", "the counts leave them out too");
        (await Db(db => db.Set<CatalogEntry>().CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task A_moderator_s_takedown_takes_the_work_out_of_the_catalog()
    {
        // The takedown command came after the index; its save goes through the same hook, so it needs nothing of its own.
        var ada = await CreatorAsync("Ada Byron");
        var stolen = await WorkAsync(ada, "Borrowed sunset", tags: ["sunset"]);
        await WorkAsync(ada, "Own sunrise", tags: ["sunset"]);
        await App.CreateStaffAsync("mod@market.test", Roles.Moderator);
        var moderator = await Db(db => db.Users.Where(u => u.Email == "mod@market.test").Select(u => u.Id).SingleAsync());

        await App.WithScopeAsync(sp => sp.GetRequiredService<MediatR.IMediator>().Send(
            new Market.Web.Features.Moderation.TakeDownWork(stolen, moderator, "Another artist's photograph.")));

        Titles(await SearchAsync("?q=sunset")).ShouldBe(["Own sunrise"]);
        Count(await SearchAsync(), "tag", "sunset").ShouldBe("1");
    }

    [Fact]
    public async Task The_creator_s_pages_keep_the_index_in_step()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var buyer = Session();

        // Listing (submit, then the scan job) puts it in.
        var id = await creator.ListAsync(App, "Salt marsh");
        Titles(await buyer.PageAsync("/Catalog?q=marsh")).ShouldBe(["Salt marsh"]);

        // Editing the title, description and tags: found by the new words only.
        await creator.DescribeAsync(id, "Tidal flats", "Mud and sky at low tide.", "estuary, mud");
        Titles(await buyer.PageAsync("/Catalog?q=marsh")).ShouldBeEmpty();
        Titles(await buyer.PageAsync("/Catalog?q=tidal")).ShouldBe(["Tidal flats"]);
        Titles(await buyer.PageAsync("/Catalog?q=sky")).ShouldBe(["Tidal flats"]);
        Titles(await buyer.PageAsync("/Catalog?tag=estuary")).ShouldBe(["Tidal flats"]);

        // Changing the offer: the card shows the new price.
        var offerId = await Db(db => db.LicenseOffers.Where(o => o.WorkId == id && o.Active).Select(o => o.Id).SingleAsync());
        var changed = await creator.SubmitAsync($"/Works/Offer/{id}?offerId={offerId}", new Dictionary<string, string> { ["Price"] = "12.50", ["Currency"] = "EUR" });
        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(changed)).Errors());
        (await buyer.PageAsync("/Catalog")).Text("[data-testid=catalog-item]").ShouldContain("12.50 EUR");

        // Retiring the last offer takes it out; a new offer brings it back.
        offerId = await Db(db => db.LicenseOffers.Where(o => o.WorkId == id && o.Active).Select(o => o.Id).SingleAsync());
        var retired = await creator.SubmitAsync($"/Works/Details/{id}", new Dictionary<string, string> { ["offerId"] = offerId.ToString() }, handler: "RetireOffer");
        retired.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(retired)).Errors());
        Titles(await buyer.PageAsync("/Catalog")).ShouldBeEmpty();
        await creator.OfferAsync(id, "30.00");
        Titles(await buyer.PageAsync("/Catalog")).ShouldBe(["Tidal flats"]);

        // Withdrawing consent takes it out for good.
        var withdrawn = await creator.SubmitAsync($"/Works/Details/{id}", new Dictionary<string, string>(), handler: "Withdraw");
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(withdrawn)).Errors());
        Titles(await buyer.PageAsync("/Catalog?q=tidal")).ShouldBeEmpty();
        (await buyer.PageAsync("/Catalog")).Text("[data-testid=total]").ShouldBe("No works are listed yet.");
    }

    [Fact]
    public async Task A_co_owner_s_confirmation_by_link_puts_the_work_back()
    {
        var press = $"press-{Guid.NewGuid():N}@bay.test";
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await creator.ListAsync(App, "Shared estuary");
        var holders = await creator.SubmitAsync($"/Works/Holders/{id}", new Dictionary<string, string>
        {
            ["Rows[0].Percent"] = "60", ["Rows[1].Name"] = "Bay Press", ["Rows[1].Email"] = press, ["Rows[1].Role"] = "CoOwner", ["Rows[1].Percent"] = "40",
        });
        holders.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(holders)).Errors());
        Titles(await SearchAsync("?q=estuary")).ShouldBeEmpty("not for sale until the co-owner confirms");

        var link = Mailbox.LinkIn(await App.WaitForMailAsync(press, "Confirm your share"), "/Shares/Respond?token=");
        var answer = await Session().SubmitAsync(link, new Dictionary<string, string>(), handler: "Confirm");
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        Titles(await SearchAsync("?q=estuary")).ShouldBe(["Shared estuary"]);
    }

    [Fact]
    public async Task The_incremental_index_equals_a_rebuild_and_its_counts_survive_compaction()
    {
        var ada = await CreatorAsync("Ada Byron");
        var bo = await CreatorAsync("Bo Lindqvist");
        var a = await WorkAsync(ada, "Otter", tags: ["river", "animals"], medium: WorkMedium.Painting);
        var b = await WorkAsync(bo, "Otter holt", tags: ["river"], offers: [(Analysis, Price.Create(700, "GBP")), (Generative, Price.Create(7000, "GBP"))]);
        var c = await WorkAsync(bo, "Weir");
        await ChangeAsync(a, w => w.Describe(ada, "Otter in spate", "High water.", ["flood", "animals"], WorkMedium.Drawing, 2020, Now()));
        await ChangeAsync(b, w => w.ReplaceOffers(bo, Guid.NewGuid(), Generative with { TermMonths = 48 }, Price.Create(5000, "USD"), Now()));
        await ChangeAsync(c, w => w.WithdrawConsent(bo, null, Now()));
        await App.WithScopeAsync(sp => sp.GetRequiredService<CatalogFacetCounts.CompactJob>().RunAsync(CancellationToken.None).ContinueWith(_ => 0));

        var incremental = await SnapshotAsync();
        incremental.Entries.Count.ShouldBe(2);
        await CatalogIndex.RebuildAsync(App.Services.GetRequiredService<NpgsqlDataSource>(), CancellationToken.None);
        var rebuilt = await SnapshotAsync();
        rebuilt.Entries.ShouldBe(incremental.Entries);
        rebuilt.Counts.ShouldBe(incremental.Counts);
        incremental.Counts.ShouldContain("tag/animals=1");
        incremental.Counts.ShouldContain("medium/4=1");
        incremental.Counts.ShouldContain("tag/river=1", "the otter was retagged; the holt keeps its tag");
        incremental.Counts.ShouldContain("currency/USD=1");
        incremental.Counts.ShouldNotContain(s => s.StartsWith("currency/GBP"), "the holt's GBP offers were replaced");
    }

    private async Task<(List<string> Entries, List<string> Counts)> SnapshotAsync()
    {
        var entries = await Db(db => db.Database.SqlQueryRaw<string>("""
            select concat_ws('|', e."WorkId", e."Title", e."CreatorName", e."Medium", e."CreationYear", e."Tags", e."OfferKeys", e."Currencies",
                   e."PriceCodes", e."PriceBuckets", e."FromPriceMinor", e."FromCurrency", e."ListedAt", e."Search") as "Value"
            from market.catalog_entries e order by e."WorkId"
            """).ToListAsync());
        var counts = await Db(db => db.Database.SqlQueryRaw<string>("""
            select "Facet" || '/' || "Value" || '=' || sum("Count") as "Value" from market.catalog_facet_counts
            group by "Facet", "Value" having sum("Count") <> 0 order by 1
            """).ToListAsync());
        return (entries, counts);
    }

    [Theory]
    [InlineData("?medium=Sculpture", "There is no medium")]
    [InlineData("?medium=99", "There is no medium")]
    [InlineData("?commercial=maybe", "Commercial use is")]
    [InlineData("?currency=EUR&min=-5", "cannot be negative")]
    [InlineData("?currency=EUR&min=50&max=10", "lowest price is above")]
    [InlineData("?min=10", "Choose a currency")]
    [InlineData("?after=garbage", "page link is broken")]
    [InlineData("?after=AQACAAZelLgsnz4BoW3Ajn50jJVfLUIAacLp", "page link is broken")]
    [InlineData("?creator=no-such-creator", "does not exist")]
    [InlineData("?sort=price", "Sort by")]
    [InlineData("?q=a&q=b", "Give one search text")]
    public async Task Bad_input_is_explained_with_a_400_and_the_form_kept(string query, string message)
    {
        var page = await SearchAsync(query, HttpStatusCode.BadRequest);
        page.Errors().ShouldContain(message);
        page.QuerySelector("form[role=search]").ShouldNotBeNull("the form is there to correct the search");
        Titles(page).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_search_text_that_is_too_long_is_refused_and_odd_text_is_harmless()
    {
        var ada = await CreatorAsync("Ada Byron");
        await WorkAsync(ada, "Red kite");
        (await SearchAsync("?q=" + new string('k', 201), HttpStatusCode.BadRequest)).Errors().ShouldContain("200 characters");
        foreach (var odd in new[] { "%27%3B+drop+table+works%3B--", "%00kite", "%22%22%22", "kite%3A*", "!%26|()<->", "%F0%9F%A6%85", "-", "or" })
            (await SearchAsync("?q=" + odd)).QuerySelector("[data-testid=total]").ShouldNotBeNull($"q={odd}");
        Titles(await SearchAsync("?q=%00kite")).ShouldBe(["Red kite"]);
        (await SearchAsync("?q=the+and")).Text("[data-testid=total]").ShouldContain("very common words");
    }
}
