using Market.Domain.Licensing;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Licensing;

public class BundleTests
{
    private static Bundle NewBundle() => Bundle.Open(Guid.NewGuid(), Guid.NewGuid(), "buyer-1", Now);

    [Fact]
    public void Adding_a_work_keeps_the_chosen_offer_and_the_price_seen()
    {
        var bundle = NewBundle();
        var work = Listed(priceMinor: 4900, currency: "EUR");

        var item = bundle.Add(work, work.OnlyOfferId(), Now);

        item.BundleId.ShouldBe(bundle.Id);
        item.WorkId.ShouldBe(work.Id);
        item.OfferId.ShouldBe(work.OnlyOfferId());
        item.PriceMinor.ShouldBe(4900);
        item.Currency.ShouldBe("EUR");
        bundle.Items.ShouldHaveSingleItem().ShouldBeSameAs(item);
    }

    [Fact]
    public void A_work_that_is_not_for_sale_cannot_be_added()
    {
        var bundle = NewBundle();
        var work = Scanning(title: "Still scanning");

        Should.Throw<DomainException>(() => bundle.Add(work, work.OnlyOfferId(), Now))
            .Message.ShouldBe("\"Still scanning\" is not for sale any more.");
        bundle.Items.ShouldBeEmpty();
    }

    [Fact]
    public void A_withdrawn_work_cannot_be_added()
    {
        var bundle = NewBundle();
        var work = Listed();
        work.WithdrawConsent(Creator, null, Now);

        Should.Throw<DomainException>(() => bundle.Add(work, work.OnlyOfferId(), Now));
        bundle.Items.ShouldBeEmpty();
    }

    [Fact]
    public void The_same_work_cannot_be_added_twice()
    {
        var bundle = NewBundle();
        var work = Listed(title: "Harbour at dusk");
        bundle.Add(work, work.OnlyOfferId(), Now);

        Should.Throw<DomainException>(() => bundle.Add(work, work.OnlyOfferId(), Now))
            .Message.ShouldBe("\"Harbour at dusk\" is already in the bundle.");
        bundle.Items.Count.ShouldBe(1);
    }

    [Fact]
    public void The_same_work_cannot_be_added_twice_even_under_another_offer()
    {
        var bundle = NewBundle();
        var work = Listed();
        bundle.Add(work, work.OnlyOfferId(), Now);
        var second = work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative with { TermMonths = 24 }, new(9900, "EUR"), Now);

        Should.Throw<DomainException>(() => bundle.Add(work, second.Id, Now)).Message.ShouldEndWith("is already in the bundle.");
        bundle.Items.Count.ShouldBe(1);
    }

    [Fact]
    public void A_work_in_a_second_currency_is_refused()
    {
        var bundle = NewBundle();
        var euros = Listed(currency: "EUR");
        var dollars = Listed(title: "Dollar harbour", currency: "USD");
        bundle.Add(euros, euros.OnlyOfferId(), Now);

        Should.Throw<DomainException>(() => bundle.Add(dollars, dollars.OnlyOfferId(), Now))
            .Message.ShouldBe("This bundle is priced in EUR; \"Dollar harbour\" is offered in USD. Use another bundle.");
        bundle.Items.Count.ShouldBe(1);
    }

    [Fact]
    public void Works_in_the_same_currency_go_in_together()
    {
        var bundle = NewBundle();
        var first = Listed(currency: "GBP");
        var second = Listed(creatorId: OtherCreator, currency: "GBP");

        bundle.Add(first, first.OnlyOfferId(), Now);
        bundle.Add(second, second.OnlyOfferId(), Now);

        bundle.Items.Select(i => i.WorkId).ShouldBe([first.Id, second.Id]);
    }

    [Fact]
    public void Removing_a_work_takes_it_out_of_the_bundle()
    {
        var bundle = NewBundle();
        var kept = Listed();
        var removed = Listed();
        bundle.Add(kept, kept.OnlyOfferId(), Now);
        bundle.Add(removed, removed.OnlyOfferId(), Now);

        bundle.Remove(removed.Id);

        bundle.Items.ShouldHaveSingleItem().WorkId.ShouldBe(kept.Id);
    }

    [Fact]
    public void Removing_a_work_that_is_not_in_the_bundle_is_refused()
    {
        var bundle = NewBundle();
        var work = Listed();
        bundle.Add(work, work.OnlyOfferId(), Now);

        Should.Throw<DomainException>(() => bundle.Remove(Guid.NewGuid())).Message.ShouldBe("That work is not in the bundle.");
        bundle.Items.Count.ShouldBe(1);
    }

    [Fact]
    public void After_removing_the_last_work_another_currency_may_be_added()
    {
        var bundle = NewBundle();
        var euros = Listed(currency: "EUR");
        var yen = Listed(priceMinor: 5000, currency: "JPY");
        bundle.Add(euros, euros.OnlyOfferId(), Now);
        bundle.Remove(euros.Id);

        bundle.Add(yen, yen.OnlyOfferId(), Now).Currency.ShouldBe("JPY");
    }

    [Fact]
    public void A_checked_out_bundle_cannot_change()
    {
        var bundle = NewBundle();
        var inside = Listed();
        var outside = Listed();
        bundle.Add(inside, inside.OnlyOfferId(), Now);

        bundle.MarkCheckedOut();

        bundle.Status.ShouldBe(BundleStatus.CheckedOut);
        Should.Throw<DomainException>(() => bundle.Add(outside, outside.OnlyOfferId(), Now)).Message.ShouldBe("This bundle has been checked out already.");
        Should.Throw<DomainException>(() => bundle.Remove(inside.Id)).Message.ShouldBe("This bundle has been checked out already.");
        Should.Throw<DomainException>(bundle.MarkCheckedOut).Message.ShouldBe("This bundle has been checked out already.");
        bundle.Items.ShouldHaveSingleItem();
    }
}
