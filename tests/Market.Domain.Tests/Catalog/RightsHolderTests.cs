using Market.Domain.Catalog;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Catalog;

/// <summary>The creator naming the work's rights holders and their splits.</summary>
public class RightsHolderTests
{
    private const string Ann = "ann@example.com";
    private const string Ben = "ben@example.org";

    /// <summary>A draft shared 60/40 with Ann, who has confirmed.</summary>
    private static Work SharedWithAnn()
    {
        var work = Draft();
        work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000));
        return work.ConfirmAll();
    }

    [Fact]
    public void A_new_holder_is_pending_and_returned_to_be_asked_while_the_creator_s_share_is_confirmed_at_once()
    {
        var work = Draft();
        var later = Now.AddHours(2);

        var toAsk = work.SetRightsHolders(Creator, "Ada Painter", [Mine(6000), Holder("  Ann Other ", "  ann@example.com ", 4000)], later);

        var ann = toAsk.ShouldHaveSingleItem();
        ann.Name.ShouldBe("Ann Other");
        ann.Email.ShouldBe(Ann);
        ann.WorkId.ShouldBe(work.Id);
        ann.UserId.ShouldBeNull();
        ann.PayeeId.ShouldBe(RightsHolder.PayeeIdFor(ann.Id));
        ann.Role.ShouldBe(RightsHolderRole.CoOwner);
        ann.SplitBasisPoints.ShouldBe(4000);
        ann.Status.ShouldBe(ShareStatus.Pending);
        ann.RequestedAt.ShouldBe(later);
        ann.RespondedAt.ShouldBeNull();
        var mine = work.CreatorShare();
        mine.Name.ShouldBe("Ada Painter");
        mine.SplitBasisPoints.ShouldBe(6000);
        mine.Status.ShouldBe(ShareStatus.Confirmed);
        mine.PayeeId.ShouldBe(Creator);
        work.RightsHolders.Count.ShouldBe(2);
        work.RightsHolders.ShouldContain(ann);
        work.HoldersConfirmed.ShouldBeFalse();
        work.Status.ShouldBe("needs confirmation");
    }

    [Fact]
    public void The_payee_of_a_holder_without_an_account_is_the_holder_record() =>
        RightsHolder.PayeeIdFor(Guid.Parse("0193a5e2-7c1d-7000-8000-00000000abcd")).ShouldBe("holder-0193a5e27c1d7000800000000000abcd");

    [Fact]
    public void The_creator_may_give_the_whole_share_to_someone_else()
    {
        var work = Draft();

        work.NameHolders(Holder("Harbour Press Ltd", "rights@harbour-press.example", Shares.Whole, RightsHolderRole.CopyrightOwner));

        var press = work.RightsHolders.ShouldHaveSingleItem();
        press.Name.ShouldBe("Harbour Press Ltd");
        press.Role.ShouldBe(RightsHolderRole.CopyrightOwner);
        work.RightsHolders.ShouldNotContain(h => h.UserId == Creator);
        work.HoldersConfirmed.ShouldBeFalse();
    }

    [Fact]
    public void Splits_of_one_basis_point_and_up_to_ten_holders_are_accepted()
    {
        var work = Draft();
        var specs = Enumerable.Range(1, Work.MaxRightsHolders - 1).Select(i => Holder($"Holder {i}", $"h{i}@example.com", 1)).Prepend(Mine(9991)).ToArray();

        var toAsk = work.NameHolders(specs);

        toAsk.Count.ShouldBe(9);
        work.RightsHolders.Count.ShouldBe(Work.MaxRightsHolders);
        work.RightsHolders.Sum(h => h.SplitBasisPoints).ShouldBe(Shares.Whole);
    }

    // Refusals

    [Theory]
    [InlineData(6000, 3000, "The shares add up to 90%; they must add up to exactly 100%.")]
    [InlineData(6000, 5000, "The shares add up to 110%; they must add up to exactly 100%.")]
    [InlineData(5000, 4950, "The shares add up to 99.5%; they must add up to exactly 100%.")]
    [InlineData(9999, 2, "The shares add up to 100.01%; they must add up to exactly 100%.")]
    public void Shares_that_do_not_add_up_to_exactly_one_hundred_percent_are_refused(int mine, int ann, string message) =>
        Should.Throw<DomainException>(() => Draft().NameHolders(Mine(mine), Holder("Ann Other", Ann, ann)))
            .Message.ShouldBe(message);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(Shares.Whole + 1)]
    public void A_split_outside_one_basis_point_to_the_whole_is_refused(int split) =>
        Should.Throw<DomainException>(() => Draft().NameHolders(Mine(6000), Holder("Ann Other", Ann, split)))
            .Message.ShouldBe("Each holder's share must be between 0.01% and 100%.");

    [Fact]
    public void Naming_no_holder_is_refused() =>
        Should.Throw<DomainException>(() => Draft().NameHolders()).Message.ShouldBe("Name at least one rights holder.");

    [Fact]
    public void More_than_ten_holders_are_refused()
    {
        var specs = Enumerable.Range(1, Work.MaxRightsHolders).Select(i => Holder($"Holder {i}", $"h{i}@example.com", 909))
            .Prepend(Mine(Shares.Whole - 909 * Work.MaxRightsHolders)).ToArray();

        Should.Throw<DomainException>(() => Draft().NameHolders(specs)).Message.ShouldBe("A work has at most 10 rights holders.");
    }

    [Fact]
    public void The_creator_s_own_share_may_appear_only_once() =>
        Should.Throw<DomainException>(() => Draft().NameHolders(Mine(5000), Mine(5000, RightsHolderRole.CopyrightOwner)))
            .Message.ShouldBe("Your own share can appear only once.");

    [Fact]
    public void A_role_outside_the_list_is_refused() =>
        Should.Throw<DomainException>(() => Draft().NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000, (RightsHolderRole)9)))
            .Message.ShouldBe("Choose each holder's role from the list.");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_holder_without_a_name_is_refused(string? name) =>
        Should.Throw<DomainException>(() => Draft().NameHolders(Mine(6000), Holder(name, Ann, 4000)))
            .Message.ShouldBe("Give every rights holder a name.");

    [Fact]
    public void A_holder_name_longer_than_the_limit_is_refused()
    {
        var work = Draft();

        Should.Throw<DomainException>(() => work.NameHolders(Mine(6000), Holder(new string('a', RightsHolder.MaxNameLength + 1), Ann, 4000)))
            .Message.ShouldBe("A holder's name must be at most 200 characters.");
        work.NameHolders(Mine(6000), Holder(new string('a', RightsHolder.MaxNameLength), Ann, 4000)).ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a@b")]
    [InlineData("a b@c.de")]
    [InlineData("Ann <ann@example.com>")]
    [InlineData("<ann@example.com>")]
    [InlineData("ann.example.com")]
    public void A_holder_without_a_valid_email_address_is_refused(string? email) =>
        Should.Throw<DomainException>(() => Draft().NameHolders(Mine(6000), Holder("Ann Other", email, 4000)))
            .Message.ShouldBe("Give an e-mail address for Ann Other, so they can confirm their share.");

    [Fact]
    public void An_email_address_longer_than_254_characters_is_refused()
    {
        var tooLong = new string('a', 64) + "@" + new string('b', 186) + ".com";

        tooLong.Length.ShouldBe(255);
        Should.Throw<DomainException>(() => Draft().NameHolders(Mine(6000), Holder("Ann Other", tooLong, 4000)))
            .Message.ShouldBe("Give an e-mail address for Ann Other, so they can confirm their share.");
    }

    [Fact]
    public void The_same_email_address_named_twice_in_any_case_is_refused() =>
        Should.Throw<DomainException>(() => Draft().NameHolders(Mine(4000), Holder("Ann Other", Ann, 3000), Holder("Ann at home", "ANN@Example.com", 3000)))
            .Message.ShouldBe("ANN@Example.com is named twice.");

    [Fact]
    public void Only_the_creator_can_name_rights_holders()
    {
        var work = Draft();

        Should.Throw<DomainException>(() => work.SetRightsHolders(OtherCreator, "Ben Lens", [Mine(6000), Holder("Ann Other", Ann, 4000)], Now))
            .Message.ShouldBe("Only the work's creator can do that.");
        work.RightsHolders.ShouldHaveSingleItem().UserId.ShouldBe(Creator);
    }

    [Fact]
    public void The_holders_of_a_withdrawn_work_can_no_longer_change()
    {
        var work = Listed();
        work.WithdrawConsent(Creator, null, Now);

        Should.Throw<DomainException>(() => work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000)))
            .Message.ShouldBe("This work is withdrawn; its rights holders can no longer change.");
        work.RightsHolders.ShouldHaveSingleItem().SplitBasisPoints.ShouldBe(Shares.Whole);
    }

    [Fact]
    public void The_holders_of_a_rejected_work_can_no_longer_change()
    {
        var work = Scanning();
        work.FailScan("unreadable");

        Should.Throw<DomainException>(() => work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000)))
            .Message.ShouldBe("This work is rejected; its rights holders can no longer change.");
        work.RightsHolders.ShouldHaveSingleItem().SplitBasisPoints.ShouldBe(Shares.Whole);
    }

    public static TheoryData<RightsHolderSpec[]> RefusedChanges => new()
    {
        new[] { Mine(5000), Holder("Ann Other", Ann, 4000) },
        new[] { Mine(3000), Holder("Ann Other", Ann, 4000), Holder("Ben Lens", "ben@", 3000) },
        new[] { Mine(3000), Holder("Ann Other", Ann, 4000), Holder(" ", Ben, 3000) },
        new[] { Mine(3000), Holder("Ann Other", Ann, 4000), Holder("Ben Lens", Ben, 3000), Mine(0) },
        new[] { Holder("Ben Lens", Ben, 6000), Holder("Ann Other", Ann, 4000), Holder("Ann again", "Ann@Example.com", 0) },
        new[] { Holder("Ben Lens", Ben, 6000), Holder("Ann Other", "ANN@example.com", 2000), Holder("Ann again", Ann, 2000) },
    };

    [Theory]
    [MemberData(nameof(RefusedChanges))]
    public void A_refused_change_leaves_the_holders_exactly_as_they_were(RightsHolderSpec[] specs)
    {
        var work = SharedWithAnn();
        var before = work.HolderSnapshot();

        Should.Throw<DomainException>(() => work.NameHolders(specs));

        work.HolderSnapshot().ShouldBe(before);
        work.HoldersConfirmed.ShouldBeTrue();
    }

    [Fact]
    public void A_refused_change_does_not_rename_a_holder_it_would_have_kept()
    {
        var work = SharedWithAnn();
        var before = work.HolderSnapshot();

        Should.Throw<DomainException>(() => work.NameHolders(Mine(3000), Holder("Ann O. Other", Ann, 4000), Holder("Ben Lens", "not-an-address", 3000)))
            .Message.ShouldBe("Give an e-mail address for Ben Lens, so they can confirm their share.");

        work.HolderSnapshot().ShouldBe(before);
        work.HolderWithEmail(Ann).Name.ShouldBe("Ann Other");
    }

    // Keeping and re-asking

    [Fact]
    public void An_unchanged_holder_keeps_their_confirmation_and_is_not_asked_again()
    {
        var work = SharedWithAnn();
        var ann = work.HolderWithEmail(Ann);

        var toAsk = work.NameHolders(Mine(6000), Holder("Ann Other", "ANN@example.COM", 4000));

        toAsk.ShouldBeEmpty();
        work.HolderWithEmail(Ann).ShouldBeSameAs(ann);
        ann.Status.ShouldBe(ShareStatus.Confirmed);
        work.HoldersConfirmed.ShouldBeTrue();
    }

    [Fact]
    public void A_renamed_holder_with_the_same_share_keeps_their_answer_under_the_new_name()
    {
        var work = SharedWithAnn();
        var ann = work.HolderWithEmail(Ann);

        var toAsk = work.NameHolders(Mine(6000), Holder("Ann O. Other", Ann, 4000));

        toAsk.ShouldBeEmpty();
        work.HolderWithEmail(Ann).Id.ShouldBe(ann.Id);
        work.HolderWithEmail(Ann).Name.ShouldBe("Ann O. Other");
        work.HolderWithEmail(Ann).Status.ShouldBe(ShareStatus.Confirmed);
    }

    [Fact]
    public void An_unchanged_holder_who_has_not_answered_is_not_asked_again_and_their_link_still_works()
    {
        var work = Draft();
        var ann = work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000)).Single();
        ann.IssueLink("hash-ann", Now);

        var toAsk = work.NameHolders(Mine(5000), Holder("Ann Other", Ann, 4000), Holder("Ben Lens", Ben, 1000));

        toAsk.ShouldHaveSingleItem().Email.ShouldBe(Ben);
        work.AnswerShareByLink("hash-ann", confirm: true, null, null, Now.AddDays(1)).Id.ShouldBe(ann.Id);
    }

    [Theory]
    [InlineData(3000, RightsHolderRole.CoOwner)]
    [InlineData(4000, RightsHolderRole.CopyrightOwner)]
    public void A_holder_whose_split_or_role_changed_is_asked_again(int split, RightsHolderRole role)
    {
        var work = SharedWithAnn();
        var old = work.HolderWithEmail(Ann);

        var toAsk = work.NameHolders(Mine(Shares.Whole - split), Holder("Ann Other", Ann, split, role));

        var ann = toAsk.ShouldHaveSingleItem();
        ann.Id.ShouldNotBe(old.Id);
        ann.Status.ShouldBe(ShareStatus.Pending);
        ann.SplitBasisPoints.ShouldBe(split);
        ann.Role.ShouldBe(role);
        work.RightsHolders.ShouldNotContain(old);
        work.HoldersConfirmed.ShouldBeFalse();
    }

    [Fact]
    public void A_holder_who_refused_and_is_named_again_is_asked_again()
    {
        var work = Draft();
        var refused = work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000)).Single();
        work.AnswerByLink(refused, confirm: false, reason: "We never agreed on 40%.");

        var toAsk = work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000));

        var ann = toAsk.ShouldHaveSingleItem();
        ann.Id.ShouldNotBe(refused.Id);
        ann.Status.ShouldBe(ShareStatus.Pending);
        ann.RefusalReason.ShouldBeNull();
        work.RightsHolders.ShouldNotContain(refused);
    }

    [Fact]
    public void A_holder_left_out_is_removed()
    {
        var work = SharedWithAnn();

        work.NameHolders(Mine(Shares.Whole)).ShouldBeEmpty();

        work.RightsHolders.ShouldHaveSingleItem().UserId.ShouldBe(Creator);
        work.HoldersConfirmed.ShouldBeTrue();
    }

    [Fact]
    public void The_creator_s_changed_share_is_confirmed_at_once_under_their_current_name()
    {
        var work = SharedWithAnn();
        var later = Now.AddDays(1);

        var toAsk = work.SetRightsHolders(Creator, "Ada P. Painter", [Mine(7000, RightsHolderRole.CopyrightOwner), Holder("Ann Other", Ann, 3000)], later);

        toAsk.ShouldHaveSingleItem().Email.ShouldBe(Ann);
        var mine = work.CreatorShare();
        mine.Name.ShouldBe("Ada P. Painter");
        mine.Role.ShouldBe(RightsHolderRole.CopyrightOwner);
        mine.SplitBasisPoints.ShouldBe(7000);
        mine.Status.ShouldBe(ShareStatus.Confirmed);
        mine.RespondedAt.ShouldBe(later);
        mine.PayeeId.ShouldBe(Creator);
    }

    [Fact]
    public void Holders_who_confirmed_signed_in_keep_their_account_when_unchanged()
    {
        var work = Draft();
        var ann = work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000)).Single();
        work.AnswerByLink(ann, confirm: true, userId: "user-ann");

        work.NameHolders(Mine(5000), Holder("Ann Other", Ann, 4000), Holder("Ben Lens", Ben, 1000));

        work.HolderWithEmail(Ann).PayeeId.ShouldBe("user-ann");
    }

    // Status and sale

    [Fact]
    public void A_listed_work_needs_confirmation_and_is_off_sale_until_every_holder_confirms()
    {
        var work = Listed();
        var offerId = work.OnlyOfferId();
        var ann = work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000)).Single();

        work.Status.ShouldBe("needs confirmation");
        work.IsForSale.ShouldBeFalse();
        Should.Throw<DomainException>(() => work.OfferForSale(offerId)).Message.ShouldBe("\"Harbour at dusk\" is not for sale any more.");

        work.AnswerByLink(ann, confirm: true);

        work.Status.ShouldBe("listed");
        work.IsForSale.ShouldBeTrue();
        work.OfferForSale(offerId).Id.ShouldBe(offerId);
    }

    [Fact]
    public void A_refusal_keeps_a_listed_work_off_sale()
    {
        var work = Listed();
        var ann = work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000)).Single();

        work.AnswerByLink(ann, confirm: false);

        work.Status.ShouldBe("needs confirmation");
        work.HoldersConfirmed.ShouldBeFalse();
        work.IsForSale.ShouldBeFalse();
    }

    [Fact]
    public void A_flagged_draft_reads_flagged_even_while_a_holder_is_pending()
    {
        var work = UploadedWith(metadataCreator: "Ben Lens");
        work.SetRightsHolders(Creator, "Zoë Åkesson", [Mine(6000), Holder("Ann Other", Ann, 4000)], Now);

        work.Status.ShouldBe("flagged");
        work.AnswerFlag(Creator, work.Flags.Single().Id, FlagAnswer.RightsConfirmed, Now);
        work.Status.ShouldBe("needs confirmation");
    }
}
