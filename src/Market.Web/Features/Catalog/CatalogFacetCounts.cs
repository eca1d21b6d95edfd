using Hangfire;
using Market.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Catalog;

/// <summary>
/// How many catalogued works have each facet value (medium, scope, commercial use, term, creator, tag,
/// currency): what the catalog's first page shows without counting a million rows on every request.
/// <para>
/// Kept as a log of signed changes rather than one counter per value. Every projection of a work appends −1 for
/// the facet values its old entry had and +1 for its new ones; the count of a value is the sum of its rows. Two
/// listings at the same moment append different rows instead of queueing on the same hot counter (and cannot
/// deadlock on counters locked in different orders), and a rolled-back command takes its rows with it. A
/// recurring job folds the rows into one per value so the sums stay cheap.
/// </para>
/// </summary>
public sealed class CatalogFacetCount
{
    public long Id { get; init; }
    public string Facet { get; init; } = "";
    public string Value { get; init; } = "";
    public long Count { get; init; }
}

/// <summary>The facet names shared by the projection, the counting queries and the page.</summary>
public static class Facets
{
    public const string All = "all";
    public const string Medium = "medium";
    public const string Scope = "scope";
    public const string Commercial = "commercial";
    public const string Term = "term";
    public const string Creator = "creator";
    public const string Tag = "tag";
    public const string Currency = "currency";
}

public static class CatalogFacetCounts
{
    public const string CompactJobId = "catalog-facet-counts-compact";

    /// <summary>
    /// The facet values of one entry <c>e</c>, one row each, as a lateral subquery. Values are the entry's own
    /// small numbers (medium and scope enum values, 1/0 for commercial, the term group) or strings (creator id,
    /// tag, currency); the page turns them into words.
    /// </summary>
    internal const string KeysOfEntry = $"""
        cross join lateral (
            select '{Facets.All}' as "Facet", '' as "Value"
            union all select '{Facets.Medium}', e."Medium"::text
            union all select '{Facets.Creator}', e."CreatorId"
            union all select '{Facets.Tag}', t from unnest(e."Tags") t
            union all select '{Facets.Currency}', c from unnest(e."Currencies") c
            union all select distinct '{Facets.Scope}', (k / 8 + 1)::text from unnest(e."OfferKeys") k
            union all select distinct '{Facets.Commercial}', ((k / 4) % 2)::text from unnest(e."OfferKeys") k
            union all select distinct '{Facets.Term}', (k % 4)::text from unnest(e."OfferKeys") k
        ) f
        """;

    /// <summary>Deletes the entries <paramref name="filter"/> selects and subtracts their facet values.</summary>
    internal static string SubtractDeletedEntries(string filter) => $"""
        with e as (delete from market.catalog_entries where {filter} returning *)
        insert into market.catalog_facet_counts ("Facet", "Value", "Count")
        select f."Facet", f."Value", -count(*) from e {KeysOfEntry} group by 1, 2
        """;

    /// <summary>Adds the facet values of the entries <paramref name="filter"/> (a condition on <c>e</c>) selects.</summary>
    internal static string AddEntries(string filter) => $"""
        insert into market.catalog_facet_counts ("Facet", "Value", "Count")
        select f."Facet", f."Value", count(*) from market.catalog_entries e {KeysOfEntry} where {filter} group by 1, 2
        """;

    /// <summary>
    /// Folds the log into one row per value, dropping values that summed to zero. One statement: it sees the
    /// committed rows only, so rows appended by commands still in flight stay as they are and are folded next
    /// time; a second compaction running at once finds the rows gone and adds nothing.
    /// </summary>
    internal const string CompactSql = """
        with gone as (delete from market.catalog_facet_counts returning "Facet", "Value", "Count")
        insert into market.catalog_facet_counts ("Facet", "Value", "Count")
        select "Facet", "Value", sum("Count") from gone group by 1, 2 having sum("Count") <> 0
        """;

    /// <summary>
    /// The counts of the whole catalog: every value of the small facets, and the most frequent creators and tags
    /// (<c>@topCreators</c>, <c>@topTags</c>).
    /// </summary>
    internal const string TotalsSql = $"""
        select "Facet", "Value", "Count" from (
            select "Facet", "Value", sum("Count")::bigint as "Count",
                   row_number() over (partition by "Facet" order by sum("Count") desc, "Value") as rank
            from market.catalog_facet_counts
            group by "Facet", "Value"
            having sum("Count") > 0
        ) s
        where "Facet" not in ('{Facets.Creator}', '{Facets.Tag}')
           or ("Facet" = '{Facets.Creator}' and rank <= @topCreators)
           or ("Facet" = '{Facets.Tag}' and rank <= @topTags)
        """;

    /// <summary>The Hangfire job that keeps the log short. Idempotent and safe to run anywhere, any time.</summary>
    public sealed class CompactJob(MarketDb db)
    {
        [AutomaticRetry(Attempts = 0)]
        public Task RunAsync(CancellationToken cancellationToken) => db.Database.ExecuteSqlRawAsync(CompactSql, cancellationToken);
    }
}
