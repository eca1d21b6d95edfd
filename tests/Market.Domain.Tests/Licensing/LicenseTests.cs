using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Licensing;

public class LicenseTests
{
    private static readonly Dictionary<string, string> Names = new()
    {
        [Creator] = "Ada Painter",
        [OtherCreator] = "Ben Lens",
    };

    private static readonly LicenseTerms ThreeYearsNonCommercial = new(
        LicenseScope.FineTuningOrStyle, Commercial: false, TermMonths: 36, AttributionRequired: true,
        NameMayNotBeUsedAsPrompt: false, ExpiryDuty.DestroyOrRetrainModels, AttestWithinDays: 60);

    private static Order OrderFor(bool paid, params Work[] works)
    {
        var bundle = Bundle.Open(Guid.NewGuid(), Guid.NewGuid(), "buyer-1", Now);
        foreach (var work in works) bundle.Add(work, work.OnlyOfferId(), Now);
        var order = Order.Place(Guid.NewGuid(), bundle, "buyer-1", ById(works), "test", Now);
        if (paid) order.MarkPaid(order.TotalMinor, order.Currency, "pi_123", Now);
        return order;
    }

    private static License Issue(Order order, DateTimeOffset issuedAt) =>
        License.Issue(Guid.NewGuid(), order, id => Names[id], issuedAt);

    [Fact]
    public void A_license_is_not_issued_for_an_unpaid_order()
    {
        var order = OrderFor(paid: false, Listed());

        Should.Throw<DomainException>(() => Issue(order, Now)).Message.ShouldBe("A license is issued only for a paid order.");
    }

    [Fact]
    public void A_license_is_not_issued_for_a_cancelled_order()
    {
        var order = OrderFor(paid: false, Listed());
        order.Cancel();

        Should.Throw<DomainException>(() => Issue(order, Now)).Message.ShouldBe("A license is issued only for a paid order.");
    }

    [Fact]
    public void Each_item_snapshots_the_work_terms_price_and_creator()
    {
        var work = Listed(creatorId: OtherCreator, title: "Fields", priceMinor: 1250, currency: "GBP", terms: ThreeYearsNonCommercial);
        var order = OrderFor(paid: true, work);
        var issuedAt = Now.AddMinutes(10);

        var license = Issue(order, issuedAt);

        license.OrderId.ShouldBe(order.Id);
        license.OrganisationId.ShouldBe(order.OrganisationId);
        license.IssuedAt.ShouldBe(issuedAt);
        var item = license.Items.ShouldHaveSingleItem();
        item.LicenseId.ShouldBe(license.Id);
        item.WorkId.ShouldBe(work.Id);
        item.OfferId.ShouldBe(work.OnlyOfferId());
        item.WorkTitle.ShouldBe("Fields");
        item.CreatorId.ShouldBe(OtherCreator);
        item.CreatorName.ShouldBe("Ben Lens");
        item.CopyrightHolder.ShouldBe("Ben Lens");
        item.Terms.ShouldBe(ThreeYearsNonCommercial);
        item.PriceMinor.ShouldBe(1250);
        item.Currency.ShouldBe("GBP");
        item.StartsAt.ShouldBe(issuedAt);
    }

    [Fact]
    public void Every_line_of_the_order_becomes_an_item()
    {
        var first = Listed(creatorId: Creator, priceMinor: 4900);
        var second = Listed(creatorId: OtherCreator, priceMinor: 1250);

        var license = Issue(OrderFor(paid: true, first, second), Now);

        license.Items.Select(i => (i.WorkId, i.CreatorName, i.PriceMinor))
            .ShouldBe([(first.Id, "Ada Painter", 4900L), (second.Id, "Ben Lens", 1250L)], ignoreOrder: true);
    }

    [Theory]
    [InlineData(12, "2027-11-02T09:30:00+00:00")]
    [InlineData(1, "2026-12-02T09:30:00+00:00")]
    [InlineData(120, "2036-11-02T09:30:00+00:00")]
    public void A_license_ends_its_term_in_calendar_months_after_it_starts(int termMonths, string expectedEnd)
    {
        var work = Listed(terms: LicenseTerms.OneYearGenerative with { TermMonths = termMonths });

        var item = Issue(OrderFor(paid: true, work), Now).Items.Single();

        item.EndsAt.ShouldBe(DateTimeOffset.Parse(expectedEnd, System.Globalization.CultureInfo.InvariantCulture));
        item.EndsAt.ShouldBe(item.StartsAt.AddMonths(termMonths));
    }

    [Fact]
    public void A_license_starting_on_the_31st_ends_on_the_last_day_of_a_shorter_month()
    {
        var work = Listed(terms: LicenseTerms.OneYearGenerative with { TermMonths = 1 });
        var startsAt = new DateTimeOffset(2027, 1, 31, 12, 0, 0, TimeSpan.Zero);

        Issue(OrderFor(paid: true, work), startsAt).Items.Single().EndsAt
            .ShouldBe(new DateTimeOffset(2027, 2, 28, 12, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Changing_the_work_after_issue_does_not_reach_the_license()
    {
        var work = Listed(priceMinor: 4900, terms: ThreeYearsNonCommercial);
        var license = Issue(OrderFor(paid: true, work), Now);
        var item = license.Items.Single();
        var before = (item.OfferId, item.Terms, item.PriceMinor, item.Currency, item.StartsAt, item.EndsAt, item.WorkTitle, item.CreatorName);

        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative with { TermMonths = 6 }, new Price(99_00, "EUR"), Now.AddDays(1));
        work.WithdrawConsent(Creator, null, Now.AddDays(2));

        license.Items.ShouldHaveSingleItem().ShouldBeSameAs(item);
        (item.OfferId, item.Terms, item.PriceMinor, item.Currency, item.StartsAt, item.EndsAt, item.WorkTitle, item.CreatorName).ShouldBe(before);
        item.Terms.ShouldBe(ThreeYearsNonCommercial);
        item.PriceMinor.ShouldBe(4900);
        item.EndsAt.ShouldBe(Now.AddMonths(36));
    }

    [Fact]
    public void The_creator_name_is_looked_up_once_per_item_at_issue()
    {
        var work = Listed(creatorId: Creator);
        var order = OrderFor(paid: true, work);
        var lookups = new List<string>();
        var name = "Ada Painter";

        var license = License.Issue(Guid.NewGuid(), order, id => { lookups.Add(id); return name; }, Now);
        name = "Ada Renamed";

        lookups.ShouldBe([Creator]);
        license.Items.Single().CreatorName.ShouldBe("Ada Painter");
    }
}

public class LicenseDeliveryTests
{
    private static License OneYear(out Guid workId)
    {
        var work = TestWorks.Listed();
        workId = work.Id;
        var bundle = Bundle.Open(Guid.NewGuid(), Guid.NewGuid(), "buyer-1", TestWorks.Now);
        bundle.Add(work, work.OnlyOfferId(), TestWorks.Now);
        var order = Order.Place(Guid.NewGuid(), bundle, "buyer-1", TestWorks.ById([work]), "test", TestWorks.Now);
        order.MarkPaid(order.TotalMinor, order.Currency, "pi_1", TestWorks.Now);
        return License.Issue(Guid.NewGuid(), order, _ => "Ada Painter", TestWorks.Now);
    }

    [Fact]
    public void Items_are_deliverable_from_the_start_until_just_before_the_end()
    {
        var license = OneYear(out _);
        var item = license.Items.Single();
        item.IsDeliverable(item.StartsAt).ShouldBeTrue();
        item.IsDeliverable(item.EndsAt.AddTicks(-1)).ShouldBeTrue();
        item.IsDeliverable(item.EndsAt).ShouldBeFalse();
        item.IsDeliverable(item.StartsAt.AddTicks(-1)).ShouldBeFalse();
        license.DeliverableItems(item.EndsAt).ShouldBeEmpty();
    }

    [Fact]
    public void A_recalled_item_is_no_longer_deliverable_and_recalling_twice_changes_nothing()
    {
        var license = OneYear(out var workId);
        var recalled = license.Recall(workId, "  Consent withdrawn by the creator. ", TestWorks.Now.AddDays(3)).ShouldNotBeNull();
        recalled.RecallReason.ShouldBe("Consent withdrawn by the creator.");
        recalled.RecalledAt.ShouldBe(TestWorks.Now.AddDays(3));
        license.DeliverableItems(TestWorks.Now.AddDays(4)).ShouldBeEmpty();
        license.Recall(workId, "again", TestWorks.Now.AddDays(5)).ShouldBeNull();
        recalled.RecalledAt.ShouldBe(TestWorks.Now.AddDays(3));
        license.Recall(Guid.NewGuid(), "not in it", TestWorks.Now).ShouldBeNull();
    }

    [Fact]
    public void A_recall_needs_a_reason()
    {
        var license = OneYear(out var workId);
        Should.Throw<DomainException>(() => license.Recall(workId, "   ", TestWorks.Now));
        license.Items.Single().RecalledAt.ShouldBeNull();
    }
}
