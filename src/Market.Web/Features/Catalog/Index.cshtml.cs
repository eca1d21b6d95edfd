using System.Globalization;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
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
    /// <param name="Sort">The order of the page: relevance only when every match was counted (and so could be scored).</param>
    public sealed record Result(IReadOnlyList<Card> Cards, PageCursor? Next, FacetCounts Counts, IReadOnlyDictionary<string, string> CreatorNames,
        SortOrder Sort, string? Notice = null);

    /// <param name="PriceMinor">The cheapest offer, in the chosen currency when there is one.</param>
    public sealed record Card(Guid Id, string Title, string Creator, WorkMedium Medium, long PriceMinor, string Currency);

    /// <summary>
    /// How many works match, and how many of them have each facet value. <paramref name="Exact"/> is false when
    /// counting stopped at <paramref name="Limit"/> matches: the total is then "more than" and every facet count
    /// is the count among those matches, a lower bound of the real one.
    /// </summary>
    public sealed record FacetCounts(long Total, bool Exact, int Limit, IReadOnlyList<FacetCount> Values)
    {
        public static FacetCounts None { get; } = new(0, true, 0, []);

        public IEnumerable<FacetCount> Of(string facet) => Values.Where(v => v.Facet == facet);

        public long? Count(string facet, string value) => Values.FirstOrDefault(v => v.Facet == facet && v.Value == value)?.Count;
    }

    public sealed record FacetCount(string Facet, string Value, long Count);

    internal sealed class Handler(MarketDb db, CatalogSettings settings) : IRequestHandler<Query, Result>
    {
        /// <summary>The price bits of an offer code (see <see cref="OfferPrices"/>).</summary>
        private const long PriceMask = (1L << 43) - 1;
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
                    return new Result([], null, FacetCounts.None, creatorNames, SortOrder.Newest,
                        "Nothing to search for: very common words like \"the\" or \"and\" are ignored, and so is punctuation. Try other words.");
            }

            var filter = Filter.For(criteria, tsQuery);
            // The counts and the page from one snapshot, so the page never shows a work the total did not count.
            await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            // JIT compiling pays off for queries of seconds; a search is a few milliseconds and would only wait for it.
            await db.Database.ExecuteSqlRawAsync("set local jit = off", ct);

            var counts = criteria.IsWholeCatalog ? await WholeCatalogCountsAsync(ct) : await CountAsync(criteria, filter, ct);
            // Ranked only when every match has been counted: ranking means scoring every match, which is cheap for
            // the few counted and would mean reading hundreds of thousands for a common word.
            var small = counts.Exact && counts.Total <= settings.CountLimit;
            var sort = criteria.EffectiveSort == SortOrder.Relevance && small ? SortOrder.Relevance : SortOrder.Newest;
            if (criteria.After is { } after && after.Sort != sort)
                throw new DomainException("The results have changed since this page link was made. Start again from the first page.");
            var rows = await PageAsync(criteria, filter, sort, small, ct);
            await transaction.CommitAsync(ct);

            var next = rows.Count > SearchCriteria.PageSize ? Cursor(sort, rows[SearchCriteria.PageSize - 1]) : null;
            var cards = rows.Take(SearchCriteria.PageSize)
                .Select(r => new Card(r.WorkId, r.Title, r.CreatorName, (WorkMedium)r.Medium, r.PriceMinor, r.Currency)).ToList();
            var unnamed = counts.Of(Facets.Creator).Where(c => !creatorNames.ContainsKey(c.Value)).Select(c => c.Value).ToList();
            if (unnamed.Count > 0)
                foreach (var (id, name) in await db.DisplayNamesAsync(unnamed, ct)) creatorNames[id] = name;
            return new Result(cards, next, counts, creatorNames, sort);
        }

        private static PageCursor Cursor(SortOrder sort, CardRow last) => new(sort, last.Rank, last.ListedAt, last.WorkId);

        /// <summary>
        /// One page plus one row (to know whether there is a next page), after the cursor. How PostgreSQL should
        /// find it depends on how many works match, which the counting just established exactly, so the plan is
        /// chosen here rather than left to the planner's estimates (which, for a rare word, expect a thousand
        /// matches where there are a hundred, and then walk the whole table in date order looking for them):
        /// <list type="bullet">
        /// <item>Few matches (all counted): take them all through the indexes (their pages are still in memory
        /// from the counting), score them when ranking, sort, cut the page.</item>
        /// <item>Many: they are dense (more than the count limit among the catalog's works, one in a thousand with
        /// the defaults), so walking the newest-first index and testing each work finds a page after some thousands
        /// of rows at worst. Bitmap scans are switched off for
        /// this one query, because a bitmap of every match of a common word is exactly the cost to avoid.</item>
        /// </list>
        /// </summary>
        private async Task<List<CardRow>> PageAsync(SearchCriteria criteria, Filter filter, SortOrder sort, bool small, CancellationToken ct)
        {
            var parameters = filter.Parameters();
            var take = SearchCriteria.PageSize + 1;
            var price = criteria.Currency is null
                ? """e."FromPriceMinor" as "PriceMinor", e."FromCurrency" as "Currency" """
                : $"""(select min((x >> 5) & {PriceMask}) from unnest(e."PriceCodes") x where x >> 48 = {filter.CurrencyLetters}) as "PriceMinor", {filter.CurrencyParameter} as "Currency" """;
            var rank = sort == SortOrder.Relevance ? filter.Rank : "0::real";
            var select = $"""
                select e."WorkId", e."Title", e."CreatorName", e."Medium"::int as "Medium", {price}, e."ListedAt", {rank} as "Rank"
                from market.catalog_entries e
                where {filter.Where}
                """;
            var after = criteria.After;
            if (after is not null)
            {
                parameters.Add(new NpgsqlParameter("after_rank", NpgsqlDbType.Real) { Value = after.Rank });
                parameters.Add(new NpgsqlParameter("after_at", after.ListedAt));
                parameters.Add(new NpgsqlParameter("after_id", after.WorkId));
            }

            string sql;
            if (small)
            {
                var keyset = after is null ? ""
                    : sort == SortOrder.Relevance ? """where ("Rank", "ListedAt", "WorkId") < (@after_rank, @after_at, @after_id)"""
                    : """where ("ListedAt", "WorkId") < (@after_at, @after_id)""";
                var order = sort == SortOrder.Relevance ? """ "Rank" desc, "ListedAt" desc, "WorkId" desc""" : """ "ListedAt" desc, "WorkId" desc""";
                sql = $"with m as materialized ({select}) select * from m {keyset} order by {order} limit {take}";
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync("set local enable_bitmapscan = off", ct);
                // The keyset on the index's own columns, so the walk starts at the cursor instead of filtering up to it.
                var keyset = after is null ? "" : """and (e."ListedAt", e."WorkId") < (@after_at, @after_id)""";
                sql = $"""{select} {keyset} order by e."ListedAt" desc, e."WorkId" desc limit {take}""";
            }
            return await db.Database.SqlQueryRaw<CardRow>(sql, parameters.ToArray<object>()).ToListAsync(ct);
        }

        /// <summary>
        /// The total and the facet counts among the newest <see cref="CatalogSettings.CountLimit"/> + 1 matches, in
        /// one pass over them. Newest first, because then many matches are found by walking the newest-first index
        /// (the same few thousand recent table pages for every broad search, which stay in PostgreSQL's buffers),
        /// while few are found through the text and tag indexes; a plain scan in table order would start anywhere
        /// (PostgreSQL synchronises concurrent scans) and bypass the buffers, reading from the OS every time.
        /// Counts are "among these results": within a facet that already has a choice, they tell how many of the
        /// results have each chosen value.
        /// </summary>
        private async Task<FacetCounts> CountAsync(SearchCriteria criteria, Filter filter, CancellationToken ct)
        {
            // Each terms value counts the works with one offer that has it together with the other chosen terms, as
            // the filter itself requires of one offer. array[...] rather than '{...}': EF reads braces as placeholders.
            string Having(string facet, string value, short[] keys) =>
                $"""union all select '{facet}', '{value}' where m."OfferKeys" && array[{string.Join(',', keys)}]::smallint[]""";
            var terms = string.Join("\n", Enum.GetValues<LicenseScope>()
                    .Select(s => Having(Facets.Scope, ((int)s).ToString(CultureInfo.InvariantCulture), OfferKeys.Allowed([s], criteria.Commercial, criteria.Terms)))
                .Concat(new[] { true, false }
                    .Select(c => Having(Facets.Commercial, c ? "1" : "0", OfferKeys.Allowed(criteria.Scopes, c, criteria.Terms))))
                .Concat(Enum.GetValues<TermLength>()
                    .Select(t => Having(Facets.Term, ((int)t).ToString(CultureInfo.InvariantCulture), OfferKeys.Allowed(criteria.Scopes, criteria.Commercial, [t])))));

            // One pass over the newest matches: every facet value of each becomes a row, then a count per value.
            // Built from parameter names and numbers only (see Filter).
            var sql = $"""
                select "Facet", "Value", "Count" from (
                    select f."Facet", f."Value", count(*) as "Count",
                           row_number() over (partition by f."Facet" order by count(*) desc, f."Value") as rank
                    from (select e."Medium", e."OfferKeys", e."CreatorId", e."Tags", e."Currencies"
                          from market.catalog_entries e
                          where {filter.Where}
                          order by e."ListedAt" desc, e."WorkId" desc
                          limit {settings.CountLimit + 1}) m
                    cross join lateral (
                        select '{Facets.All}' as "Facet", '' as "Value"
                        union all select '{Facets.Medium}', m."Medium"::text
                        union all select '{Facets.Creator}', m."CreatorId"
                        union all select '{Facets.Tag}', t from unnest(m."Tags") t
                        union all select '{Facets.Currency}', c from unnest(m."Currencies") c
                        {terms}
                    ) f
                    group by 1, 2) s
                where "Facet" not in ('{Facets.Creator}', '{Facets.Tag}')
                   or ("Facet" = '{Facets.Creator}' and rank <= {TopCreators})
                   or ("Facet" = '{Facets.Tag}' and rank <= {TopTags})
                """;
            var rows = await db.Database.SqlQueryRaw<FacetRow>(sql, filter.Parameters().ToArray<object>()).ToListAsync(ct);
            var total = rows.FirstOrDefault(r => r.Facet == Facets.All)?.Count ?? 0;
            return new FacetCounts(total, total <= settings.CountLimit, settings.CountLimit,
                rows.Where(r => r.Facet != Facets.All).OrderByDescending(r => r.Count).ThenBy(r => r.Value, StringComparer.Ordinal)
                    .Select(r => new FacetCount(r.Facet, r.Value, r.Count)).ToList());
        }

        /// <summary>The whole catalog's counts, kept by the projection: exact, and read from a few thousand rows.</summary>
        private async Task<FacetCounts> WholeCatalogCountsAsync(CancellationToken ct)
        {
            var rows = await db.Database.SqlQueryRaw<FacetRow>(
                $"""select "Facet", "Value", "Count" from ({CatalogFacetCounts.TotalsSql}) t""",
                new NpgsqlParameter("topCreators", TopCreators), new NpgsqlParameter("topTags", TopTags)).ToListAsync(ct);
            var values = rows.Where(r => r.Facet != Facets.All)
                .OrderByDescending(r => r.Count).ThenBy(r => r.Value, StringComparer.Ordinal)
                .Select(r => new FacetCount(r.Facet, r.Value, r.Count)).ToList();
            return new FacetCounts(rows.FirstOrDefault(r => r.Facet == Facets.All)?.Count ?? 0, true, settings.CountLimit, values);
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
        /// <summary>
        /// The relevance score: PostgreSQL's ts_rank with its default weights, so a word in the title (A) counts
        /// most, then the tags (B), then the description (C). A pure function of the work's text and the query,
        /// so the same work always scores the same and the score can be part of the page cursor.
        /// </summary>
        public string Rank { get; private set; } = "0::real";
        public string CurrencyParameter { get; private set; } = "null";
        public string CurrencyLetters { get; private set; } = "null";

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
                f.Rank = $"""ts_rank(e."Search", {q})""";
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
                f.CurrencyParameter = f.Add(c.Currency, NpgsqlDbType.Text);
                f.CurrencyLetters = f.Add(OfferPrices.Letters(c.Currency), NpgsqlDbType.Bigint);
                long min = c.MinPriceMinor ?? 0, max = c.MaxPriceMinor ?? Price.MaxMajorUnits * 1_000;
                // One offer must have the currency, the price and the terms: one code in the range (and with an allowed key).
                var code = $"""x between {f.Add(OfferPrices.Code(c.Currency, min, 0), NpgsqlDbType.Bigint)} and {f.Add(OfferPrices.Code(c.Currency, max, 31), NpgsqlDbType.Bigint)}""";
                if (keys is not null) code += $" and (x & 31)::smallint = any({f.Add(keys, NpgsqlDbType.Array | NpgsqlDbType.Smallint)})";
                f._conditions.Add($"""exists (select 1 from unnest(e."PriceCodes") x where {code})""");
                if (c.HasPriceRange)
                    f._conditions.Add($"""e."PriceBuckets" && {f.Add(OfferPrices.Buckets(c.Currency, min, max), NpgsqlDbType.Array | NpgsqlDbType.Integer)}""");
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
        public float Rank { get; init; }
    }

    private sealed class FacetRow
    {
        public string Facet { get; init; } = "";
        public string Value { get; init; } = "";
        public long Count { get; init; }
    }
}
