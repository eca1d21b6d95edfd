using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Catalog;

public class WorkTests
{
    private static readonly Price FortyNineEuros = new(4900, "EUR");

    // Upload

    [Fact]
    public void An_uploaded_work_starts_as_a_draft_without_consent_and_is_not_for_sale()
    {
        var work = Work.Upload(Guid.NewGuid(), Creator, "  Harbour at dusk  ", null, Image, Now);

        work.State.ShouldBe(WorkState.Draft);
        work.Title.ShouldBe("Harbour at dusk");
        work.Description.ShouldBe("");
        work.OriginalKey.ShouldBe(Image.StorageKey);
        work.HasConsent.ShouldBeFalse();
        work.IsForSale.ShouldBeFalse();
        work.IsOwnedBy(Creator).ShouldBeTrue();
        work.IsOwnedBy(OtherCreator).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_work_without_a_title_is_refused(string? title) =>
        Should.Throw<DomainException>(() => Work.Upload(Guid.NewGuid(), Creator, title, null, Image, Now))
            .Message.ShouldBe("Give the work a title.");

    [Fact]
    public void A_title_longer_than_the_limit_is_refused() =>
        Should.Throw<DomainException>(() => Work.Upload(Guid.NewGuid(), Creator, new string('a', Work.MaxTitleLength + 1), null, Image, Now))
            .Message.ShouldBe("The title must be at most 200 characters.");

    [Fact]
    public void A_title_at_the_limit_is_accepted_and_surrounding_spaces_do_not_count() =>
        Work.Upload(Guid.NewGuid(), Creator, "  " + new string('a', Work.MaxTitleLength) + "  ", null, Image, Now)
            .Title.Length.ShouldBe(Work.MaxTitleLength);

    [Fact]
    public void A_description_longer_than_the_limit_is_refused() =>
        Should.Throw<DomainException>(() => Work.Upload(Guid.NewGuid(), Creator, "Title", new string('d', Work.MaxDescriptionLength + 1), Image, Now))
            .Message.ShouldBe("The description must be at most 4000 characters.");

    // Consent

    [Fact]
    public void Granting_consent_records_who_when_and_under_which_text()
    {
        var work = Draft();

        var record = work.GrantConsent(Creator, ticked: true, ConsentText.CurrentVersion, "203.0.113.7", Now);

        work.HasConsent.ShouldBeTrue();
        work.ConsentGrantedAt.ShouldBe(Now);
        work.ConsentTextVersion.ShouldBe(ConsentText.CurrentVersion);
        record.Action.ShouldBe(ConsentAction.Granted);
        record.WorkId.ShouldBe(work.Id);
        record.UserId.ShouldBe(Creator);
        record.TextVersion.ShouldBe(ConsentText.CurrentVersion);
        record.Text.ShouldBe(ConsentText.For(work.Title));
        record.RemoteAddress.ShouldBe("203.0.113.7");
        record.At.ShouldBe(Now);
    }

    [Fact]
    public void Consent_without_the_tick_is_refused()
    {
        var work = Draft();

        Should.Throw<DomainException>(() => work.GrantConsent(Creator, ticked: false, ConsentText.CurrentVersion, null, Now))
            .Message.ShouldBe("Tick the box to opt this work in. Nothing is sold without it.");
        work.HasConsent.ShouldBeFalse();
    }

    [Theory]
    [InlineData("2026-01-v1")]
    [InlineData("")]
    public void Consent_under_a_stale_text_version_is_refused(string staleVersion)
    {
        var work = Draft();

        Should.Throw<DomainException>(() => work.GrantConsent(Creator, ticked: true, staleVersion, null, Now))
            .Message.ShouldBe("The consent text changed while the page was open. Read the current text and confirm again.");
        work.HasConsent.ShouldBeFalse();
    }

    [Fact]
    public void Consent_given_by_someone_other_than_the_creator_is_refused()
    {
        var work = Draft();

        Should.Throw<DomainException>(() => work.GrantConsent(OtherCreator, ticked: true, ConsentText.CurrentVersion, null, Now))
            .Message.ShouldBe("Only the work's creator can do that.");
        work.HasConsent.ShouldBeFalse();
    }

    [Fact]
    public void Consent_cannot_be_granted_twice() =>
        Should.Throw<DomainException>(() => Consented().GrantConsent(Creator, true, ConsentText.CurrentVersion, null, Now))
            .Message.ShouldBe("You already opted this work in.");

    [Fact]
    public void Withdrawing_consent_takes_a_listed_work_off_sale()
    {
        var work = Listed();
        var later = Now.AddDays(3);

        var record = work.WithdrawConsent(Creator, "198.51.100.2", later);

        work.State.ShouldBe(WorkState.Withdrawn);
        work.HasConsent.ShouldBeFalse();
        work.IsForSale.ShouldBeFalse();
        work.WithdrawnAt.ShouldBe(later);
        record.Action.ShouldBe(ConsentAction.Withdrawn);
        record.TextVersion.ShouldBe(ConsentText.CurrentVersion);
        record.At.ShouldBe(later);
    }

    [Fact]
    public void Only_the_creator_can_withdraw_consent()
    {
        var work = Listed();

        Should.Throw<DomainException>(() => work.WithdrawConsent(OtherCreator, null, Now))
            .Message.ShouldBe("Only the work's creator can do that.");
        work.IsForSale.ShouldBeTrue();
    }

    [Fact]
    public void Consent_that_was_never_given_cannot_be_withdrawn() =>
        Should.Throw<DomainException>(() => Draft().WithdrawConsent(Creator, null, Now))
            .Message.ShouldBe("This work is not opted in.");

    [Fact]
    public void A_withdrawn_work_cannot_be_opted_in_again()
    {
        var work = Listed();
        work.WithdrawConsent(Creator, null, Now);

        Should.Throw<DomainException>(() => work.WithdrawConsent(Creator, null, Now)).Message.ShouldBe("This work is not opted in.");
        Should.Throw<DomainException>(() => work.GrantConsent(Creator, true, ConsentText.CurrentVersion, null, Now))
            .Message.ShouldBe("This work is withdrawn; upload it again to offer it.");
    }

    // Offers

    [Fact]
    public void An_offer_is_added_active_with_its_terms_and_price()
    {
        var work = Draft();
        var offerId = Guid.NewGuid();

        var offer = work.AddOffer(Creator, offerId, LicenseTerms.OneYearGenerative, FortyNineEuros, Now);

        offer.Id.ShouldBe(offerId);
        offer.WorkId.ShouldBe(work.Id);
        offer.Active.ShouldBeTrue();
        offer.Terms.ShouldBe(LicenseTerms.OneYearGenerative);
        offer.Price.ShouldBe(FortyNineEuros);
        work.ActiveOffers.ShouldHaveSingleItem().ShouldBeSameAs(offer);
    }

    [Theory]
    [InlineData(0, 30, "The term must be between 1 and 120 months.")]
    [InlineData(121, 30, "The term must be between 1 and 120 months.")]
    [InlineData(-12, 30, "The term must be between 1 and 120 months.")]
    [InlineData(12, 0, "The licensee must attest within 1 to 365 days of the end.")]
    [InlineData(12, 366, "The licensee must attest within 1 to 365 days of the end.")]
    public void An_offer_with_impossible_terms_is_refused(int termMonths, int attestDays, string message)
    {
        var work = Draft();
        var terms = LicenseTerms.OneYearGenerative with { TermMonths = termMonths, AttestWithinDays = attestDays };

        Should.Throw<DomainException>(() => work.AddOffer(Creator, Guid.NewGuid(), terms, FortyNineEuros, Now)).Message.ShouldBe(message);
        work.Offers.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(120, 365)]
    public void Terms_at_the_limits_are_accepted(int termMonths, int attestDays) =>
        Draft().AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative with { TermMonths = termMonths, AttestWithinDays = attestDays },
            FortyNineEuros, Now).Active.ShouldBeTrue();

    [Fact]
    public void An_offer_with_an_undefined_scope_or_duty_is_refused()
    {
        var work = Draft();

        Should.Throw<DomainException>(() => work.AddOffer(Creator, Guid.NewGuid(),
            LicenseTerms.OneYearGenerative with { Scope = (LicenseScope)99 }, FortyNineEuros, Now))
            .Message.ShouldBe("Choose what the license may be used for.");
        Should.Throw<DomainException>(() => work.AddOffer(Creator, Guid.NewGuid(),
            LicenseTerms.OneYearGenerative with { DutyAtExpiry = 0 }, FortyNineEuros, Now))
            .Message.ShouldBe("Choose what the licensee must do when the license ends.");
    }

    // Price is a public record struct, so a caller can build one without going through Create.
    [Theory]
    [InlineData(0, "EUR", "The price must be greater than zero.")]
    [InlineData(-4900, "EUR", "The price must be greater than zero.")]
    [InlineData(100_000_001, "EUR", "The price must not exceed 1,000,000 EUR.")]
    public void An_offer_with_a_bad_price_is_refused(long minor, string currency, string message)
    {
        var work = Draft();

        Should.Throw<DomainException>(() => work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Price(minor, currency), Now))
            .Message.ShouldBe(message);
        work.Offers.ShouldBeEmpty();
    }

    [Fact]
    public void An_offer_in_an_unsupported_currency_is_refused() =>
        Should.Throw<DomainException>(() => Draft().AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Price(4900, "XYZ"), Now))
            .Message.ShouldStartWith("Currency 'XYZ' is not supported.");

    [Fact]
    public void Only_the_creator_can_add_an_offer() =>
        Should.Throw<DomainException>(() => Draft().AddOffer(OtherCreator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now))
            .Message.ShouldBe("Only the work's creator can do that.");

    [Fact]
    public void A_withdrawn_work_takes_no_new_offers()
    {
        var work = Listed();
        work.WithdrawConsent(Creator, null, Now);

        Should.Throw<DomainException>(() => work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now))
            .Message.ShouldBe("This work is withdrawn; it cannot take new offers.");
    }

    // Listing

    [Fact]
    public void Listing_without_consent_is_refused()
    {
        var work = Draft();
        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now);

        Should.Throw<DomainException>(() => work.SubmitForListing(Creator))
            .Message.ShouldBe("Opt the work in on its consent page before listing it.");
        work.State.ShouldBe(WorkState.Draft);
    }

    [Fact]
    public void Listing_without_an_offer_is_refused()
    {
        var work = Consented();

        Should.Throw<DomainException>(() => work.SubmitForListing(Creator))
            .Message.ShouldBe("Add at least one license offer before listing the work.");
        work.State.ShouldBe(WorkState.Draft);
    }

    [Fact]
    public void Listing_with_consent_and_an_offer_sends_the_work_to_the_scan()
    {
        var work = Consented();
        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now);

        work.SubmitForListing(Creator);

        work.State.ShouldBe(WorkState.Scanning);
        work.IsForSale.ShouldBeFalse();
    }

    [Fact]
    public void Only_the_creator_can_submit_a_work_for_listing()
    {
        var work = Consented();
        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now);

        Should.Throw<DomainException>(() => work.SubmitForListing(OtherCreator)).Message.ShouldBe("Only the work's creator can do that.");
        work.State.ShouldBe(WorkState.Draft);
    }

    [Fact]
    public void A_work_cannot_be_submitted_twice() =>
        Should.Throw<DomainException>(() => Scanning().SubmitForListing(Creator)).Message.ShouldBe("This work is already scanning.");

    // Scan

    [Fact]
    public void A_clean_scan_lists_the_work_and_keeps_its_hashes()
    {
        var work = Scanning();
        var later = Now.AddMinutes(2);

        work.CompleteScan("sha-256", "0123456789abcdef", "previews/p.webp", listedDuplicate: null, later);

        work.State.ShouldBe(WorkState.Listed);
        work.IsForSale.ShouldBeTrue();
        work.ListedAt.ShouldBe(later);
        work.Sha256.ShouldBe("sha-256");
        work.PerceptualHash.ShouldBe("0123456789abcdef");
        work.PreviewKey.ShouldBe("previews/p.webp");
        work.RejectionReason.ShouldBeNull();
    }

    [Fact]
    public void An_exact_copy_of_the_creator_s_own_listed_work_is_rejected_naming_that_work()
    {
        var original = Listed(title: "Harbour at dusk");
        var copy = Scanning(title: "Harbour again");

        copy.CompleteScan("sha-256", "0123456789abcdef", null, listedDuplicate: original, Now);

        copy.State.ShouldBe(WorkState.Rejected);
        copy.IsForSale.ShouldBeFalse();
        copy.ListedAt.ShouldBeNull();
        copy.RejectionReason.ShouldBe("This file is an exact copy of your work \"Harbour at dusk\", which is already listed.");
    }

    [Fact]
    public void An_exact_copy_of_another_creator_s_work_is_rejected_without_revealing_that_work()
    {
        var original = Listed(creatorId: OtherCreator, title: "Their harbour");
        var copy = Scanning();

        copy.CompleteScan("sha-256", "0123456789abcdef", null, listedDuplicate: original, Now);

        copy.State.ShouldBe(WorkState.Rejected);
        copy.RejectionReason.ShouldBe("This file is an exact copy of a work another creator has already listed. If it is yours, file a claim.");
    }

    [Fact]
    public void A_retried_scan_changes_nothing_once_the_work_is_decided()
    {
        var work = Scanning();
        work.CompleteScan("first", "1111111111111111", "first.webp", listedDuplicate: null, Now);
        var duplicate = Listed();

        work.CompleteScan("second", "2222222222222222", "second.webp", listedDuplicate: duplicate, Now.AddHours(1));
        work.FailScan("unreadable");

        work.State.ShouldBe(WorkState.Listed);
        work.Sha256.ShouldBe("first");
        work.PerceptualHash.ShouldBe("1111111111111111");
        work.PreviewKey.ShouldBe("first.webp");
        work.ListedAt.ShouldBe(Now);
        work.RejectionReason.ShouldBeNull();
    }

    [Fact]
    public void A_scan_finishing_for_a_draft_does_not_list_it()
    {
        var work = Consented();

        work.CompleteScan("sha", "0123456789abcdef", null, listedDuplicate: null, Now);

        work.State.ShouldBe(WorkState.Draft);
        work.Sha256.ShouldBeNull();
    }

    [Fact]
    public void A_scan_finishing_after_consent_was_withdrawn_does_not_list_the_work()
    {
        var work = Scanning();
        work.WithdrawConsent(Creator, null, Now);

        work.CompleteScan("sha", "0123456789abcdef", null, listedDuplicate: null, Now);

        work.State.ShouldBe(WorkState.Withdrawn);
        work.IsForSale.ShouldBeFalse();
    }

    [Fact]
    public void A_failed_scan_rejects_the_work_with_the_reason()
    {
        var work = Scanning();

        work.FailScan("The file could not be decoded.");

        work.State.ShouldBe(WorkState.Rejected);
        work.RejectionReason.ShouldBe("The file could not be decoded.");
        work.IsForSale.ShouldBeFalse();
    }

    [Fact]
    public void A_failed_scan_for_a_work_that_is_not_scanning_changes_nothing()
    {
        var work = Draft();

        work.FailScan("late failure");

        work.State.ShouldBe(WorkState.Draft);
        work.RejectionReason.ShouldBeNull();
    }

    [Fact]
    public void A_rejected_work_takes_no_new_offers()
    {
        var work = Draft();
        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now);
        work.GrantConsent(Creator, true, ConsentText.CurrentVersion, null, Now);
        work.SubmitForListing(Creator);
        work.FailScan("unreadable");

        Should.Throw<DomainException>(() => work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, FortyNineEuros, Now))
            .Message.ShouldBe("This work is rejected; it cannot take new offers.");
    }

    // Selling

    [Fact]
    public void A_listed_work_sells_under_its_active_offer()
    {
        var work = Listed();
        var offerId = work.OnlyOfferId();

        work.OfferForSale(offerId).Id.ShouldBe(offerId);
    }

    [Fact]
    public void A_withdrawn_work_is_not_for_sale()
    {
        var work = Listed(title: "Harbour at dusk");
        var offerId = work.OnlyOfferId();
        work.WithdrawConsent(Creator, null, Now);

        Should.Throw<DomainException>(() => work.OfferForSale(offerId)).Message.ShouldBe("\"Harbour at dusk\" is not for sale any more.");
    }

    [Fact]
    public void A_work_still_scanning_is_not_for_sale()
    {
        var work = Scanning();

        Should.Throw<DomainException>(() => work.OfferForSale(work.OnlyOfferId())).Message.ShouldBe("\"Harbour at dusk\" is not for sale any more.");
    }

    [Fact]
    public void An_offer_the_work_does_not_have_is_refused() =>
        Should.Throw<DomainException>(() => Listed(title: "Harbour at dusk").OfferForSale(Guid.NewGuid()))
            .Message.ShouldBe("That offer for \"Harbour at dusk\" is no longer available.");

    [Fact]
    public void Another_work_s_offer_is_refused()
    {
        var other = Listed();

        Should.Throw<DomainException>(() => Listed().OfferForSale(other.OnlyOfferId()))
            .Message.ShouldEndWith("is no longer available.");
    }
}
