using Market.Domain.Catalog;

namespace Market.Domain.Tests.Catalog;

public class EmailAddressesTests
{
    [Theory]
    [InlineData("ann@example.com", "ann@example.com")]
    [InlineData("  ann@example.com\t", "ann@example.com")]
    [InlineData("Ann.Other+royalties@Example.co.uk", "Ann.Other+royalties@Example.co.uk")]
    [InlineData("rights@harbour-press.example", "rights@harbour-press.example")]
    public void A_plain_address_is_kept_trimmed_in_the_case_it_was_typed(string value, string expected) =>
        EmailAddresses.Normalise(value).ShouldBe(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a@b")]
    [InlineData("a b@c.de")]
    [InlineData("ann@exa mple.com")]
    [InlineData("ann\t@example.com")]
    [InlineData("Ann <ann@example.com>")]
    [InlineData("\"Ann Other\" <ann@example.com>")]
    [InlineData("<ann@example.com>")]
    [InlineData("ann.example.com")]
    [InlineData("ann@")]
    [InlineData("@example.com")]
    [InlineData("ann@@example.com")]
    [InlineData("ann@example.com,ben@example.org")]
    [InlineData("ann@.example.com")]
    [InlineData("ann@example.com.")]
    public void Anything_but_a_single_plain_address_with_a_dotted_domain_is_refused(string? value) =>
        EmailAddresses.Normalise(value).ShouldBeNull();

    [Fact]
    public void An_address_of_254_characters_is_accepted_and_255_refused()
    {
        var longest = new string('a', 64) + "@" + new string('b', 185) + ".com";
        var tooLong = new string('a', 64) + "@" + new string('b', 186) + ".com";

        longest.Length.ShouldBe(254);
        EmailAddresses.Normalise(longest).ShouldBe(longest);
        EmailAddresses.Normalise(tooLong).ShouldBeNull();
    }

    [Fact]
    public void Surrounding_spaces_do_not_count_towards_the_length()
    {
        var longest = new string('a', 64) + "@" + new string('b', 185) + ".com";

        EmailAddresses.Normalise("  " + longest + "  ").ShouldBe(longest);
    }
}
