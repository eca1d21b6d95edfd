using System.Runtime.CompilerServices;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Market.Web.Features.Catalog;

/// <summary>
/// The catalog's search read model: one row per work that can be sold right now, with what search and the
/// facets need already worked out, so that a search of a million works reads one narrow table and its indexes
/// instead of joining works, offers, rights holders and users. The domain stays the source of truth; this is a
/// projection of it, rewritten by <see cref="CatalogIndex"/> whenever a save touches a work, its offers or its
/// rights holders.
/// </summary>
public sealed class CatalogEntry
{
    public Guid WorkId { get; init; }
    public string Title { get; init; } = "";
    public string CreatorId { get; init; } = "";
    public string CreatorName { get; init; } = "";
    public WorkMedium Medium { get; init; }
    public int? CreationYear { get; init; }
    public List<string> Tags { get; init; } = [];
    /// <summary>One <see cref="OfferKeys"/> value per distinct kind of active offer: scope, commercial use and term together.</summary>
    public short[] OfferKeys { get; init; } = [];
    /// <summary>The currencies the work's active offers are priced in.</summary>
    public List<string> Currencies { get; init; } = [];
    /// <summary>
    /// Every active offer as one number (<see cref="OfferPrices.Code"/>): currency, price and terms. The price
    /// filter tests them in the row itself, so that one offer has to satisfy price and terms together, without a
    /// join to another table for each row looked at.
    /// </summary>
    public long[] PriceCodes { get; init; } = [];
    /// <summary>The currency and rough size of each offer's price (<see cref="OfferPrices.Bucket"/>), for the index that finds a narrow price range.</summary>
    public int[] PriceBuckets { get; init; } = [];
    /// <summary>The cheapest active offer, as the card shows it when no currency is chosen.</summary>
    public long FromPriceMinor { get; init; }
    public string FromCurrency { get; init; } = "";
    public DateTimeOffset ListedAt { get; init; }
    /// <summary>
    /// Title (weight A), tags (B) and description (C): what a search matches, and what ts_rank weighs when the
    /// best matches come first. The description itself is not kept: only its words are needed here.
    /// </summary>
    public NpgsqlTsVector? Search { get; init; }
}

/// <summary>The license terms buyers filter by, grouped so that filtering stays a matter of small integers.</summary>
public enum TermLength
{
    UpToOneYear = 0,
    OneToThreeYears = 1,
    ThreeToFiveYears = 2,
    OverFiveYears = 3,
}

/// <summary>
/// Scope, commercial use and term length of one offer packed into a number from 0 to 23
/// (<c>(scope − 1) × 8 + commercial × 4 + term</c>). A work stores the set of its offers' keys, so "some single
/// offer is commercial, for generative training, for at least three years" is one array-overlap test that a GIN
/// index can answer.
/// </summary>
public static class OfferKeys
{
    public static TermLength Term(int months) => months switch
    {
        <= 12 => TermLength.UpToOneYear,
        <= 36 => TermLength.OneToThreeYears,
        <= 60 => TermLength.ThreeToFiveYears,
        _ => TermLength.OverFiveYears,
    };

    public static short For(LicenseScope scope, bool commercial, TermLength term) =>
        (short)(((int)scope - 1) * 8 + (commercial ? 4 : 0) + (int)term);

    public static LicenseScope Scope(short key) => (LicenseScope)(key / 8 + 1);
    public static bool Commercial(short key) => (key & 4) != 0;
    public static TermLength TermOf(short key) => (TermLength)(key & 3);

    public static IEnumerable<short> All =>
        from scope in Enum.GetValues<LicenseScope>()
        from commercial in new[] { false, true }
        from term in Enum.GetValues<TermLength>()
        select For(scope, commercial, term);

    /// <summary>The keys an offer may have to satisfy every chosen terms filter at once; an empty choice allows anything.</summary>
    public static short[] Allowed(IReadOnlyCollection<LicenseScope> scopes, bool? commercial, IReadOnlyCollection<TermLength> terms) =>
        All.Where(k => (scopes.Count == 0 || scopes.Contains(Scope(k)))
                       && (commercial is null || Commercial(k) == commercial)
                       && (terms.Count == 0 || terms.Contains(TermOf(k))))
            .ToArray();
}

/// <summary>
/// An offer's price in numbers PostgreSQL compares directly. A code is <c>currency × 2⁴⁸ + price × 32 + offer key</c>,
/// the currency being its three letters at five bits each (A = 1), so the codes of one currency between two
/// prices form one range whatever the terms. A bucket is <c>currency × 32 + size</c>, the size telling the
/// price's number of digits and whether it starts with 1–2, 3–5 or 6–9: exact integer arithmetic, the same here
/// and in SQL, with no floating point anywhere near money.
/// </summary>
public static class OfferPrices
{
    public static long Letters(string currency) =>
        (currency[0] - 'A' + 1) * 1024 + (currency[1] - 'A' + 1) * 32 + (currency[2] - 'A' + 1);

    public static long Code(string currency, long priceMinor, short key) => (Letters(currency) << 48) | (priceMinor << 5) | (long)key;

    public static int Size(long priceMinor)
    {
        var digits = priceMinor.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return digits.Length * 3 + (digits[0] < '3' ? 0 : digits[0] < '6' ? 1 : 2);
    }

    public static int Bucket(string currency, long priceMinor) => (int)(Letters(currency) * 32 + Size(priceMinor));

    /// <summary>Every bucket a price between the limits can fall in.</summary>
    public static int[] Buckets(string currency, long minMinor, long maxMinor) =>
        Enumerable.Range(Size(minMinor), Size(maxMinor) - Size(minMinor) + 1).Select(size => (int)(Letters(currency) * 32 + size)).ToArray();

    internal const string LettersSql = "((ascii(substr({0}, 1, 1)) - 64) * 1024 + (ascii(substr({0}, 2, 1)) - 64) * 32 + (ascii(substr({0}, 3, 1)) - 64))";
    internal const string SizeSql = "(length({0}::text) * 3 + case when left({0}::text, 1) < '3' then 0 when left({0}::text, 1) < '6' then 1 else 2 end)";
}

/// <summary>
/// Keeps <c>catalog_entries</c> in step with the domain. Every change that can make a work sellable or not, or
/// change what buyers search for, is a change to a <see cref="Work"/>, a <see cref="LicenseOffer"/> or a
/// <see cref="RightsHolder"/> saved through <see cref="Data.MarketDb"/>; the interceptor below sees each such save and
/// re-projects exactly those works in the same transaction. So no command handler has to remember the index,
/// and a new one cannot forget it. (Raw SQL that writes those tables bypasses EF and must call
/// <see cref="RefreshAsync"/> itself; nothing does today.)
/// </summary>
public static class CatalogIndex
{
    /// <summary>The same rule as <see cref="Work.IsForSale"/> plus an active offer, in SQL over the domain's tables.</summary>
    internal const string Sellable = """
        w."State" = 'Listed' and w."ConsentGrantedAt" is not null
        and exists (select 1 from market.rights_holders h where h."WorkId" = w."Id")
        and not exists (select 1 from market.rights_holders h where h."WorkId" = w."Id" and h."Status" <> 'Confirmed')
        and exists (select 1 from market.license_offers o where o."WorkId" = w."Id" and o."Active")
        """;

    // Enum names are how the domain's tables store media and scopes; the read model stores small numbers. The
    // CASE lists are generated from the enums, so a new medium or scope cannot be silently left out.
    private static readonly string MediumNumber =
        "case w.\"Medium\" " + string.Concat(Enum.GetValues<WorkMedium>().Select(m => $"when '{m}' then {(int)m} ")) + "else 0 end";

    private static readonly string OfferKey =
        "(case o.\"Terms_Scope\" " + string.Concat(Enum.GetValues<LicenseScope>().Select(s => $"when '{s}' then {((int)s - 1) * 8} ")) + "end"
        + " + case when o.\"Terms_Commercial\" then 4 else 0 end"
        + " + case when o.\"Terms_TermMonths\" <= 12 then 0 when o.\"Terms_TermMonths\" <= 36 then 1 when o.\"Terms_TermMonths\" <= 60 then 2 else 3 end)::smallint";

    private static readonly string CurrencyLetters = string.Format(OfferPrices.LettersSql, "o.\"Currency\"");
    private static readonly string PriceSize = string.Format(OfferPrices.SizeSql, "o.\"PriceMinor\"");

    /// <summary>The rows of catalog_entries for the sellable works that <paramref name="filter"/> selects.</summary>
    /// <param name="order">For a rebuild: rows go in oldest first, as listings arrive, so pages of the "newest"
    /// index and of the table run in step and a page of results reads a few table pages, not one per card.</param>
    private static string InsertEntries(string filter, string order = "") => $"""
        insert into market.catalog_entries ("WorkId", "Title", "CreatorId", "CreatorName", "Medium", "CreationYear", "Tags",
            "OfferKeys", "Currencies", "PriceCodes", "PriceBuckets", "FromPriceMinor", "FromCurrency", "ListedAt", "Search")
        select w."Id", w."Title", w."CreatorId", u."DisplayName", ({MediumNumber})::smallint, w."CreationYear", w."Tags",
            array(select distinct {OfferKey} from market.license_offers o where o."WorkId" = w."Id" and o."Active" order by 1),
            array(select distinct o."Currency"::text from market.license_offers o where o."WorkId" = w."Id" and o."Active" order by 1),
            array(select distinct ({CurrencyLetters}::bigint << 48) | (o."PriceMinor" << 5) | {OfferKey}
                  from market.license_offers o where o."WorkId" = w."Id" and o."Active" order by 1),
            array(select distinct {CurrencyLetters} * 32 + {PriceSize}
                  from market.license_offers o where o."WorkId" = w."Id" and o."Active" order by 1),
            cheapest."PriceMinor", cheapest."Currency",
            coalesce(w."ListedAt", w."CreatedAt"),
            setweight(to_tsvector('english', w."Title"), 'A')
                || setweight(to_tsvector('english', array_to_string(w."Tags", ' ')), 'B')
                || setweight(to_tsvector('english', w."Description"), 'C')
        from market.works w
        join market."AspNetUsers" u on u."Id" = w."CreatorId"
        cross join lateral (select o."PriceMinor", o."Currency" from market.license_offers o
                            where o."WorkId" = w."Id" and o."Active" order by o."PriceMinor", o."Currency" limit 1) cheapest
        where {filter} and {Sellable}
        {order}
        """;

    /// <summary>
    /// Re-projects the given works: their old rows (and facet counts) go, the sellable ones come back as they are
    /// now. Runs in the caller's transaction. The works' rows are locked first, in id order, so two transactions
    /// refreshing the same work take turns and each reads the other's committed rows; the facet counts they
    /// subtract and add then always match what the table held.
    /// </summary>
    internal static string RefreshSql { get; } = $"""
        select 1 from market.works where "Id" = any(@ids) order by "Id" for no key update;
        {CatalogFacetCounts.SubtractDeletedEntries("\"WorkId\" = any(@ids)")};
        {InsertEntries("w.\"Id\" = any(@ids)")};
        {CatalogFacetCounts.AddEntries("e.\"WorkId\" = any(@ids)")};
        """;

    /// <summary>Builds the whole index from the domain's tables: after a bulk load, or to repair it.</summary>
    internal static string RebuildSql { get; } = $"""
        truncate market.catalog_entries, market.catalog_facet_counts;
        {InsertEntries("true", "order by coalesce(w.\"ListedAt\", w.\"CreatedAt\"), w.\"Id\"")};
        {CatalogFacetCounts.AddEntries("true")};
        analyze market.catalog_entries;
        """;

    public static async Task RefreshAsync(DatabaseFacade database, IReadOnlyCollection<Guid> workIds, CancellationToken ct)
    {
        if (workIds.Count == 0) return;
        await database.ExecuteSqlRawAsync(RefreshSql, [new NpgsqlParameter("ids", workIds.ToArray())], ct);
    }

    public static void Refresh(DatabaseFacade database, IReadOnlyCollection<Guid> workIds)
    {
        if (workIds.Count == 0) return;
        database.ExecuteSqlRaw(RefreshSql, [new NpgsqlParameter("ids", workIds.ToArray())]);
    }

    /// <summary>
    /// Rebuilds the index in one transaction (readers see the old index until it commits). At a million works it
    /// takes minutes, mostly text-search parsing and GIN index building.
    /// </summary>
    public static async Task RebuildAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand(RebuildSql, connection, transaction) { CommandTimeout = 0 })
            await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>A creator's new display name, on every card that credits them; no facet count depends on it.</summary>
    private const string RenameSql = """update market.catalog_entries set "CreatorName" = @name where "CreatorId" = @id""";

    /// <summary>
    /// The save hook. Before a save it notes which works the save touches (and whose display name changes); after
    /// the save, in the same transaction, it refreshes them. A save outside any transaction gets one of its own
    /// here, so the domain rows and the index still commit together.
    /// </summary>
    internal sealed class Projection : SaveChangesInterceptor
    {
        private sealed record Pending(HashSet<Guid> WorkIds, List<(string Id, string Name)> Renamed, IDbContextTransaction? OwnTransaction);

        private readonly ConditionalWeakTable<DbContext, Pending> _pending = new();

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            if (eventData.Context is { } db && Touched(db) is { } touched)
                _pending.AddOrUpdate(db, touched with { OwnTransaction = db.Database.CurrentTransaction is null ? db.Database.BeginTransaction() : null });
            return result;
        }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (eventData.Context is { } db && Touched(db) is { } touched)
                _pending.AddOrUpdate(db, touched with
                {
                    OwnTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null,
                });
            return result;
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            if (eventData.Context is not { } db || !_pending.TryGetValue(db, out var pending)) return result;
            _pending.Remove(db);
            try
            {
                Refresh(db.Database, pending.WorkIds);
                foreach (var (id, name) in pending.Renamed)
                    db.Database.ExecuteSqlRaw(RenameSql, [new NpgsqlParameter("id", id), new NpgsqlParameter("name", name)]);
                pending.OwnTransaction?.Commit();
            }
            finally
            {
                pending.OwnTransaction?.Dispose();
            }
            return result;
        }

        public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context is not { } db || !_pending.TryGetValue(db, out var pending)) return result;
            _pending.Remove(db);
            try
            {
                await RefreshAsync(db.Database, pending.WorkIds, cancellationToken);
                foreach (var (id, name) in pending.Renamed)
                    await db.Database.ExecuteSqlRawAsync(RenameSql, [new NpgsqlParameter("id", id), new NpgsqlParameter("name", name)], cancellationToken);
                if (pending.OwnTransaction is not null) await pending.OwnTransaction.CommitAsync(cancellationToken);
            }
            finally
            {
                if (pending.OwnTransaction is not null) await pending.OwnTransaction.DisposeAsync();
            }
            return result;
        }

        public override void SaveChangesFailed(DbContextErrorEventData eventData)
        {
            if (eventData.Context is { } db && _pending.TryGetValue(db, out var pending))
            {
                _pending.Remove(db);
                pending.OwnTransaction?.Dispose();
            }
        }

        public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            if (eventData.Context is { } db && _pending.TryGetValue(db, out var pending))
            {
                _pending.Remove(db);
                if (pending.OwnTransaction is not null) await pending.OwnTransaction.DisposeAsync();
            }
        }

        /// <summary>The works (and creator names) a save is about to change; null when it changes none.</summary>
        private static Pending? Touched(DbContext db)
        {
            // EF detects changes after this hook runs; the list must be complete now.
            db.ChangeTracker.DetectChanges();
            var works = new HashSet<Guid>();
            var renamed = new List<(string, string)>();
            foreach (var entry in db.ChangeTracker.Entries())
            {
                if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
                switch (entry.Entity)
                {
                    case Work w: works.Add(w.Id); break;
                    case LicenseOffer o: works.Add(o.WorkId); break;
                    case RightsHolder h: works.Add(h.WorkId); break;
                    case MarketUser u when entry.State == EntityState.Modified && entry.Property(nameof(MarketUser.DisplayName)).IsModified:
                        renamed.Add((u.Id, u.DisplayName));
                        break;
                }
            }
            return works.Count == 0 && renamed.Count == 0 ? null : new Pending(works, renamed, null);
        }
    }
}
