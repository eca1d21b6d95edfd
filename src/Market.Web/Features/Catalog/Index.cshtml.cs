using System.Text;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Data;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Market.Web.Features.Catalog;

/// <summary>
/// The public catalog: full-text search with facets over the works that can be sold right now, previews only.
/// A plain GET form, so every search, filter and page is a link that can be bookmarked, shared and crawled.
/// </summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public SearchCriteria Criteria { get; private set; } = SearchCriteria.Everything;
    public Result? Found { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (criteria, errors) = SearchCriteria.Parse(Request.Query);
        Criteria = criteria;
        if (errors.Count > 0) return Refused(errors);
        try
        {
            Found = await mediator.Send(new Query(criteria), ct);
        }
        catch (DomainException e)
        {
            return Refused([e.Message]);
        }
        return Page();
    }

    /// <summary>The page again, with the form as sent and what is wrong with it; 400 so no crawler keeps it.</summary>
    private PageResult Refused(IEnumerable<string> errors)
    {
        foreach (var error in errors) ModelState.AddModelError("", error);
        var page = Page();
        page.StatusCode = StatusCodes.Status400BadRequest;
        return page;
    }

    /// <summary>The media in the order the filter lists them; works not yet described come last.</summary>
    public static IReadOnlyList<WorkMedium> MediaOffered { get; } =
        [.. Enum.GetValues<WorkMedium>().Where(m => m != WorkMedium.Unspecified), WorkMedium.Unspecified];

    public static string MediumText(WorkMedium medium) => medium switch
    {
        WorkMedium.DigitalArt => "Digital art",
        WorkMedium.Mixed => "Mixed media",
        WorkMedium.Unspecified => "Not specified",
        _ => medium.ToString(),
    };

    public static string ScopeText(LicenseScope scope)
    {
        var text = LicenseTerms.ScopeText(scope);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    public static string TermText(TermLength term) => term switch
    {
        TermLength.UpToOneYear => "Up to 1 year",
        TermLength.OneToThreeYears => "1 to 3 years",
        TermLength.ThreeToFiveYears => "3 to 5 years",
        _ => "Over 5 years",
    };

    public sealed record Query(SearchCriteria Criteria) : IRequest<Result>;

    /// <param name="Next">Where the next page starts; null on the last page.</param>
    /// <param name="Notice">Why there are no results although the search was valid, when there is a reason to give.</param>
    public sealed record Result(IReadOnlyList<Card> Cards, PageCursor? Next, FacetCounts Counts, IReadOnlyDictionary<string, string> CreatorNames,
        string? Notice = null);

    /// <param name="PriceMinor">The cheapest offer, in the chosen currency when there is one.</param>
    public sealed record Card(Guid Id, string Title, string Creator, WorkMedium Medium, long PriceMinor, string Currency);

    /// <summary>
    /// How many works match, and how many of them have each facet value. <paramref name="Exact"/> is false when
    /// counting stopped at <see cref="Handler.CountLimit"/> matches: the total is then "more than" and every facet
    /// count is the count among those matches, a lower bound of the real one.
    /// </summary>
    public sealed record FacetCounts(long Total, bool Exact, IReadOnlyList<FacetCount> Values)
    {
        public static FacetCounts None { get; } = new(0, true, []);

        public IEnumerable<FacetCount> Of(string facet) => Values.Where(v => v.Facet == facet);

        public long? Count(string facet, string value) => Values.FirstOrDefault(v => v.Facet == facet && v.Value == value)?.Count;
    }

    public sealed record FacetCount(string Facet, string Value, long Count, string? Label);

    internal sealed class Handler(MarketDb db) : IRequestHandler<Query, Result>
    {
        /// <summary>
        /// Counting stops after this many matches. Counting a common word's 100,000 matches would read 100,000
        /// rows on every page view; this many are read in a few milliseconds and give counts that are exact for
        /// any search narrow enough to browse, and honest lower bounds ("10,000+") for the rest.
        /// </summary>
        public const int CountLimit = 10_000;

        private const int TopCreators = 10;
        private const int TopTags = 15;

        public async Task<Result> Handle(Query request, CancellationToken ct)
        {
            var criteria = request.Criteria;
            // A search can never hold the database for long: a pathological one is cut off and explained.
            db.Database.SetCommandTimeout(TimeSpan.FromSeconds(10));

            var creatorNames = criteria.Creators.Count == 0
                ? new Dictionary<string, string>()
                : await db.DisplayNamesAsync(criteria.Creators, ct);
            if (creatorNames.Count < criteria.Creators.Count)
                throw new DomainException("One of the chosen creators does not exist. Start again from the catalog.");

            string? tsQuery = null;
            if (criteria.Text is not null)
            {
                // Parsed once, by PostgreSQL's own forgiving parser for what people type into search boxes (quotes,
                // "or", a leading minus); the result is passed on as a literal tsquery so it is not re-parsed per row.
                tsQuery = await db.Database.SqlQueryRaw<string>("select websearch_to_tsquery('english', @q)::text as \"Value\"",
                    new NpgsqlParameter("q", criteria.Text)).SingleAsync(ct);
                if (tsQuery.Length == 0)
                    return new Result([], null, FacetCounts.None, creatorNames,
                        "Nothing to search for: very common words like \"the\" or \"and\" are ignored, and so is punctuation. Try other words.");
            }

            var filter = Filter.For(criteria, tsQuery);
            var rows = await PageAsync(criteria, filter, ct);
            var next = rows.Count > SearchCriteria.PageSize ? Cursor(criteria, rows[SearchCriteria.PageSize - 1]) : null;
            var cards = rows.Take(SearchCriteria.PageSize)
                .Select(r => new Card(r.WorkId, r.Title, r.CreatorName, (WorkMedium)r.Medium, r.PriceMinor, r.Currency)).ToList();

            var counts = criteria.IsWholeCatalog ? await WholeCatalogCountsAsync(ct) : await CountAsync(criteria, filter, ct);
            foreach (var creator in counts.Of(Facets.Creator).Where(c => c.Label is not null))
                creatorNames.TryAdd(creator.Value, creator.Label!);
            var unnamed = counts.Of(Facets.Creator).Where(c => !creatorNames.ContainsKey(c.Value)).Select(c => c.Value).ToList();
            if (unnamed.Count > 0)
                foreach (var (id, name) in await db.DisplayNamesAsync(unnamed, ct)) creatorNames[id] = name;
            return new Result(cards, next, counts, creatorNames);
        }

        private static PageCursor Cursor(SearchCriteria criteria, CardRow last) =>
            new(criteria.EffectiveSort, last.Tier, last.ListedAt, last.WorkId);

        /// <summary>
        /// One page plus one row (to know whether there is a next page). By relevance, the page is read tier by
        /// tier, each tier newest first through its own index, and PostgreSQL stops reading as soon as the page
        /// is full, so a common word costs no more than a rare one. No rank is computed per matching row: ranking
        /// 100,000 matches by ts_rank would read them all for every page.
        /// </summary>
        private async Task<List<CardRow>> PageAsync(SearchCriteria criteria, Filter filter, CancellationToken ct)
        {
            var sql = new StringBuilder();
            var parameters = filter.Parameters();
            var take = SearchCriteria.PageSize + 1;
            var price = criteria.Currency is null
                ? """e."FromPriceMinor" as "PriceMinor", e."FromCurrency" as "Currency" """
                : $"""(select min(o."PriceMinor") from market.catalog_entry_offers o where o."WorkId" = e."WorkId" and o."Currency" = {filter.CurrencyParameter}) as "PriceMinor", {filter.CurrencyParameter}::text as "Currency" """;
            var after = criteria.After;
            if (after is not null)
            {
                parameters.Add(new NpgsqlParameter("after_at", after.ListedAt));
                parameters.Add(new NpgsqlParameter("after_id", after.WorkId));
            }

            IEnumerable<(int Tier, string Condition)> tiers = criteria.EffectiveSort == SortOrder.Newest
                ? [(0, "true")]
                : [(2, filter.TitleMatches), (1, $"{filter.TagsMatch} and not {filter.TitleMatches}"), (0, $"not {filter.TitleMatches} and not {filter.TagsMatch}")];
            var branches = tiers.Where(t => after is null || t.Tier <= after.Tier).Select(t => $"""
                (select e."WorkId", e."Title", e."CreatorName", e."Medium"::int as "Medium", {price}, e."ListedAt", {t.Tier} as "Tier"
                 from market.catalog_entries e
                 where {filter.Where} and {t.Condition}
                   {(after is not null && t.Tier == after.Tier ? """and (e."ListedAt", e."WorkId") < (@after_at, @after_id)""" : "")}
                 order by e."ListedAt" desc, e."WorkId" desc
                 limit {take})
                """);
            sql.Append("select * from (").AppendJoin(" union all ", branches).Append($") page limit {take}");
            return await db.Database.SqlQueryRaw<CardRow>(sql.ToString(), parameters.ToArray<object>()).ToListAsync(ct);
        }

        /// <summary>
        /// The total and the facet counts among the first <see cref="CountLimit"/> + 1 matches, in one pass over
        /// them. Counts are "among these results": within a facet that already has a choice, they tell how many of
        /// the results have each chosen value.
        /// </summary>
        private async Task<FacetCounts> CountAsync(SearchCriteria criteria, Filter filter, CancellationToken ct)
        {
            // Each terms value is counted together with the other terms filters, as one offer must satisfy them all.
            // array[...] rather than '{...}': EF reads braces in raw SQL as format placeholders.
            string Keys(IEnumerable<short> keys) => $"array[{string.Join(',', keys)}]::smallint[]";
            var termCounts = new List<(string Facet, string Value, string Keys)>();
            termCounts.AddRange(Enum.GetValues<LicenseScope>().Select(s =>
                (Facets.Scope, ((int)s).ToString(), Keys(OfferKeys.Allowed([s], criteria.Commercial, criteria.Terms)))));
            termCounts.AddRange(new[] { true, false }.Select(c =>
                (Facets.Commercial, c ? "1" : "0", Keys(OfferKeys.Allowed(criteria.Scopes, c, criteria.Terms)))));
            termCounts.AddRange(Enum.GetValues<TermLength>().Select(t =>
                (Facets.Term, ((int)t).ToString(), Keys(OfferKeys.Allowed(criteria.Scopes, criteria.Commercial, [t])))));

            var sql = $"""
                with m as materialized (
                    select e."Medium", e."OfferKeys", e."CreatorId", e."CreatorName", e."Tags", e."Currencies"
                    from market.catalog_entries e
                    where {filter.Where}
                    limit {CountLimit + 1})
                select '{Facets.All}' as "Facet", '' as "Value", count(*) as "Count", null::text as "Label" from m
                union all (select '{Facets.Medium}', "Medium"::text, count(*), null from m group by "Medium")
                union all (select '{Facets.Creator}', "CreatorId", count(*), min("CreatorName") from m group by "CreatorId" order by 3 desc, 2 limit {TopCreators})
                union all (select '{Facets.Tag}', t, count(*), null from m cross join unnest(m."Tags") t group by t order by 3 desc, 2 limit {TopTags})
                union all (select '{Facets.Currency}', c, count(*), null from m cross join unnest(m."Currencies") c group by c)
                union all (select v.* from (select {string.Join(", ", termCounts.Select((t, i) => $"""count(*) filter (where "OfferKeys" && {t.Keys}) as c{i}"""))} from m) n
                           cross join lateral (values {string.Join(", ", termCounts.Select((t, i) => $"('{t.Facet}', '{t.Value}', n.c{i}, null::text)"))}) v)
                """;
            var rows = await db.Database.SqlQueryRaw<FacetRow>(sql, filter.Parameters().ToArray<object>()).ToListAsync(ct);
            var total = rows.First(r => r.Facet == Facets.All).Count;
            return new FacetCounts(total, total <= CountLimit,
                rows.Where(r => r.Facet != Facets.All).Select(r => new FacetCount(r.Facet, r.Value, r.Count, r.Label)).ToList());
        }

        /// <summary>The whole catalog's counts, kept by the projection: exact, and read from a few thousand rows.</summary>
        private async Task<FacetCounts> WholeCatalogCountsAsync(CancellationToken ct)
        {
            var rows = await db.Database.SqlQueryRaw<FacetRow>(
                $"""select "Facet", "Value", "Count", null::text as "Label" from ({CatalogFacetCounts.TotalsSql}) t""",
                new NpgsqlParameter("topCreators", TopCreators), new NpgsqlParameter("topTags", TopTags)).ToListAsync(ct);
            var values = rows.Where(r => r.Facet != Facets.All)
                .OrderByDescending(r => r.Count).ThenBy(r => r.Value, StringComparer.Ordinal)
                .Select(r => new FacetCount(r.Facet, r.Value, r.Count, null)).ToList();
            return new FacetCounts(rows.FirstOrDefault(r => r.Facet == Facets.All)?.Count ?? 0, true, values);
        }
    }

    /// <summary>
    /// The WHERE clause of a search over <c>catalog_entries e</c>, and its parameters. User input only ever travels
    /// as parameters; the only literals are numbers the code derives from its own enums.
    /// </summary>
    private sealed class Filter
    {
        private readonly List<(string Name, object Value, NpgsqlDbType Type)> _parameters = [];
        private readonly List<string> _conditions = [];

        public string Where => _conditions.Count == 0 ? "true" : string.Join(" and ", _conditions);
        public string TitleMatches { get; private set; } = "false";
        public string TagsMatch { get; private set; } = "false";
        public string CurrencyParameter { get; private set; } = "null";

        /// <summary>Fresh parameter objects for each command: Npgsql ties a parameter to the command it was added to.</summary>
        public List<NpgsqlParameter> Parameters() =>
            _parameters.Select(p => new NpgsqlParameter(p.Name, p.Type) { Value = p.Value }).ToList();

        private string Add(object value, NpgsqlDbType type)
        {
            var name = $"p{_parameters.Count}";
            _parameters.Add((name, value, type));
            return "@" + name;
        }

        public static Filter For(SearchCriteria c, string? tsQuery)
        {
            var f = new Filter();
            if (tsQuery is not null)
            {
                var q = $"cast({f.Add(tsQuery, NpgsqlDbType.Text)} as tsquery)";
                f._conditions.Add($"""e."Search" @@ {q}""");
                f.TitleMatches = $"""(e."TitleSearch" @@ {q})""";
                f.TagsMatch = $"""(e."TagSearch" @@ {q})""";
            }
            if (c.Media.Count > 0)
                f._conditions.Add($"""e."Medium" = any({f.Add(c.Media.Select(m => (short)m).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Smallint)})""");
            if (c.Tags.Count > 0)
                f._conditions.Add($"""e."Tags" @> {f.Add(c.Tags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)}""");
            if (c.Creators.Count > 0)
                f._conditions.Add($"""e."CreatorId" = any({f.Add(c.Creators.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)})""");

            var keys = c.HasTermsFilter ? OfferKeys.Allowed(c.Scopes, c.Commercial, c.Terms) : null;
            if (c.Currency is not null)
            {
                // Typed as the column is (character(3)), or PostgreSQL compares as text and cannot use the price index.
                f.CurrencyParameter = f.Add(c.Currency, NpgsqlDbType.Char);
                if (c.HasPriceRange || keys is not null)
                {
                    // One offer must have the currency, the price and the terms.
                    var offer = new List<string> { $"""o."Currency" = {f.CurrencyParameter}""" };
                    if (c.MinPriceMinor is { } min) offer.Add($"""o."PriceMinor" >= {f.Add(min, NpgsqlDbType.Bigint)}""");
                    if (c.MaxPriceMinor is { } max) offer.Add($"""o."PriceMinor" <= {f.Add(max, NpgsqlDbType.Bigint)}""");
                    if (keys is not null) offer.Add($"""o."OfferKey" = any({f.Add(keys, NpgsqlDbType.Array | NpgsqlDbType.Smallint)})""");
                    f._conditions.Add($"""exists (select 1 from market.catalog_entry_offers o where o."WorkId" = e."WorkId" and {string.Join(" and ", offer)})""");
                }
                else
                    f._conditions.Add($"""e."Currencies" @> array[{f.CurrencyParameter}::text]""");
            }
            else if (keys is not null)
                f._conditions.Add($"""e."OfferKeys" && {f.Add(keys, NpgsqlDbType.Array | NpgsqlDbType.Smallint)}""");
            return f;
        }
    }

    private sealed class CardRow
    {
        public Guid WorkId { get; init; }
        public string Title { get; init; } = "";
        public string CreatorName { get; init; } = "";
        public int Medium { get; init; }
        public long PriceMinor { get; init; }
        public string Currency { get; init; } = "";
        public DateTimeOffset ListedAt { get; init; }
        public int Tier { get; init; }
    }

    private sealed class FacetRow
    {
        public string Facet { get; init; } = "";
        public string Value { get; init; } = "";
        public long Count { get; init; }
        public string? Label { get; init; }
    }
}
