using System.Buffers.Binary;
using System.Buffers.Text;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using Microsoft.Extensions.Primitives;

namespace Market.Web.Features.Catalog;

public enum SortOrder
{
    /// <summary>Best match first (ts_rank: title words weigh most, then tags, then description), when every match can be scored.</summary>
    Relevance,
    Newest,
}

/// <summary>
/// What a buyer asked the catalog for, read from the query string and checked. Anything a browser, a crawler or
/// a person editing the address bar can send either becomes a valid search or a clear message; nothing reaches
/// the database unchecked. Within a facet the chosen values are alternatives (photograph or painting); across
/// facets they must all hold; the chosen terms (scope, commercial use, term) and the price range must all hold
/// for one and the same offer.
/// </summary>
public sealed record SearchCriteria
{
    public const int MaxTextLength = 200;
    public const int MaxTags = 10;
    public const int MaxCreators = 10;
    public const int PageSize = 24;

    public string? Text { get; init; }
    public IReadOnlyList<WorkMedium> Media { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<LicenseScope> Scopes { get; init; } = [];
    public bool? Commercial { get; init; }
    public IReadOnlyList<TermLength> Terms { get; init; } = [];
    public IReadOnlyList<string> Creators { get; init; } = [];
    public string? Currency { get; init; }
    public long? MinPriceMinor { get; init; }
    public long? MaxPriceMinor { get; init; }
    /// <summary>The price fields as typed, to show them again next to an error.</summary>
    public string? MinPriceText { get; init; }
    public string? MaxPriceText { get; init; }
    public SortOrder Sort { get; init; } = SortOrder.Relevance;
    public PageCursor? After { get; init; }

    public static SearchCriteria Everything { get; } = new();

    /// <summary>Relevance needs words to be relevant to; without a text the newest come first.</summary>
    public SortOrder EffectiveSort => Text is null ? SortOrder.Newest : Sort;

    public bool HasTermsFilter => Scopes.Count > 0 || Commercial is not null || Terms.Count > 0;
    public bool HasPriceRange => MinPriceMinor is not null || MaxPriceMinor is not null;

    /// <summary>No text and no filter: the whole catalog, whose counts are kept ready.</summary>
    public bool IsWholeCatalog => Text is null && Media.Count == 0 && Tags.Count == 0 && !HasTermsFilter && Creators.Count == 0 && Currency is null;

    /// <summary>The query string of this search, for links: the next page (with <paramref name="after"/>), or the first.</summary>
    public string ToQueryString(PageCursor? after = null)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (Text is not null) pairs.Add(new("q", Text));
        pairs.AddRange(Media.Select(m => new KeyValuePair<string, string?>("medium", m.ToString())));
        pairs.AddRange(Tags.Select(t => new KeyValuePair<string, string?>("tag", t)));
        pairs.AddRange(Scopes.Select(s => new KeyValuePair<string, string?>("scope", s.ToString())));
        if (Commercial is { } c) pairs.Add(new("commercial", c ? "yes" : "no"));
        pairs.AddRange(Terms.Select(t => new KeyValuePair<string, string?>("term", t.ToString())));
        pairs.AddRange(Creators.Select(c => new KeyValuePair<string, string?>("creator", c)));
        if (Currency is not null) pairs.Add(new("currency", Currency));
        if (MinPriceMinor is { } min) pairs.Add(new("min", Currencies.FormatPlain(min, Currency!)));
        if (MaxPriceMinor is { } max) pairs.Add(new("max", Currencies.FormatPlain(max, Currency!)));
        if (Text is not null && Sort != SortOrder.Relevance) pairs.Add(new("sort", Sort.ToString().ToLowerInvariant()));
        if (after is not null) pairs.Add(new("after", after.Encode()));
        return Microsoft.AspNetCore.Http.QueryString.Create(pairs).ToUriComponent();
    }

    /// <summary>
    /// Reads a search from query-string pairs. Returns the criteria (with whatever could be read, so the form can
    /// show it again) and the problems, one plain sentence each; a search with problems must not be run.
    /// Unknown parameter names are ignored, as links from elsewhere may carry their own.
    /// </summary>
    public static (SearchCriteria Criteria, IReadOnlyList<string> Errors) Parse(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        var values = query.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();

        IReadOnlyList<string> All(string name) =>
            values.TryGetValue(name, out var v) ? v.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).Distinct().ToList() : [];

        string? One(string name, string what)
        {
            var all = All(name);
            if (all.Count > 1) errors.Add($"Give one {what}, not {all.Count}.");
            return all.Count == 0 ? null : all[0];
        }

        List<T> Closed<T>(string name, string what) where T : struct, Enum
        {
            var result = new List<T>();
            foreach (var raw in All(name))
            {
                // Names only: a number would parse as an enum value the page never offers.
                if (!raw.All(char.IsAsciiLetter) || !Enum.TryParse<T>(raw, ignoreCase: true, out var value) || !Enum.IsDefined(value))
                    errors.Add($"There is no {what} \"{Shorten(raw)}\". Choose from the list.");
                else if (!result.Contains(value))
                    result.Add(value);
            }
            return result;
        }

        var text = One("q", "search text");
        if (text is not null)
        {
            // Control characters (a NUL above all) mean nothing to a search and PostgreSQL refuses some of them.
            text = string.Join(' ', new string(text.Select(ch => char.IsControl(ch) ? ' ' : ch).ToArray())
                .Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (text.Length > MaxTextLength)
                errors.Add($"Keep the search text to {MaxTextLength} characters; it has {text.Length}.");
            if (text.Length == 0) text = null;
        }

        var media = Closed<WorkMedium>("medium", "medium");
        var scopes = Closed<LicenseScope>("scope", "use");
        var terms = Closed<TermLength>("term", "term length");

        bool? commercial = One("commercial", "choice of commercial use")?.ToLowerInvariant() switch
        {
            null => null,
            "yes" => true,
            "no" => false,
            var other => Error<bool?>($"Commercial use is \"yes\" or \"no\", not \"{Shorten(other)}\".", null),
        };

        var tags = new List<string>();
        foreach (var raw in All("tag"))
        {
            // The same normalising as when a creator tags a work, so a tag link always finds its works.
            var tag = string.Join(' ', raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
            if (tag.Any(char.IsControl) || tag.Length > Work.MaxTagLength) errors.Add($"\"{Shorten(tag)}\" is not a tag.");
            else if (!tags.Contains(tag)) tags.Add(tag);
        }
        if (tags.Count > MaxTags) errors.Add($"Choose at most {MaxTags} tags.");

        var creators = All("creator").ToList();
        if (creators.Count > MaxCreators) errors.Add($"Choose at most {MaxCreators} creators.");
        if (creators.Any(c => c.Length > 450 || c.Any(char.IsControl))) errors.Add("That creator link is not valid.");

        var currencyText = One("currency", "currency");
        var currency = currencyText?.ToUpperInvariant();
        if (currency is not null && !Currencies.IsSupported(currency))
        {
            errors.Add($"There is no currency \"{Shorten(currencyText!)}\" here. Choose one of {string.Join(", ", Currencies.Supported)}.");
            currency = null;
        }
        var minText = One("min", "lowest price");
        var maxText = One("max", "highest price");
        long? min = null, max = null;
        if ((minText ?? maxText) is not null && currencyText is null)
            errors.Add("Choose a currency for the price range.");
        else if (currency is not null)
        {
            min = Amount(minText, currency, "lowest", errors);
            max = Amount(maxText, currency, "highest", errors);
            if (min > max) errors.Add("The lowest price is above the highest price.");
        }

        var sort = One("sort", "order")?.ToLowerInvariant() switch
        {
            null or "relevance" => SortOrder.Relevance,
            "newest" => SortOrder.Newest,
            var other => Error($"Sort by \"relevance\" or \"newest\", not \"{Shorten(other)}\".", SortOrder.Relevance),
        };

        var criteria = new SearchCriteria
        {
            Text = text, Media = media, Tags = tags, Scopes = scopes, Commercial = commercial, Terms = terms, Creators = creators,
            Currency = currency, MinPriceMinor = min, MaxPriceMinor = max, MinPriceText = minText, MaxPriceText = maxText, Sort = sort,
        };

        if (One("after", "page") is { } after)
        {
            // A cursor belongs to one order: a score makes no sense without a text, nor when newest was asked for.
            // (A search by relevance may still page newest first: see the catalog page's handler.)
            if (PageCursor.TryDecode(after, out var cursor) && (cursor.Sort == SortOrder.Newest || criteria.EffectiveSort == SortOrder.Relevance))
                criteria = criteria with { After = cursor };
            else
                errors.Add("This page link is broken or out of date. Start again from the first page.");
        }
        return (criteria, errors);

        T Error<T>(string message, T fallback)
        {
            errors.Add(message);
            return fallback;
        }
    }

    /// <summary>
    /// A price limit as typed, in major units ("49", "49.50", "0"), to minor units by string arithmetic like every
    /// price on the site. Zero is allowed here (a range may start at nothing); negative amounts are not.
    /// </summary>
    private static long? Amount(string? text, string currency, string which, List<string> errors)
    {
        if (text is null) return null;
        if (text.StartsWith('-'))
        {
            errors.Add($"The {which} price cannot be negative.");
            return null;
        }
        if (text.All(ch => ch is '0' or '.') && text.Count(ch => ch == '.') <= 1 && text.Any(ch => ch == '0'))
            return 0;
        try
        {
            return Price.Parse(text, currency).Minor;
        }
        catch (DomainException e)
        {
            errors.Add($"The {which} price: {e.Message}");
            return null;
        }
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}

/// <summary>
/// Where the next page starts: the last card's position in the order (its relevance score, listing time and id).
/// The next page is everything after that position, so a work listed or removed meanwhile never makes a card
/// repeat or vanish between pages, and page 500 costs what page 1 does. The score is ts_rank's float, a pure
/// function of the work's text and the query, recomputed bit for bit on the next page. Opaque to people
/// (base64url), but not secret: editing one only moves the start of the page.
/// </summary>
public sealed record PageCursor(SortOrder Sort, float Rank, DateTimeOffset ListedAt, Guid WorkId)
{
    private const byte Version = 1;
    private const int Length = 1 + 1 + 4 + 8 + 16;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = Version;
        bytes[1] = (byte)Sort;
        BinaryPrimitives.WriteSingleBigEndian(bytes[2..], Rank);
        // Microseconds: what PostgreSQL keeps of a timestamp, so the position compares exactly with the stored value.
        BinaryPrimitives.WriteInt64BigEndian(bytes[6..], (ListedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        WorkId.TryWriteBytes(bytes[14..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, out PageCursor cursor)
    {
        cursor = null!;
        if (string.IsNullOrEmpty(text) || text.Length > 64) return false;
        Span<byte> bytes = stackalloc byte[48];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != text.Length || written != Length || bytes[0] != Version)
            return false;
        var sort = (SortOrder)bytes[1];
        var rank = BinaryPrimitives.ReadSingleBigEndian(bytes[2..]);
        if (!Enum.IsDefined(sort) || !float.IsFinite(rank) || rank < 0 || (sort == SortOrder.Newest && rank != 0)) return false;
        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes[6..]);
        // Anything from 1970 to 9999 is a time PostgreSQL and .NET both hold; beyond that the link was forged.
        if (micros < 0 || micros > (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10) return false;
        cursor = new PageCursor(sort, rank, DateTimeOffset.UnixEpoch.AddTicks(micros * 10), new Guid(bytes.Slice(14, 16), bigEndian: true));
        return true;
    }
}
