using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Catalog;

/// <summary>Adding, revising, retiring and replacing a work's license offers.</summary>
public class OfferEditingTests
{
    private static readonly Price FortyNineEuros = new(4900, "EUR");
    private static readonly Price NinetyNineEuros = new(9900, "EUR");
    private static readonly LicenseTerms ThreeYears = LicenseTerms.OneYearGenerative with { TermMonths = 36 };

    private static (Guid Id, bool Active, LicenseTerms Terms, long PriceMinor, string Currency)[] Snapshot(Work work) =>
        [.. work.Offers.Select(o => (o.Id, o.Active, o.Terms, o.PriceMinor, o.Currency))];

    /// <summary>A draft with <paramref name="count"/> active offers, each one month longer than the one before.</summary>
    private static Work WithOffers(int count)
    {
        var work = Draft();
        for (var i = 1; i <= count; i++)
            work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative with { TermMonths = i }, FortyNineEuros, Now);
        return work;
    }

    // Adding

    [Fact]
    public void The_same_terms_at_the_same_price_cannot_be_offered_twice()
    {
        var work = Draft(title: "Harbour at dusk");
        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now);

        Should.Throw<DomainException>(() => work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative with { }, new Price(4900, "EUR"), Now))
            .Message.ShouldBe("\"Harbour at dusk\" already has this offer.");
        work.Offers.ShouldHaveSingleItem();
    }

    [Fact]
    public void The_same_terms_at_another_price_or_currency_are_another_offer()
    {
        var work = Draft();
        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now);

        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, NinetyNineEuros, Now);
        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Price(4900, "USD"), Now);
        work.AddOffer(Creator, Guid.NewGuid(), ThreeYears, FortyNineEuros, Now);

        work.ActiveOffers.Count().ShouldBe(4);
    }

    [Fact]
    public void An_offer_that_was_retired_can_be_offered_again()
    {
        var work = Draft();
        var first = work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now);
        work.RetireOffer(Creator, first.Id);

        var again = work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now);

        work.ActiveOffers.ShouldHaveSingleItem().ShouldBeSameAs(again);
    }

    [Fact]
    public void A_work_takes_at_most_ten_active_offers()
    {
        var work = WithOffers(Work.MaxActiveOffers);

        Should.Throw<DomainException>(() => work.AddOffer(Creator, Guid.NewGuid(), ThreeYears with { TermMonths = 48 }, FortyNineEuros, Now))
            .Message.ShouldBe("A work has at most 10 offers; retire one first.");
        work.Offers.Count.ShouldBe(Work.MaxActiveOffers);
    }

    [Fact]
    public void Retiring_an_offer_makes_room_for_another_at_the_limit()
    {
        var work = WithOffers(Work.MaxActiveOffers);
        work.RetireOffer(Creator, work.ActiveOffers.First().Id);

        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative with { TermMonths = 48 }, FortyNineEuros, Now);

        work.ActiveOffers.Count().ShouldBe(Work.MaxActiveOffers);
        work.Offers.Count.ShouldBe(Work.MaxActiveOffers + 1);
    }

    // Revising

    [Fact]
    public void Revising_an_offer_retires_it_and_adds_its_successor()
    {
        var work = Listed(priceMinor: 4900);
        var old = work.ActiveOffers.Single();
        var newId = Guid.NewGuid();
        var later = Now.AddDays(5);

        var revised = work.ReviseOffer(Creator, old.Id, newId, ThreeYears, NinetyNineEuros, later);

        revised.Id.ShouldBe(newId);
        revised.Active.ShouldBeTrue();
        revised.Terms.ShouldBe(ThreeYears);
        revised.Price.ShouldBe(NinetyNineEuros);
        revised.CreatedAt.ShouldBe(later);
        old.Active.ShouldBeFalse();
        old.Terms.ShouldBe(LicenseTerms.OneYearGenerative);
        old.PriceMinor.ShouldBe(4900);
        work.Offers.ShouldBe([old, revised]);
        work.ActiveOffers.ShouldBe([revised]);
        work.OfferForSale(newId).ShouldBeSameAs(revised);
        Should.Throw<DomainException>(() => work.OfferForSale(old.Id));
    }

    [Fact]
    public void An_offer_can_be_revised_at_the_limit_of_ten()
    {
        var work = WithOffers(Work.MaxActiveOffers);
        var old = work.ActiveOffers.Last();

        work.ReviseOffer(Creator, old.Id, Guid.NewGuid(), ThreeYears with { TermMonths = 60 }, FortyNineEuros, Now);

        work.ActiveOffers.Count().ShouldBe(Work.MaxActiveOffers);
        old.Active.ShouldBeFalse();
    }

    [Fact]
    public void An_offer_can_be_revised_to_its_own_terms_and_price()
    {
        var work = Listed(priceMinor: 4900);
        var old = work.ActiveOffers.Single();

        var revised = work.ReviseOffer(Creator, old.Id, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now);

        work.ActiveOffers.ShouldBe([revised]);
        old.Active.ShouldBeFalse();
    }

    public static TheoryData<LicenseTerms, Price, string> InvalidSuccessors => new()
    {
        { ThreeYears with { TermMonths = 0 }, new Price(9900, "EUR"), "The term must be between 1 and 120 months." },
        { ThreeYears with { Scope = (LicenseScope)42 }, new Price(9900, "EUR"), "Choose what the license may be used for." },
        { ThreeYears, new Price(0, "EUR"), "The price must be greater than zero." },
        { ThreeYears, new Price(9900, "XYZ"), "Currency 'XYZ' is not supported. Choose one of " },
        { ThreeYears, new Price(1900, "EUR"), "\"Harbour at dusk\" already has this offer." },
    };

    [Theory]
    [MemberData(nameof(InvalidSuccessors))]
    public void When_the_successor_is_refused_the_revised_offer_stays_active_and_nothing_is_added(LicenseTerms terms, Price price, string message)
    {
        var work = Listed(priceMinor: 4900);
        var old = work.ActiveOffers.Single();
        work.AddOffer(Creator, Guid.NewGuid(), ThreeYears, new Price(1900, "EUR"), Now);
        var before = Snapshot(work);

        Should.Throw<DomainException>(() => work.ReviseOffer(Creator, old.Id, Guid.NewGuid(), terms, price, Now))
            .Message.ShouldStartWith(message);

        Snapshot(work).ShouldBe(before);
        old.Active.ShouldBeTrue();
        work.OfferForSale(old.Id).ShouldBeSameAs(old);
    }

    [Fact]
    public void Revising_an_offer_of_a_withdrawn_work_is_refused_and_leaves_the_offer_as_it_was()
    {
        var work = Listed();
        var old = work.ActiveOffers.Single();
        work.WithdrawConsent(Creator, null, Now);

        Should.Throw<DomainException>(() => work.ReviseOffer(Creator, old.Id, Guid.NewGuid(), ThreeYears, NinetyNineEuros, Now))
            .Message.ShouldBe("This work is withdrawn; it cannot take new offers.");
        work.Offers.ShouldHaveSingleItem().Active.ShouldBeTrue();
    }

    [Fact]
    public void Revising_an_unknown_or_retired_offer_is_refused()
    {
        var work = Listed();
        var retired = work.ActiveOffers.Single();
        var current = work.ReviseOffer(Creator, retired.Id, Guid.NewGuid(), ThreeYears, NinetyNineEuros, Now);

        Should.Throw<DomainException>(() => work.ReviseOffer(Creator, retired.Id, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now))
            .Message.ShouldBe("There is no such active offer on this work.");
        Should.Throw<DomainException>(() => work.ReviseOffer(Creator, Guid.NewGuid(), Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now))
            .Message.ShouldBe("There is no such active offer on this work.");
        work.Offers.Count.ShouldBe(2);
        work.ActiveOffers.ShouldBe([current]);
    }

    [Fact]
    public void Another_work_s_offer_cannot_be_revised_through_this_work()
    {
        var work = Listed();
        var other = Listed();
        var theirs = other.ActiveOffers.Single();

        Should.Throw<DomainException>(() => work.ReviseOffer(Creator, theirs.Id, Guid.NewGuid(), ThreeYears, NinetyNineEuros, Now))
            .Message.ShouldBe("There is no such active offer on this work.");
        theirs.Active.ShouldBeTrue();
        work.Offers.ShouldHaveSingleItem();
    }

    // Retiring

    [Fact]
    public void A_retired_offer_stays_on_record_but_is_no_longer_sold()
    {
        var work = Listed();
        var offer = work.ActiveOffers.Single();

        work.RetireOffer(Creator, offer.Id);

        offer.Active.ShouldBeFalse();
        work.Offers.ShouldHaveSingleItem().ShouldBeSameAs(offer);
        work.ActiveOffers.ShouldBeEmpty();
        Should.Throw<DomainException>(() => work.OfferForSale(offer.Id)).Message.ShouldBe("That offer for \"Harbour at dusk\" is no longer available.");
    }

    [Fact]
    public void Retiring_an_unknown_or_already_retired_offer_is_refused()
    {
        var work = Listed();
        var offer = work.ActiveOffers.Single();
        work.RetireOffer(Creator, offer.Id);

        Should.Throw<DomainException>(() => work.RetireOffer(Creator, offer.Id)).Message.ShouldBe("There is no such active offer on this work.");
        Should.Throw<DomainException>(() => work.RetireOffer(Creator, Guid.NewGuid())).Message.ShouldBe("There is no such active offer on this work.");
        offer.Active.ShouldBeFalse();
    }

    // Replacing

    [Fact]
    public void Replacing_the_offers_retires_every_active_one_and_adds_the_new_one()
    {
        var work = WithOffers(3);
        var old = work.Offers.ToList();
        var newId = Guid.NewGuid();

        var replacement = work.ReplaceOffers(Creator, newId, ThreeYears, NinetyNineEuros, Now.AddDays(1));

        replacement.Id.ShouldBe(newId);
        replacement.Terms.ShouldBe(ThreeYears);
        replacement.Price.ShouldBe(NinetyNineEuros);
        work.ActiveOffers.ShouldBe([replacement]);
        old.ShouldAllBe(o => !o.Active);
        work.Offers.Count.ShouldBe(4);
    }

    [Fact]
    public void Replacing_may_set_the_same_terms_and_price_as_an_offer_it_retires()
    {
        var work = WithOffers(2);
        var first = work.ActiveOffers.First();

        var replacement = work.ReplaceOffers(Creator, Guid.NewGuid(), first.Terms, first.Price, Now);

        work.ActiveOffers.ShouldBe([replacement]);
    }

    [Fact]
    public void Replacing_when_there_is_no_active_offer_adds_the_new_one()
    {
        var work = Draft();

        var replacement = work.ReplaceOffers(Creator, Guid.NewGuid(), ThreeYears, NinetyNineEuros, Now);

        work.Offers.ShouldBe([replacement]);
    }

    [Fact]
    public void When_the_replacement_is_refused_every_offer_is_active_again_and_nothing_is_added()
    {
        var work = WithOffers(3);
        work.RetireOffer(Creator, work.ActiveOffers.First().Id);
        var before = Snapshot(work);

        Should.Throw<DomainException>(() => work.ReplaceOffers(Creator, Guid.NewGuid(), ThreeYears with { AttestWithinDays = 0 }, NinetyNineEuros, Now))
            .Message.ShouldBe("The licensee must attest within 1 to 365 days of the end.");

        Snapshot(work).ShouldBe(before);
        work.ActiveOffers.Count().ShouldBe(2);
    }

    [Fact]
    public void Replacing_the_offers_of_a_withdrawn_work_is_refused_and_leaves_them_as_they_were()
    {
        var work = Listed();
        work.WithdrawConsent(Creator, null, Now);
        var before = Snapshot(work);

        Should.Throw<DomainException>(() => work.ReplaceOffers(Creator, Guid.NewGuid(), ThreeYears, NinetyNineEuros, Now))
            .Message.ShouldBe("This work is withdrawn; it cannot take new offers.");
        Snapshot(work).ShouldBe(before);
    }

    // Owner

    [Fact]
    public void Only_the_creator_can_revise_retire_or_replace_offers()
    {
        var work = Listed();
        var offer = work.ActiveOffers.Single();
        var before = Snapshot(work);

        Should.Throw<DomainException>(() => work.ReviseOffer(OtherCreator, offer.Id, Guid.NewGuid(), ThreeYears, NinetyNineEuros, Now))
            .Message.ShouldBe("Only the work's creator can do that.");
        Should.Throw<DomainException>(() => work.RetireOffer(OtherCreator, offer.Id))
            .Message.ShouldBe("Only the work's creator can do that.");
        Should.Throw<DomainException>(() => work.ReplaceOffers(OtherCreator, Guid.NewGuid(), ThreeYears, NinetyNineEuros, Now))
            .Message.ShouldBe("Only the work's creator can do that.");

        Snapshot(work).ShouldBe(before);
        work.IsForSale.ShouldBeTrue();
    }
}
