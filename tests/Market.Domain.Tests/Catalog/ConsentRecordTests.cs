using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Catalog;

/// <summary>What a consent record keeps besides who and when: the browser and the offers the creator agreed to.</summary>
public class ConsentRecordTests
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
    private const string NoOffer = "No license offer yet: nothing can be sold until the creator sets one.";

    private static readonly LicenseTerms ThreeYearsNonCommercial = new(
        LicenseScope.FineTuningOrStyle, Commercial: false, TermMonths: 36, AttributionRequired: true,
        NameMayNotBeUsedAsPrompt: false, ExpiryDuty.DestroyOrRetrainModels, AttestWithinDays: 60);

    private const string OneYearText =
        "49.00 EUR: generative model training, commercial use, 12 months, the creator's name may not be used as a prompt or trigger token; "
        + "at the end: delete the data, attested within 30 days";

    private const string ThreeYearsText =
        "120.50 GBP: fine-tuning or style models, non-commercial use, 36 months, attribution required; "
        + "at the end: delete the data and destroy or retrain the models trained on it, attested within 60 days";

    [Fact]
    public void A_grant_keeps_the_browser_that_sent_it()
    {
        var record = Draft().GrantConsent(Creator, ticked: true, ConsentText.CurrentVersion, "203.0.113.7", Now, Firefox);

        record.UserAgent.ShouldBe(Firefox);
        record.RemoteAddress.ShouldBe("203.0.113.7");
    }

    [Fact]
    public void A_grant_without_a_user_agent_keeps_none() =>
        Draft().GrantConsent(Creator, ticked: true, ConsentText.CurrentVersion, null, Now).UserAgent.ShouldBeNull();

    [Fact]
    public void A_user_agent_longer_than_400_characters_is_cut_to_400()
    {
        var userAgent = Firefox + new string('x', ConsentRecord.MaxUserAgentLength);

        var record = Draft().GrantConsent(Creator, ticked: true, ConsentText.CurrentVersion, null, Now, userAgent);

        record.UserAgent.ShouldBe(userAgent[..ConsentRecord.MaxUserAgentLength]);
    }

    [Fact]
    public void A_user_agent_of_exactly_400_characters_is_kept_whole()
    {
        var userAgent = new string('u', ConsentRecord.MaxUserAgentLength);

        Draft().GrantConsent(Creator, ticked: true, ConsentText.CurrentVersion, null, Now, userAgent).UserAgent.ShouldBe(userAgent);
    }

    [Fact]
    public void A_grant_before_any_offer_says_nothing_can_be_sold_yet() =>
        Draft().GrantConsent(Creator, ticked: true, ConsentText.CurrentVersion, null, Now).Terms.ShouldBe(NoOffer);

    [Fact]
    public void A_grant_describes_the_active_offers_in_force_and_leaves_out_retired_ones()
    {
        var work = Draft();
        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Price(4900, "EUR"), Now);
        var retired = work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative with { TermMonths = 6 }, new Price(100, "EUR"), Now);
        work.AddOffer(Creator, Guid.NewGuid(), ThreeYearsNonCommercial, new Price(12050, "GBP"), Now);
        work.RetireOffer(Creator, retired.Id);

        var record = work.GrantConsent(Creator, ticked: true, ConsentText.CurrentVersion, null, Now);

        record.Terms.ShouldBe(OneYearText + " | " + ThreeYearsText);
    }

    [Fact]
    public void A_grant_whose_offers_were_all_retired_says_nothing_can_be_sold()
    {
        var work = Draft();
        var offer = work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Price(4900, "EUR"), Now);
        work.RetireOffer(Creator, offer.Id);

        work.GrantConsent(Creator, ticked: true, ConsentText.CurrentVersion, null, Now).Terms.ShouldBe(NoOffer);
    }

    [Fact]
    public void A_withdrawal_keeps_the_browser_and_the_offers_that_were_in_force()
    {
        var work = Listed(priceMinor: 4900);
        var later = Now.AddDays(30);

        var record = work.WithdrawConsent(Creator, "198.51.100.2", later, Firefox);

        record.Action.ShouldBe(ConsentAction.Withdrawn);
        record.UserAgent.ShouldBe(Firefox);
        record.Terms.ShouldBe(OneYearText);
        record.Text.ShouldBe("Consent for \"Harbour at dusk\" withdrawn. No new licenses; licenses already sold run to their end date.");
    }

    [Fact]
    public void The_terms_a_record_keeps_do_not_follow_later_offer_changes()
    {
        var work = Draft();
        var offer = work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Price(4900, "EUR"), Now);
        var record = work.GrantConsent(Creator, ticked: true, ConsentText.CurrentVersion, null, Now);

        work.ReviseOffer(Creator, offer.Id, Guid.NewGuid(), ThreeYearsNonCommercial, new Price(12050, "GBP"), Now.AddDays(1));

        record.Terms.ShouldBe(OneYearText);
    }

    [Fact]
    public void Terms_longer_than_their_column_are_cut_to_it()
    {
        var terms = new string('t', ConsentRecord.MaxTermsLength) + "and more";

        var record = new ConsentRecord(Guid.NewGuid(), Creator, ConsentAction.Granted, ConsentText.CurrentVersion, "text", null, Now, null, terms);

        record.Terms.ShouldBe(terms[..ConsentRecord.MaxTermsLength]);
    }

    [Fact]
    public void A_record_made_without_terms_keeps_an_empty_text() =>
        new ConsentRecord(Guid.NewGuid(), Creator, ConsentAction.Granted, ConsentText.CurrentVersion, "text", null, Now).Terms.ShouldBe("");
}
