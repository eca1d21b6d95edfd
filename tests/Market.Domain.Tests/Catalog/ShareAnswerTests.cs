using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Catalog;

/// <summary>Rights holders confirming or refusing their share, by e-mailed link or signed in.</summary>
public class ShareAnswerTests
{
    private const string Ann = "ann@example.com";
    private const string Hash = "3f1c0a9e5b7d2468ace013579bdf2468ace013579bdf2468ace013579bdf2468";
    private static readonly DateTimeOffset Sent = Now.AddHours(1);

    /// <summary>A listed work shared 60/40 with Ann, who has been sent a link with <see cref="Hash"/>.</summary>
    private static (Work Work, RightsHolder Ann) AskedAnn()
    {
        var work = Listed();
        var ann = work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000)).Single();
        ann.IssueLink(Hash, Sent);
        return (work, ann);
    }

    // By link

    [Fact]
    public void Confirming_through_the_link_confirms_the_share_and_puts_the_work_on_sale()
    {
        var (work, ann) = AskedAnn();
        var answeredAt = Sent.AddDays(2);

        var answered = work.AnswerShareByLink(Hash, confirm: true, userId: null, reason: "ignored when confirming", answeredAt);

        answered.ShouldBeSameAs(ann);
        ann.Status.ShouldBe(ShareStatus.Confirmed);
        ann.RespondedAt.ShouldBe(answeredAt);
        ann.RefusalReason.ShouldBeNull();
        ann.UserId.ShouldBeNull();
        ann.PayeeId.ShouldBe(RightsHolder.PayeeIdFor(ann.Id));
        work.HoldersConfirmed.ShouldBeTrue();
        work.IsForSale.ShouldBeTrue();
        work.Status.ShouldBe("listed");
    }

    [Fact]
    public void Issuing_a_link_keeps_its_hash_and_time()
    {
        var (_, ann) = AskedAnn();

        ann.TokenHash.ShouldBe(Hash);
        ann.TokenIssuedAt.ShouldBe(Sent);
    }

    [Fact]
    public void Confirming_signed_in_attaches_the_account_the_royalties_go_to()
    {
        var (work, ann) = AskedAnn();

        work.AnswerShareByLink(Hash, confirm: true, userId: "user-ann", reason: null, Sent);

        ann.UserId.ShouldBe("user-ann");
        ann.PayeeId.ShouldBe("user-ann");
    }

    [Fact]
    public void Refusing_through_the_link_keeps_the_reason_and_the_work_off_sale()
    {
        var (work, ann) = AskedAnn();

        work.AnswerShareByLink(Hash, confirm: false, userId: null, reason: "  We agreed on half.  ", Sent.AddDays(1));

        ann.Status.ShouldBe(ShareStatus.Refused);
        ann.RefusalReason.ShouldBe("We agreed on half.");
        ann.RespondedAt.ShouldBe(Sent.AddDays(1));
        work.HoldersConfirmed.ShouldBeFalse();
        work.IsForSale.ShouldBeFalse();
        work.Status.ShouldBe("needs confirmation");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_refusal_without_a_reason_keeps_none(string? reason)
    {
        var (work, ann) = AskedAnn();

        work.AnswerShareByLink(Hash, confirm: false, userId: null, reason, Sent);

        ann.Status.ShouldBe(ShareStatus.Refused);
        ann.RefusalReason.ShouldBeNull();
    }

    [Fact]
    public void A_reason_of_500_characters_is_kept()
    {
        var (work, ann) = AskedAnn();
        var reason = new string('r', RightsHolder.MaxReasonLength);

        work.AnswerShareByLink(Hash, confirm: false, userId: null, reason, Sent);

        ann.RefusalReason.ShouldBe(reason);
    }

    [Fact]
    public void A_reason_longer_than_500_characters_is_refused_and_the_share_stays_unanswered()
    {
        var (work, ann) = AskedAnn();

        Should.Throw<DomainException>(() => work.AnswerShareByLink(Hash, confirm: false, null, new string('r', RightsHolder.MaxReasonLength + 1), Sent))
            .Message.ShouldBe("Keep the reason under 500 characters.");
        ann.Status.ShouldBe(ShareStatus.Pending);
        ann.TokenHash.ShouldBe(Hash);
        work.AnswerShareByLink(Hash, confirm: false, null, "Too long before.", Sent).Status.ShouldBe(ShareStatus.Refused);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("3f1c0a9e")]
    [InlineData("")]
    public void A_wrong_link_is_refused(string tokenHash)
    {
        var (work, ann) = AskedAnn();

        Should.Throw<DomainException>(() => work.AnswerShareByLink(tokenHash, confirm: true, null, null, Sent))
            .Message.ShouldBe("This link is no longer valid: the share was answered already, or the creator changed the rights holders.");
        ann.Status.ShouldBe(ShareStatus.Pending);
    }

    [Fact]
    public void A_link_works_until_the_end_of_its_lifetime()
    {
        var (work, ann) = AskedAnn();

        work.AnswerShareByLink(Hash, confirm: true, null, null, Sent + RightsHolder.LinkLifetime);

        ann.Status.ShouldBe(ShareStatus.Confirmed);
    }

    [Fact]
    public void A_link_past_its_lifetime_is_refused()
    {
        var (work, ann) = AskedAnn();

        Should.Throw<DomainException>(() => work.AnswerShareByLink(Hash, confirm: true, null, null, Sent + RightsHolder.LinkLifetime + TimeSpan.FromSeconds(1)))
            .Message.ShouldBe("This link has expired. Ask the creator to send it again.");
        ann.Status.ShouldBe(ShareStatus.Pending);
    }

    [Fact]
    public void A_link_sent_again_works_for_its_own_lifetime_and_the_older_link_stops_working()
    {
        var (work, ann) = AskedAnn();
        var resent = Sent.AddDays(25);
        ann.IssueLink("fresh-hash", resent);

        Should.Throw<DomainException>(() => work.AnswerShareByLink(Hash, confirm: true, null, null, resent))
            .Message.ShouldStartWith("This link is no longer valid");
        work.AnswerShareByLink("fresh-hash", confirm: true, null, null, resent.AddDays(20)).ShouldBeSameAs(ann);
    }

    [Fact]
    public void A_link_answers_only_once()
    {
        var (work, ann) = AskedAnn();
        work.AnswerShareByLink(Hash, confirm: true, null, null, Sent);

        Should.Throw<DomainException>(() => work.AnswerShareByLink(Hash, confirm: false, null, "changed my mind", Sent.AddMinutes(1)))
            .Message.ShouldStartWith("This link is no longer valid");
        ann.Status.ShouldBe(ShareStatus.Confirmed);
        ann.TokenHash.ShouldBeNull();
        ann.RefusalReason.ShouldBeNull();
    }

    [Fact]
    public void No_new_link_is_issued_once_the_holder_has_answered()
    {
        var (work, ann) = AskedAnn();
        work.AnswerShareByLink(Hash, confirm: false, null, null, Sent);

        Should.Throw<DomainException>(() => ann.IssueLink("another-hash", Sent.AddDays(1))).Message.ShouldBe("Ann Other has already answered.");
        ann.TokenHash.ShouldBeNull();
    }

    [Fact]
    public void The_link_of_a_holder_whose_share_was_changed_stops_working()
    {
        var (work, ann) = AskedAnn();

        work.NameHolders(Mine(7000), Holder("Ann Other", Ann, 3000));

        Should.Throw<DomainException>(() => work.AnswerShareByLink(Hash, confirm: true, null, null, Sent))
            .Message.ShouldStartWith("This link is no longer valid");
        work.HolderWithEmail(Ann).Status.ShouldBe(ShareStatus.Pending);
    }

    [Fact]
    public void A_share_on_a_withdrawn_work_can_no_longer_be_answered_by_link()
    {
        var (work, ann) = AskedAnn();
        work.WithdrawConsent(Creator, null, Now);

        Should.Throw<DomainException>(() => work.AnswerShareByLink(Hash, confirm: true, null, null, Sent))
            .Message.ShouldBe("This work is withdrawn; there is nothing to confirm any more.");
        ann.Status.ShouldBe(ShareStatus.Pending);
    }

    [Fact]
    public void A_share_on_a_rejected_work_can_no_longer_be_answered()
    {
        var work = Consented();
        var ann = work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000)).Single();
        ann.IssueLink(Hash, Sent);
        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Price(4900, "EUR"), Now);
        work.SubmitForListing(Creator);
        work.FailScan("unreadable");

        Should.Throw<DomainException>(() => work.AnswerShareByLink(Hash, confirm: true, null, null, Sent))
            .Message.ShouldBe("This work is rejected; there is nothing to confirm any more.");
        Should.Throw<DomainException>(() => work.AnswerShareAsAccount(ann.Id, "user-ann", Ann, confirm: true, null, Sent))
            .Message.ShouldBe("This work is rejected; there is nothing to confirm any more.");
        ann.Status.ShouldBe(ShareStatus.Pending);
    }

    // Signed in

    [Theory]
    [InlineData(Ann)]
    [InlineData("ANN@Example.com")]
    [InlineData("  ann@example.com ")]
    public void A_holder_signed_in_with_the_named_email_answers_and_is_paid_to_their_account(string verifiedEmail)
    {
        var (work, ann) = AskedAnn();

        var answered = work.AnswerShareAsAccount(ann.Id, "user-ann", verifiedEmail, confirm: true, reason: null, Sent.AddDays(3));

        answered.ShouldBeSameAs(ann);
        ann.Status.ShouldBe(ShareStatus.Confirmed);
        ann.RespondedAt.ShouldBe(Sent.AddDays(3));
        ann.PayeeId.ShouldBe("user-ann");
        ann.TokenHash.ShouldBeNull();
        work.IsForSale.ShouldBeTrue();
    }

    [Fact]
    public void A_holder_signed_in_can_refuse_with_a_reason()
    {
        var (work, ann) = AskedAnn();

        work.AnswerShareAsAccount(ann.Id, "user-ann", Ann, confirm: false, reason: "Not my work.", Sent);

        ann.Status.ShouldBe(ShareStatus.Refused);
        ann.RefusalReason.ShouldBe("Not my work.");
        work.IsForSale.ShouldBeFalse();
    }

    [Theory]
    [InlineData("ben@example.org")]
    [InlineData("ann@example.co")]
    [InlineData("ann@example.com.evil.example")]
    [InlineData("not an address")]
    [InlineData("")]
    [InlineData(null)]
    public void An_account_with_another_email_cannot_answer_the_share(string? verifiedEmail)
    {
        var (work, ann) = AskedAnn();

        Should.Throw<DomainException>(() => work.AnswerShareAsAccount(ann.Id, "user-ben", verifiedEmail, confirm: true, null, Sent))
            .Message.ShouldBe("There is no share for you to answer on this work.");
        ann.Status.ShouldBe(ShareStatus.Pending);
        ann.UserId.ShouldBeNull();
    }

    [Fact]
    public void An_account_cannot_answer_a_share_that_is_not_on_the_work()
    {
        var (work, _) = AskedAnn();
        var (_, annElsewhere) = AskedAnn();

        Should.Throw<DomainException>(() => work.AnswerShareAsAccount(annElsewhere.Id, "user-ann", Ann, confirm: true, null, Sent))
            .Message.ShouldBe("There is no share for you to answer on this work.");
        work.HoldersConfirmed.ShouldBeFalse();
    }

    [Fact]
    public void No_account_can_answer_the_creator_s_own_share()
    {
        var (work, _) = AskedAnn();

        Should.Throw<DomainException>(() => work.AnswerShareAsAccount(work.CreatorShare().Id, "user-ann", Ann, confirm: false, null, Sent))
            .Message.ShouldBe("There is no share for you to answer on this work.");
        work.CreatorShare().Status.ShouldBe(ShareStatus.Confirmed);
    }

    [Theory]
    [InlineData(true, "This share was already confirmed.")]
    [InlineData(false, "This share was already refused.")]
    public void A_share_cannot_be_answered_twice_signed_in(bool firstAnswer, string message)
    {
        var (work, ann) = AskedAnn();
        work.AnswerShareAsAccount(ann.Id, "user-ann", Ann, firstAnswer, null, Sent);

        Should.Throw<DomainException>(() => work.AnswerShareAsAccount(ann.Id, "user-ann", Ann, !firstAnswer, null, Sent.AddDays(1)))
            .Message.ShouldBe(message);
        ann.Status.ShouldBe(firstAnswer ? ShareStatus.Confirmed : ShareStatus.Refused);
        ann.RespondedAt.ShouldBe(Sent);
    }

    [Fact]
    public void A_share_answered_by_link_cannot_be_answered_again_signed_in()
    {
        var (work, ann) = AskedAnn();
        work.AnswerShareByLink(Hash, confirm: false, null, "No.", Sent);

        Should.Throw<DomainException>(() => work.AnswerShareAsAccount(ann.Id, "user-ann", Ann, confirm: true, null, Sent))
            .Message.ShouldBe("This share was already refused.");
        ann.Status.ShouldBe(ShareStatus.Refused);
    }

    [Fact]
    public void A_share_on_a_withdrawn_work_can_no_longer_be_answered_signed_in()
    {
        var (work, ann) = AskedAnn();
        work.WithdrawConsent(Creator, null, Now);

        Should.Throw<DomainException>(() => work.AnswerShareAsAccount(ann.Id, "user-ann", Ann, confirm: true, null, Sent))
            .Message.ShouldBe("This work is withdrawn; there is nothing to confirm any more.");
        ann.Status.ShouldBe(ShareStatus.Pending);
    }

    [Fact]
    public void The_work_is_for_sale_only_when_every_one_of_several_holders_confirmed()
    {
        var work = Listed();
        work.NameHolders(Mine(4000), Holder("Ann Other", Ann, 3000), Holder("Ben Lens", "ben@example.org", 3000));

        work.AnswerShareAsAccount(work.HolderWithEmail(Ann).Id, "user-ann", Ann, confirm: true, null, Sent);
        work.IsForSale.ShouldBeFalse();
        work.Status.ShouldBe("needs confirmation");

        work.AnswerShareAsAccount(work.HolderWithEmail("ben@example.org").Id, "user-ben", "ben@example.org", confirm: true, null, Sent);
        work.IsForSale.ShouldBeTrue();
        work.Status.ShouldBe("listed");
    }
}
