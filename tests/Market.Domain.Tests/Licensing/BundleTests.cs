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

        bundle.Remove(removed.Id, Now);

        bundle.Items.ShouldHaveSingleItem().WorkId.ShouldBe(kept.Id);
    }

    [Fact]
    public void Removing_a_work_that_is_not_in_the_bundle_is_refused()
    {
        var bundle = NewBundle();
        var work = Listed();
        bundle.Add(work, work.OnlyOfferId(), Now);

        Should.Throw<DomainException>(() => bundle.Remove(Guid.NewGuid(), Now)).Message.ShouldBe("That work is not in the bundle.");
        bundle.Items.Count.ShouldBe(1);
    }

    [Fact]
    public void After_removing_the_last_work_another_currency_may_be_added()
    {
        var bundle = NewBundle();
        var euros = Listed(currency: "EUR");
        var yen = Listed(priceMinor: 5000, currency: "JPY");
        bundle.Add(euros, euros.OnlyOfferId(), Now);
        bundle.Remove(euros.Id, Now);

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
        Should.Throw<DomainException>(() => bundle.Remove(inside.Id, Now)).Message.ShouldBe("This bundle has been checked out already.");
        Should.Throw<DomainException>(bundle.MarkCheckedOut).Message.ShouldBe("This bundle has been checked out already.");
        bundle.Items.ShouldHaveSingleItem();
    }
}

public class BundleSharingAndUseTests
{
    private static readonly LicenseTerms NonCommercialAnalysis =
        LicenseTerms.OneYearGenerative with { Scope = LicenseScope.NonGenerativeAnalysis, Commercial = false };

    private static Bundle NewBundle(string? name = null) => Bundle.Open(Guid.NewGuid(), Guid.NewGuid(), "buyer-1", Now, name);

    [Fact]
    public void A_bundle_is_named_renamed_and_refuses_empty_or_overlong_names()
    {
        NewBundle().Name.ShouldBe(Bundle.DefaultName);
        var bundle = NewBundle("  Landscapes v3 ");
        bundle.Name.ShouldBe("Landscapes v3");
        bundle.Rename(" Landscapes v4", Now.AddHours(1));
        bundle.Name.ShouldBe("Landscapes v4");
        bundle.UpdatedAt.ShouldBe(Now.AddHours(1));
        Should.Throw<DomainException>(() => bundle.Rename("   ", Now)).Message.ShouldContain("name");
        Should.Throw<DomainException>(() => bundle.Rename(new string('x', Bundle.MaxNameLength + 1), Now));
        bundle.Name.ShouldBe("Landscapes v4");
    }

    [Fact]
    public void A_bundle_is_its_authors_until_shared_and_only_the_author_shares_or_unshares_it()
    {
        var bundle = NewBundle();
        bundle.IsVisibleTo("buyer-1").ShouldBeTrue();
        bundle.IsVisibleTo("colleague").ShouldBeFalse();
        Should.Throw<DomainException>(() => bundle.Share(true, "colleague", Now)).Message.ShouldContain("Only the person who made");
        bundle.Share(true, "buyer-1", Now);
        bundle.IsVisibleTo("colleague").ShouldBeTrue();
        Should.Throw<DomainException>(() => bundle.Share(false, "colleague", Now));
        bundle.SharedWithOrganisation.ShouldBeTrue();
    }

    [Fact]
    public void Nothing_conflicts_until_an_intended_use_is_chosen_then_scope_and_commercial_use_are_checked()
    {
        var bundle = NewBundle();
        bundle.ConflictWith(NonCommercialAnalysis).ShouldBeNull();

        bundle.IntendUse(LicenseScope.GenerativeTraining, commercial: true, Now);
        bundle.ConflictWith(LicenseTerms.OneYearGenerative).ShouldBeNull();
        var conflict = bundle.ConflictWith(NonCommercialAnalysis).ShouldNotBeNull();
        conflict.ShouldContain("licensed for non-generative analysis, not generative model training");
        conflict.ShouldContain("non-commercial use only");

        bundle.IntendUse(LicenseScope.NonGenerativeAnalysis, commercial: false, Now);
        bundle.ConflictWith(NonCommercialAnalysis).ShouldBeNull();
        Should.Throw<DomainException>(() => bundle.IntendUse((LicenseScope)42, false, Now));
    }

    [Fact]
    public void Checkout_refuses_an_item_that_conflicts_with_the_intended_use()
    {
        var bundle = NewBundle();
        var work = Listed(terms: NonCommercialAnalysis, title: "Tide tables");
        bundle.Add(work, work.OnlyOfferId(), Now);
        bundle.IntendUse(LicenseScope.GenerativeTraining, commercial: true, Now);

        Should.Throw<DomainException>(() => Order.Place(Guid.NewGuid(), bundle, "buyer-1", ById(work), "test", Now))
            .Message.ShouldContain("\"Tide tables\" does not fit the bundle's intended use");
    }

    [Fact]
    public void Switching_to_another_offer_replaces_the_item_with_the_new_price_and_terms()
    {
        var bundle = NewBundle();
        var work = Listed(terms: NonCommercialAnalysis, priceMinor: 1000);
        var generative = work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Market.Domain.Money.Price(9000, "EUR"), Now);
        bundle.Add(work, work.ActiveOffers.First(o => o.Id != generative.Id).Id, Now);

        var item = bundle.ChangeOffer(work, generative.Id, Now.AddMinutes(5));

        bundle.Items.ShouldHaveSingleItem().ShouldBeSameAs(item);
        item.OfferId.ShouldBe(generative.Id);
        item.PriceMinor.ShouldBe(9000);
        Should.Throw<DomainException>(() => bundle.ChangeOffer(work, Guid.NewGuid(), Now)).Message.ShouldContain("no longer available");
        Should.Throw<DomainException>(() => bundle.ChangeOffer(Listed(), generative.Id, Now)).Message.ShouldContain("not in the bundle");
        bundle.Items.ShouldHaveSingleItem().OfferId.ShouldBe(generative.Id);
    }

    [Fact]
    public void A_checked_out_bundle_cannot_be_renamed_or_changed()
    {
        var bundle = NewBundle();
        var work = Listed();
        bundle.Add(work, work.OnlyOfferId(), Now);
        bundle.MarkCheckedOut();
        Should.Throw<DomainException>(() => bundle.Rename("New", Now));
        Should.Throw<DomainException>(() => bundle.IntendUse(LicenseScope.GenerativeTraining, true, Now));
        Should.Throw<DomainException>(() => bundle.Remove(work.Id, Now));
    }
}

public class CuratedBundleTests
{
    private static CuratedBundle ByCreator(string creator = Creator) =>
        CuratedBundle.Draft(Guid.NewGuid(), creator, curatorIsMarketplace: false, " Coastal light ", "Harbours at dawn and dusk", Now);

    [Fact]
    public void A_creator_curates_only_their_own_works_and_the_marketplace_any()
    {
        var curated = ByCreator();
        curated.Title.ShouldBe("Coastal light");
        var mine = Listed();
        var theirs = Listed(creatorId: "someone-else", title: "Not mine");
        curated.Add(mine, mine.OnlyOfferId());
        Should.Throw<DomainException>(() => curated.Add(theirs, theirs.OnlyOfferId())).Message.ShouldContain("not yours");
        curated.Items.ShouldHaveSingleItem().WorkId.ShouldBe(mine.Id);

        var staff = CuratedBundle.Draft(Guid.NewGuid(), "admin-1", curatorIsMarketplace: true, "Staff picks", null, Now);
        staff.Add(theirs, theirs.OnlyOfferId());
        staff.Items.ShouldHaveSingleItem();
    }

    [Fact]
    public void Works_not_for_sale_duplicates_and_mixed_currencies_are_refused()
    {
        var curated = ByCreator();
        var work = Listed();
        curated.Add(work, work.OnlyOfferId());
        Should.Throw<DomainException>(() => curated.Add(work, work.OnlyOfferId())).Message.ShouldContain("already");
        var dollars = Listed(currency: "USD");
        Should.Throw<DomainException>(() => curated.Add(dollars, dollars.OnlyOfferId())).Message.ShouldContain("EUR");
        var scanning = Scanning();
        Should.Throw<DomainException>(() => curated.Add(scanning, scanning.OnlyOfferId())).Message.ShouldContain("not for sale");
    }

    [Fact]
    public void An_empty_or_unpublished_curated_bundle_cannot_be_published_or_copied()
    {
        var curated = ByCreator();
        Should.Throw<DomainException>(() => curated.Publish(Now)).Message.ShouldContain("at least one work");
        var work = Listed();
        curated.Add(work, work.OnlyOfferId());
        var bundle = Bundle.Open(Guid.NewGuid(), Guid.NewGuid(), "buyer-1", Now);
        Should.Throw<DomainException>(() => curated.CopyInto(bundle, ById(work), Now)).Message.ShouldContain("not published");
        bundle.Items.ShouldBeEmpty();
    }

    [Fact]
    public void Copying_puts_the_works_still_for_sale_into_the_bundle_and_names_the_ones_left_out()
    {
        var curated = ByCreator();
        var kept = Listed(title: "Kept");
        var withdrawn = Listed(title: "Withdrawn later");
        curated.Add(kept, kept.OnlyOfferId());
        curated.Add(withdrawn, withdrawn.OnlyOfferId());
        curated.Publish(Now);
        withdrawn.WithdrawConsent(Creator, null, Now);

        var bundle = Bundle.Open(Guid.NewGuid(), Guid.NewGuid(), "buyer-1", Now);
        var skipped = curated.CopyInto(bundle, ById(kept, withdrawn), Now);

        bundle.Items.ShouldHaveSingleItem().WorkId.ShouldBe(kept.Id);
        skipped.ShouldHaveSingleItem().ShouldContain("Withdrawn later");
    }
}
