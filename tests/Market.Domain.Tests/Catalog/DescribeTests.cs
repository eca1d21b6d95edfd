using Market.Domain.Catalog;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Catalog;

/// <summary>The creator's description of a work: title, description, tags, medium and year.</summary>
public class DescribeTests
{
    private static void Describe(Work work, string? title = "Harbour at dusk", string? description = "Oil on canvas.",
        IEnumerable<string>? tags = null, WorkMedium medium = WorkMedium.Painting, int? year = 2019, DateTimeOffset? now = null) =>
        work.Describe(Creator, title, description, tags ?? [], medium, year, now ?? Now);

    private static (string Title, string Description, string Tags, WorkMedium Medium, int? Year) Snapshot(Work work) =>
        (work.Title, work.Description, string.Join("|", work.Tags), work.Medium, work.CreationYear);

    [Fact]
    public void Describing_a_work_sets_every_field_trimmed()
    {
        var work = Draft();

        work.Describe(Creator, "  Harbour, late  ", "  Oil on canvas, 2019.  ", ["harbour", "dusk"], WorkMedium.Painting, 2019, Now);

        work.Title.ShouldBe("Harbour, late");
        work.Description.ShouldBe("Oil on canvas, 2019.");
        work.Tags.ShouldBe(["harbour", "dusk"]);
        work.Medium.ShouldBe(WorkMedium.Painting);
        work.CreationYear.ShouldBe(2019);
    }

    [Fact]
    public void A_new_work_has_no_tags_medium_or_year()
    {
        var work = Draft();

        work.Tags.ShouldBeEmpty();
        work.Medium.ShouldBe(WorkMedium.Unspecified);
        work.CreationYear.ShouldBeNull();
    }

    [Fact]
    public void Describing_again_replaces_the_earlier_description()
    {
        var work = Draft();
        Describe(work, tags: ["harbour", "dusk"], year: 2019);

        work.Describe(Creator, "Fields", null, [], WorkMedium.Unspecified, null, Now);

        work.Title.ShouldBe("Fields");
        work.Description.ShouldBe("");
        work.Tags.ShouldBeEmpty();
        work.Medium.ShouldBe(WorkMedium.Unspecified);
        work.CreationYear.ShouldBeNull();
    }

    [Fact]
    public void A_listed_work_can_be_described()
    {
        var work = Listed();

        Describe(work, title: "Harbour, revisited");

        work.Title.ShouldBe("Harbour, revisited");
        work.IsForSale.ShouldBeTrue();
    }

    // Title and description

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_description_without_a_title_is_refused(string? title)
    {
        var work = Draft();
        var before = Snapshot(work);

        Should.Throw<DomainException>(() => Describe(work, title: title)).Message.ShouldBe("Give the work a title.");
        Snapshot(work).ShouldBe(before);
    }

    [Fact]
    public void A_title_of_200_characters_is_accepted_and_201_refused()
    {
        var work = Draft();

        Describe(work, title: new string('t', Work.MaxTitleLength));
        Should.Throw<DomainException>(() => Describe(work, title: new string('u', Work.MaxTitleLength + 1)))
            .Message.ShouldBe("The title must be at most 200 characters.");

        work.Title.ShouldBe(new string('t', Work.MaxTitleLength));
    }

    [Fact]
    public void A_description_of_4000_characters_is_accepted_and_4001_refused()
    {
        var work = Draft();

        Describe(work, description: new string('d', Work.MaxDescriptionLength));
        Should.Throw<DomainException>(() => Describe(work, description: new string('e', Work.MaxDescriptionLength + 1)))
            .Message.ShouldBe("The description must be at most 4000 characters.");

        work.Description.ShouldBe(new string('d', Work.MaxDescriptionLength));
    }

    // Tags

    [Fact]
    public void Tags_are_trimmed_lower_cased_single_spaced_and_de_duplicated_in_the_order_given()
    {
        var work = Draft();

        Describe(work, tags: ["  Oil   Painting ", "HARBOUR", "oil painting", "", "   ", "Dusk\tLight", "harbour", "Ölmalerei"]);

        work.Tags.ShouldBe(["oil painting", "harbour", "dusk light", "ölmalerei"]);
    }

    [Fact]
    public void Thirty_tags_are_accepted()
    {
        var work = Draft();

        Describe(work, tags: Enumerable.Range(1, Work.MaxTags).Select(i => $"tag {i}"));

        work.Tags.Count.ShouldBe(Work.MaxTags);
    }

    [Fact]
    public void Thirty_one_tags_are_refused()
    {
        var work = Draft();

        Should.Throw<DomainException>(() => Describe(work, tags: Enumerable.Range(1, Work.MaxTags + 1).Select(i => $"tag {i}")))
            .Message.ShouldBe("A work has at most 30 tags.");
        work.Tags.ShouldBeEmpty();
    }

    [Fact]
    public void Duplicates_and_blanks_do_not_count_towards_the_thirty()
    {
        var work = Draft();
        var tags = Enumerable.Range(1, Work.MaxTags).Select(i => $"tag {i}").Concat(["TAG 1", " tag  2 ", ""]);

        Describe(work, tags: tags);

        work.Tags.Count.ShouldBe(Work.MaxTags);
    }

    [Fact]
    public void A_tag_of_40_characters_is_accepted()
    {
        var work = Draft();

        Describe(work, tags: [new string('a', Work.MaxTagLength)]);

        work.Tags.ShouldBe([new string('a', Work.MaxTagLength)]);
    }

    [Fact]
    public void A_tag_longer_than_40_characters_is_refused_quoting_its_start()
    {
        var work = Draft();

        Should.Throw<DomainException>(() => Describe(work, tags: ["harbour", "Abcdefghijklmnopqrstuvwxyz abcdefghijklmnop"]))
            .Message.ShouldBe("The tag \"abcdefghijklmnopqrst…\" is longer than 40 characters.");
        work.Tags.ShouldBeEmpty();
    }

    [Fact]
    public void Spaces_collapsed_inside_a_tag_do_not_count_towards_its_length()
    {
        var work = Draft();
        var tag = new string('a', 20) + "     " + new string('b', 19);

        Describe(work, tags: [tag]);

        work.Tags.ShouldBe([new string('a', 20) + " " + new string('b', 19)]);
    }

    // Medium and year

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    public void A_medium_outside_the_list_is_refused(int medium)
    {
        var work = Draft();
        var before = Snapshot(work);

        Should.Throw<DomainException>(() => Describe(work, medium: (WorkMedium)medium)).Message.ShouldBe("Choose the work's medium from the list.");
        Snapshot(work).ShouldBe(before);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1890)]
    [InlineData(2026)]
    [InlineData(null)]
    public void A_year_from_1000_to_the_current_year_or_none_is_accepted(int? year)
    {
        var work = Draft();

        Describe(work, year: year);

        work.CreationYear.ShouldBe(year);
    }

    [Theory]
    [InlineData(999)]
    [InlineData(2027)]
    [InlineData(0)]
    [InlineData(-500)]
    public void A_year_before_1000_or_after_the_current_year_is_refused(int year)
    {
        var work = Draft();

        Should.Throw<DomainException>(() => Describe(work, year: year, now: Now))
            .Message.ShouldBe("The year of creation must be between 1000 and 2026.");
        work.CreationYear.ShouldBeNull();
    }

    [Fact]
    public void The_current_year_is_taken_from_the_time_given()
    {
        var work = Draft();
        var newYear = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Describe(work, year: 2027, now: newYear);

        work.CreationYear.ShouldBe(2027);
        Should.Throw<DomainException>(() => Describe(work, year: 2027, now: newYear.AddTicks(-1)))
            .Message.ShouldBe("The year of creation must be between 1000 and 2026.");
    }

    // Who and when

    [Fact]
    public void Only_the_creator_can_describe_the_work()
    {
        var work = Draft();
        var before = Snapshot(work);

        Should.Throw<DomainException>(() => work.Describe(OtherCreator, "Mine now", null, ["stolen"], WorkMedium.Photograph, 2020, Now))
            .Message.ShouldBe("Only the work's creator can do that.");
        Snapshot(work).ShouldBe(before);
    }

    [Fact]
    public void A_rejected_work_cannot_be_described()
    {
        var work = Scanning();
        work.FailScan("unreadable");
        var before = Snapshot(work);

        Should.Throw<DomainException>(() => Describe(work, title: "Another try"))
            .Message.ShouldBe("This work was refused; upload it again to describe it.");
        Snapshot(work).ShouldBe(before);
    }

    [Fact]
    public void Refused_tags_leave_the_title_and_description_unchanged()
    {
        var work = Draft();
        Describe(work, title: "Harbour at dusk", description: "Oil on canvas.", tags: ["harbour"]);
        var before = Snapshot(work);

        Should.Throw<DomainException>(() => Describe(work, title: "Renamed", description: "Changed.", tags: [new string('x', Work.MaxTagLength + 1)]))
            .Message.ShouldStartWith("The tag ");

        Snapshot(work).ShouldBe(before);
        work.Title.ShouldBe("Harbour at dusk");
    }
}
