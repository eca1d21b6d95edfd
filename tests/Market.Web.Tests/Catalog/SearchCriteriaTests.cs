using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Features.Catalog;
using Microsoft.Extensions.Primitives;

namespace Market.Web.Tests.Catalog;

public sealed class SearchCriteriaTests
{
    private static (SearchCriteria Criteria, IReadOnlyList<string> Errors) Parse(params (string Key, string Value)[] pairs) =>
        SearchCriteria.Parse(pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => new StringValues(g.Select(p => p.Value).ToArray())));

    private static SearchCriteria Valid(params (string Key, string Value)[] pairs)
    {
        var (criteria, errors) = Parse(pairs);
        errors.ShouldBeEmpty();
        return criteria;
    }

    private static string Error(params (string Key, string Value)[] pairs) => Parse(pairs).Errors.ShouldHaveSingleItem();

    [Fact]
    public void No_parameters_is_the_whole_catalog_newest_first()
    {
        var criteria = Valid();
        criteria.IsWholeCatalog.ShouldBeTrue();
        criteria.EffectiveSort.ShouldBe(SortOrder.Newest);
        criteria.ToQueryString().ShouldBe("");
    }

    [Fact]
    public void Every_filter_is_read_and_written_back_the_same()
    {
        var criteria = Valid(("q", "  red   fox "), ("medium", "photograph"), ("medium", "Painting"), ("tag", " Black  and White "),
            ("scope", "GenerativeTraining"), ("commercial", "yes"), ("term", "OverFiveYears"), ("creator", "abc"),
            ("currency", "eur"), ("min", "0"), ("max", "49.5"), ("sort", "newest"));
        criteria.Text.ShouldBe("red fox");
        criteria.Media.ShouldBe([WorkMedium.Photograph, WorkMedium.Painting]);
        criteria.Tags.ShouldBe(["black and white"]);
        criteria.Scopes.ShouldBe([LicenseScope.GenerativeTraining]);
        criteria.Commercial.ShouldBe(true);
        criteria.Terms.ShouldBe([TermLength.OverFiveYears]);
        criteria.Creators.ShouldBe(["abc"]);
        criteria.Currency.ShouldBe("EUR");
        (criteria.MinPriceMinor, criteria.MaxPriceMinor).ShouldBe((0L, 4950L));
        criteria.EffectiveSort.ShouldBe(SortOrder.Newest);
        criteria.IsWholeCatalog.ShouldBeFalse();

        var again = Valid(Pairs(criteria.ToQueryString()));
        again.ToQueryString().ShouldBe(criteria.ToQueryString(), "the query string round-trips");
        again.Media.ShouldBe(criteria.Media);
        again.Tags.ShouldBe(criteria.Tags);
        (again.MinPriceMinor, again.MaxPriceMinor).ShouldBe((0L, 4950L));
    }

    [Fact]
    public void Empty_values_from_a_form_mean_no_filter()
    {
        var criteria = Valid(("q", ""), ("commercial", ""), ("currency", ""), ("min", ""), ("max", " "), ("utm_source", "newsletter"));
        criteria.IsWholeCatalog.ShouldBeTrue();
        criteria.HasPriceRange.ShouldBeFalse();
    }

    [Fact]
    public void Control_characters_in_the_text_become_spaces() =>
        Valid(("q", "red\0fox\tpainting")).Text.ShouldBe("red fox painting");

    [Fact]
    public void A_text_of_the_maximum_length_is_fine_and_one_more_is_refused()
    {
        Valid(("q", new string('a', SearchCriteria.MaxTextLength)));
        Error(("q", new string('a', SearchCriteria.MaxTextLength + 1))).ShouldBe("Keep the search text to 200 characters; it has 201.");
    }

    [Theory]
    [InlineData("medium", "Sculpture", "There is no medium \"Sculpture\". Choose from the list.")]
    [InlineData("medium", "1", "There is no medium \"1\". Choose from the list.")]
    [InlineData("scope", "Everything", "There is no use \"Everything\". Choose from the list.")]
    [InlineData("term", "Forever", "There is no term length \"Forever\". Choose from the list.")]
    [InlineData("commercial", "maybe", "Commercial use is \"yes\" or \"no\", not \"maybe\".")]
    [InlineData("sort", "price", "Sort by \"relevance\" or \"newest\", not \"price\".")]
    [InlineData("min", "10", "Choose a currency for the price range.")]
    [InlineData("after", "not-a-cursor", "This page link is broken or out of date. Start again from the first page.")]
    public void Unknown_values_are_named_in_the_message(string key, string value, string message) => Error((key, value)).ShouldBe(message);

    [Fact]
    public void An_unknown_currency_lists_the_supported_ones() =>
        Error(("currency", "BTC")).ShouldBe($"There is no currency \"BTC\" here. Choose one of {string.Join(", ", Market.Domain.Money.Currencies.Supported)}.");

    [Fact]
    public void A_long_unknown_value_is_shortened_in_the_message() =>
        Error(("medium", new string('x', 500))).Length.ShouldBeLessThan(100);

    [Theory]
    [InlineData("-5", null, "The lowest price cannot be negative.")]
    [InlineData(null, "-0.01", "The highest price cannot be negative.")]
    [InlineData("ten", null, "The lowest price: 'ten' is not a price. Write it like 49 or 49.00.")]
    [InlineData("1.234", null, "The lowest price: EUR has 2 decimal places at most.")]
    [InlineData("50", "10", "The lowest price is above the highest price.")]
    [InlineData(null, "2000000", "The highest price: The price must not exceed 1,000,000 EUR.")]
    public void Bad_price_ranges_are_refused(string? min, string? max, string message)
    {
        var pairs = new List<(string, string)> { ("currency", "EUR") };
        if (min is not null) pairs.Add(("min", min));
        if (max is not null) pairs.Add(("max", max));
        Error([.. pairs]).ShouldBe(message);
    }

    [Fact]
    public void Prices_are_read_in_the_currency_s_own_minor_units()
    {
        Valid(("currency", "JPY"), ("max", "5000")).MaxPriceMinor.ShouldBe(5000);
        Valid(("currency", "USD"), ("min", "0.00"), ("max", "12")).MaxPriceMinor.ShouldBe(1200);
        Error(("currency", "JPY"), ("min", "1.5")).ShouldBe("The lowest price: JPY has no minor unit; enter a whole amount.");
    }

    [Fact]
    public void Two_values_for_a_single_choice_are_refused() =>
        Error(("q", "red"), ("q", "blue")).ShouldBe("Give one search text, not 2.");

    [Fact]
    public void Too_many_tags_or_creators_are_refused()
    {
        Error(Enumerable.Range(0, SearchCriteria.MaxTags + 1).Select(i => ("tag", $"t{i}")).ToArray()).ShouldBe("Choose at most 10 tags.");
        Error(Enumerable.Range(0, SearchCriteria.MaxCreators + 1).Select(i => ("creator", $"c{i}")).ToArray()).ShouldBe("Choose at most 10 creators.");
        Error(("tag", new string('t', Work.MaxTagLength + 1))).ShouldStartWith("\"tttt");
    }

    [Fact]
    public void A_cursor_by_relevance_needs_a_text_searched_by_relevance()
    {
        var newest = new PageCursor(SortOrder.Newest, 0, DateTimeOffset.UnixEpoch.AddDays(20_000), Guid.NewGuid()).Encode();
        var ranked = new PageCursor(SortOrder.Relevance, 0.6f, DateTimeOffset.UnixEpoch.AddDays(20_000), Guid.NewGuid()).Encode();
        Valid(("after", newest)).After!.Sort.ShouldBe(SortOrder.Newest);
        // A search by relevance with too many matches to rank pages newest first: its cursors are newest ones.
        Valid(("q", "fox"), ("after", newest)).After!.Sort.ShouldBe(SortOrder.Newest);
        Valid(("q", "fox"), ("after", ranked)).After!.Rank.ShouldBe(0.6f);
        Error(("after", ranked)).ShouldBe("This page link is broken or out of date. Start again from the first page.");
        Error(("q", "fox"), ("sort", "newest"), ("after", ranked)).ShouldBe("This page link is broken or out of date. Start again from the first page.");
    }

    private static (string, string)[] Pairs(string queryString) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString)
            .SelectMany(p => p.Value.Select(v => (p.Key, v!))).ToArray();
}

public sealed class PageCursorTests
{
    [Fact]
    public void A_cursor_round_trips_exactly_to_the_microsecond_and_the_bit()
    {
        var at = new DateTimeOffset(2026, 11, 23, 13, 45, 12, TimeSpan.Zero).AddTicks(1234560);
        var cursor = new PageCursor(SortOrder.Relevance, 0.0607927f, at, Guid.Parse("018b901f-3a5e-7c5e-8ed9-3157c6147ea7"));
        var text = cursor.Encode();
        text.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_', "safe in a URL without escaping");
        PageCursor.TryDecode(text, out var decoded).ShouldBeTrue();
        decoded.ShouldBe(cursor);
        BitConverter.SingleToInt32Bits(decoded.Rank).ShouldBe(BitConverter.SingleToInt32Bits(cursor.Rank));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAA")]
    [InlineData("!!not base64!!")]
    [InlineData("AQACAAZelLgsnz4BoW3Ajn50jJVfLUIAacLpAA")]
    public void Garbage_is_not_a_cursor(string text) => PageCursor.TryDecode(text, out _).ShouldBeFalse();

    [Fact]
    public void A_cursor_with_an_impossible_version_order_score_or_time_is_refused()
    {
        var good = new PageCursor(SortOrder.Relevance, 0.5f, DateTimeOffset.UnixEpoch.AddDays(1), Guid.NewGuid()).Encode();
        PageCursor.TryDecode(good, out _).ShouldBeTrue();
        PageCursor.TryDecode(Tamper(good, 0, 2), out _).ShouldBeFalse("unknown version");
        PageCursor.TryDecode(Tamper(good, 1, 9), out _).ShouldBeFalse("unknown order");
        PageCursor.TryDecode(Tamper(good, 2, 0xFF), out _).ShouldBeFalse("a score that is not a number, or negative");
        PageCursor.TryDecode(new PageCursor(SortOrder.Newest, 0.5f, DateTimeOffset.UnixEpoch, Guid.Empty).Encode(), out _).ShouldBeFalse("newest has no score");
        PageCursor.TryDecode(Tamper(good, 6, 0x80), out _).ShouldBeFalse("a negative time");
    }

    private static string Tamper(string cursor, int index, byte value)
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(cursor);
        bytes[index] = value;
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }
}

public sealed class OfferKeysTests
{
    [Fact]
    public void Every_combination_of_terms_has_its_own_key_and_reads_back()
    {
        var keys = OfferKeys.All.ToList();
        keys.Count.ShouldBe(24);
        keys.Distinct().Count().ShouldBe(24);
        foreach (var scope in Enum.GetValues<LicenseScope>())
        foreach (var commercial in new[] { false, true })
        foreach (var term in Enum.GetValues<TermLength>())
        {
            var key = OfferKeys.For(scope, commercial, term);
            (OfferKeys.Scope(key), OfferKeys.Commercial(key), OfferKeys.TermOf(key)).ShouldBe((scope, commercial, term));
        }
    }

    [Theory]
    [InlineData(1, TermLength.UpToOneYear)]
    [InlineData(12, TermLength.UpToOneYear)]
    [InlineData(13, TermLength.OneToThreeYears)]
    [InlineData(36, TermLength.OneToThreeYears)]
    [InlineData(60, TermLength.ThreeToFiveYears)]
    [InlineData(61, TermLength.OverFiveYears)]
    [InlineData(120, TermLength.OverFiveYears)]
    public void Terms_are_grouped_by_length(int months, TermLength term) => OfferKeys.Term(months).ShouldBe(term);

    [Fact]
    public void Allowed_keys_satisfy_every_chosen_terms_filter_at_once()
    {
        var allowed = OfferKeys.Allowed([LicenseScope.GenerativeTraining], true, [TermLength.ThreeToFiveYears, TermLength.OverFiveYears]);
        allowed.ShouldBe([OfferKeys.For(LicenseScope.GenerativeTraining, true, TermLength.ThreeToFiveYears),
            OfferKeys.For(LicenseScope.GenerativeTraining, true, TermLength.OverFiveYears)], ignoreOrder: true);
        OfferKeys.Allowed([], null, []).Length.ShouldBe(24);
    }
}

public sealed class OfferPricesTests
{
    [Fact]
    public void The_codes_of_one_currency_between_two_prices_are_one_range_whatever_the_terms()
    {
        var low = OfferPrices.Code("EUR", 1000, 0);
        var high = OfferPrices.Code("EUR", 5000, 31);
        foreach (var key in OfferKeys.All)
        {
            OfferPrices.Code("EUR", 1000, key).ShouldBeInRange(low, high);
            OfferPrices.Code("EUR", 5000, key).ShouldBeInRange(low, high);
            OfferPrices.Code("EUR", 999, key).ShouldBeLessThan(low);
            OfferPrices.Code("EUR", 5001, key).ShouldBeGreaterThan(high);
            OfferPrices.Code("USD", 3000, key).ShouldNotBeInRange(low, high);
            (OfferPrices.Code("GBP", 3000, key) & 31).ShouldBe(key);
        }
        OfferPrices.Code("ZZZ", 100_000_000_000, 31).ShouldBePositive("every code fits a signed 64-bit number");
    }

    [Fact]
    public void Every_price_in_a_range_falls_in_one_of_the_range_s_buckets()
    {
        var prices = new long[] { 0, 1, 2, 3, 5, 6, 9, 10, 29, 30, 59, 60, 99, 100, 4900, 29999, 30000, 100_000_000 };
        foreach (var min in prices)
        foreach (var max in prices.Where(p => p >= min))
        {
            var buckets = OfferPrices.Buckets("JPY", min, max);
            foreach (var price in prices.Where(p => p >= min && p <= max))
                buckets.ShouldContain(OfferPrices.Bucket("JPY", price));
        }
        OfferPrices.Bucket("EUR", 4900).ShouldNotBe(OfferPrices.Bucket("USD", 4900));
    }
}
