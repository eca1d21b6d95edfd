using Market.Domain.Licensing;

namespace Market.Domain.Tests.Licensing;

public class ApiTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Hash = new('a', 64);

    private static ApiToken Issue(string? name = "downloads", ApiScopes scopes = ApiScopes.Downloads, DateTimeOffset? expiresAt = null, int active = 0) =>
        ApiToken.Issue(Guid.NewGuid(), Guid.NewGuid(), name, scopes, "admin-1", expiresAt, Hash, "mkt_abcd", active, Now);

    [Fact]
    public void A_token_keeps_what_it_was_given_and_works_until_it_expires()
    {
        var token = Issue(name: "  cluster downloads ", scopes: ApiScopes.Downloads | ApiScopes.LicensesRead, expiresAt: Now.AddDays(30));

        token.Name.ShouldBe("cluster downloads");
        token.CreatedByUserId.ShouldBe("admin-1");
        token.SecretHash.ShouldBe(Hash);
        token.IsActive(Now.AddDays(30).AddTicks(-1)).ShouldBeTrue();
        token.IsActive(Now.AddDays(30)).ShouldBeFalse();
        token.Allows(ApiScopes.Downloads).ShouldBeTrue();
        token.Allows(ApiScopes.LicensesRead).ShouldBeTrue();
        token.Allows(ApiScopes.TrainingRunsWrite).ShouldBeFalse();
        token.Allows(ApiScopes.None).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null, "Name the token")]
    [InlineData("   ", "Name the token")]
    public void A_token_needs_a_name(string? name, string message) =>
        Should.Throw<DomainException>(() => Issue(name: name)).Message.ShouldStartWith(message);

    [Fact]
    public void A_name_too_long_no_scope_or_an_unknown_scope_is_refused()
    {
        Should.Throw<DomainException>(() => Issue(name: new string('n', ApiToken.MaxNameLength + 1))).Message.ShouldContain("at most 100");
        Should.Throw<DomainException>(() => Issue(scopes: ApiScopes.None)).Message.ShouldBe("Choose at least one thing the token may do.");
        Should.Throw<DomainException>(() => Issue(scopes: (ApiScopes)64)).Message.ShouldBe("Choose the token's scopes from the list.");
    }

    [Fact]
    public void The_expiry_must_be_in_the_future_and_within_two_years()
    {
        Should.Throw<DomainException>(() => Issue(expiresAt: Now)).Message.ShouldBe("The expiry date must be in the future.");
        Should.Throw<DomainException>(() => Issue(expiresAt: Now.AddDays(800))).Message.ShouldContain("at most two years");
        Issue(expiresAt: Now.AddDays(730)).ExpiresAt.ShouldBe(Now.AddDays(730));
        Issue(expiresAt: null).IsActive(Now.AddYears(10)).ShouldBeTrue();
    }

    [Fact]
    public void An_organisation_has_a_limited_number_of_active_tokens()
    {
        Should.Throw<DomainException>(() => Issue(active: ApiToken.MaxPerOrganisation)).Message.ShouldContain("at most 50 active tokens");
        Issue(active: ApiToken.MaxPerOrganisation - 1).ShouldNotBeNull();
    }

    [Fact]
    public void Revoking_stops_the_token_and_keeps_the_first_record_of_who_and_when()
    {
        var token = Issue();

        token.Revoke("admin-2", Now.AddHours(1));
        token.Revoke("admin-3", Now.AddHours(2));

        token.IsActive(Now.AddHours(1)).ShouldBeFalse();
        token.RevokedAt.ShouldBe(Now.AddHours(1));
        token.RevokedByUserId.ShouldBe("admin-2");
    }

    [Fact]
    public void Use_is_recorded_at_most_once_a_minute()
    {
        var token = Issue();
        token.NeedsUsageRecorded(Now).ShouldBeTrue();

        token.RecordUse(Now);
        token.RecordUse(Now.AddSeconds(59));

        token.LastUsedAt.ShouldBe(Now);
        token.NeedsUsageRecorded(Now.AddSeconds(59)).ShouldBeFalse();
        token.NeedsUsageRecorded(Now.AddMinutes(1)).ShouldBeTrue();
        token.RecordUse(Now.AddMinutes(1));
        token.LastUsedAt.ShouldBe(Now.AddMinutes(1));
    }

    [Fact]
    public void Scope_names_parse_both_ways_and_an_unknown_name_is_refused_not_ignored()
    {
        ApiScope.Parse(["licenses:read", " downloads ", "", null]).ShouldBe(ApiScopes.LicensesRead | ApiScopes.Downloads);
        ApiScope.Names(ApiScopes.TrainingRunsWrite | ApiScopes.LicensesRead).ShouldBe(["licenses:read", "training-runs:write"]);
        Should.Throw<DomainException>(() => ApiScope.Parse(["licenses:write"])).Message.ShouldStartWith("\"licenses:write\" is not a scope.");
    }
}
