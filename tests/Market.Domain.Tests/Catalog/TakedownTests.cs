using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Catalog;

public class TakedownTests
{
    private const string Moderator = "moderator-1";

    [Fact]
    public void A_taken_down_work_leaves_the_market_with_the_reason_who_and_when()
    {
        var work = Listed();
        var at = Now.AddDays(3);

        work.TakeDown("  Stolen from the artist's portfolio. ", Moderator, at);

        work.State.ShouldBe(WorkState.TakenDown);
        work.Status.ShouldBe("taken down");
        work.IsForSale.ShouldBeFalse();
        (work.TakenDownAt, work.TakedownReason, work.TakenDownByUserId).ShouldBe((at, "Stolen from the artist's portfolio.", Moderator));
        Should.Throw<DomainException>(() => work.OfferForSale(work.OnlyOfferId())).Message.ShouldContain("is not for sale any more");
    }

    [Fact]
    public void A_withdrawn_work_can_still_be_taken_down_because_its_licenses_must_be_recalled()
    {
        var work = Listed();
        work.WithdrawConsent(Creator, null, Now);

        work.TakeDown("Theft", Moderator, Now.AddDays(1));

        work.State.ShouldBe(WorkState.TakenDown);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void A_takedown_needs_a_reason_and_without_one_nothing_changes(string? reason)
    {
        var work = Listed();

        Should.Throw<DomainException>(() => work.TakeDown(reason, Moderator, Now))
            .Message.ShouldBe("Give the reason for the takedown; the creator and the licensees are told it.");
        work.State.ShouldBe(WorkState.Listed);
        work.TakenDownAt.ShouldBeNull();
    }

    [Fact]
    public void An_overlong_reason_is_refused() =>
        Should.Throw<DomainException>(() => Listed().TakeDown(new string('r', Work.MaxTakedownReasonLength + 1), Moderator, Now))
            .Message.ShouldBe("The reason must be at most 500 characters.");

    [Fact]
    public void A_work_is_taken_down_once()
    {
        var work = Listed();
        work.TakeDown("Theft", Moderator, Now);

        Should.Throw<DomainException>(() => work.TakeDown("Again", Moderator, Now.AddDays(1))).Message.ShouldBe("This work was taken down already.");
        work.TakedownReason.ShouldBe("Theft");
    }

    [Fact]
    public void The_creator_cannot_revive_change_or_withdraw_a_taken_down_work()
    {
        var work = Listed();
        work.TakeDown("Theft", Moderator, Now);

        Should.Throw<DomainException>(() => work.WithdrawConsent(Creator, null, Now))
            .Message.ShouldBe("This work was taken down by a moderator; its licenses have been recalled.");
        Should.Throw<DomainException>(() => work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Price(100, "EUR"), Now))
            .Message.ShouldContain("taken down");
        Should.Throw<DomainException>(() => work.Describe(Creator, "New", null, [], WorkMedium.Unspecified, null, Now))
            .Message.ShouldContain("taken down");
        Should.Throw<DomainException>(() => work.SetRightsHolders(Creator, "Ada Painter", [Mine(Shares.Whole)], Now)).Message.ShouldContain("taken down");
        work.State.ShouldBe(WorkState.TakenDown);
    }
}
