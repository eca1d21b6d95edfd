using Market.Domain.Catalog;
using Market.Domain.Licensing;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Licensing;

/// <summary>The rights holders' splits as an order copies them from the work, and as a license names them.</summary>
public class SharesSnapshotTests
{
    private const string Ann = "ann@example.com";
    private const string Press = "rights@harbour-press.example";

    private static Bundle BundleOf(params Work[] works)
    {
        var bundle = Bundle.Open(Guid.NewGuid(), Guid.NewGuid(), "buyer-1", Now);
        foreach (var work in works) bundle.Add(work, work.OnlyOfferId(), Now);
        return bundle;
    }

    private static Order Place(params Work[] works) => Order.Place(Guid.NewGuid(), BundleOf(works), "buyer-1", ById(works), "test", Now);

    private static LicenseItem Licensed(Work work)
    {
        var order = Place(work);
        order.MarkPaid(order.TotalMinor, order.Currency, "pi_123", Now);
        return License.Issue(Guid.NewGuid(), order, NameOf, Now).Items.Single();
    }

    /// <summary>A listed work by Ada Painter shared with Ann (confirmed by link, no account) and Ben (confirmed signed in).</summary>
    private static Work SharedThreeWays()
    {
        var work = Listed();
        work.NameHolders(Mine(5000), Holder("Ann Other", Ann, 3000), Holder("Ben Lens", "ben@example.org", 2000, RightsHolderRole.CopyrightOwner));
        work.AnswerByLink(work.HolderWithEmail(Ann), confirm: true);
        work.AnswerByLink(work.HolderWithEmail("ben@example.org"), confirm: true, userId: "user-ben");
        return work;
    }

    // Order

    [Fact]
    public void Placing_an_order_copies_each_holder_s_payee_name_role_and_split_into_the_line()
    {
        var work = SharedThreeWays();
        var ann = work.HolderWithEmail(Ann);

        var line = Place(work).Lines.Single();

        line.Shares.ShouldAllBe(s => s.OrderLineId == line.Id);
        line.Shares.Select(s => (s.PayeeId, s.Name, s.Role, s.BasisPoints)).ShouldBe(
        [
            (Creator, "Ada Painter", RightsHolderRole.Creator, 5000),
            ($"holder-{ann.Id:N}", "Ann Other", RightsHolderRole.CoOwner, 3000),
            ("user-ben", "Ben Lens", RightsHolderRole.CopyrightOwner, 2000),
        ], ignoreOrder: true);
        line.Shares.Sum(s => s.BasisPoints).ShouldBe(Shares.Whole);
    }

    [Fact]
    public void A_work_its_creator_never_shared_pays_the_whole_to_the_creator()
    {
        var line = Place(Listed()).Lines.Single();

        var share = line.Shares.ShouldHaveSingleItem();
        share.PayeeId.ShouldBe(Creator);
        share.Name.ShouldBe("Ada Painter");
        share.Role.ShouldBe(RightsHolderRole.Creator);
        share.BasisPoints.ShouldBe(Shares.Whole);
    }

    [Fact]
    public void Each_line_carries_the_holders_of_its_own_work()
    {
        var shared = SharedThreeWays();
        var alone = Listed(creatorId: OtherCreator, title: "Fields");

        var order = Place(shared, alone);

        order.Lines.Single(l => l.WorkId == shared.Id).Shares.Count.ShouldBe(3);
        order.Lines.Single(l => l.WorkId == alone.Id).Shares.ShouldHaveSingleItem().PayeeId.ShouldBe(OtherCreator);
    }

    [Fact]
    public void Changing_the_work_s_holders_after_the_order_was_placed_does_not_change_the_order()
    {
        var work = SharedThreeWays();
        var order = Place(work);
        var line = order.Lines.Single();
        var before = line.Shares.Select(s => (s.Id, s.PayeeId, s.Name, s.Role, s.BasisPoints)).ToList();

        work.NameHolders(Mine(9000), Holder("Ann Renamed", Ann, 1000));
        work.ConfirmAll();

        line.Shares.Select(s => (s.Id, s.PayeeId, s.Name, s.Role, s.BasisPoints)).ShouldBe(before);
        order.Lines.Single().Shares.Count.ShouldBe(3);
    }

    [Fact]
    public void A_work_with_a_holder_who_has_not_confirmed_cannot_be_ordered()
    {
        var work = Listed(title: "Harbour at dusk");
        var bundle = BundleOf(work);
        work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000));

        Should.Throw<DomainException>(() => work.OfferForSale(work.OnlyOfferId())).Message.ShouldBe("\"Harbour at dusk\" is not for sale any more.");
        Should.Throw<DomainException>(() => Order.Place(Guid.NewGuid(), bundle, "buyer-1", ById(work), "test", Now))
            .Message.ShouldBe("\"Harbour at dusk\" is not for sale any more.");
    }

    [Fact]
    public void A_work_with_a_holder_who_refused_cannot_be_added_to_a_bundle()
    {
        var work = Listed(title: "Harbour at dusk");
        work.AnswerByLink(work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000)).Single(), confirm: false);

        Should.Throw<DomainException>(() => BundleOf(work)).Message.ShouldBe("\"Harbour at dusk\" is not for sale any more.");
    }

    // License

    [Fact]
    public void The_copyright_holder_is_whoever_was_named_copyright_owner()
    {
        var item = Licensed(SharedThreeWays());

        item.CreatorName.ShouldBe("Ada Painter");
        item.CopyrightHolder.ShouldBe("Ben Lens");
    }

    [Fact]
    public void Several_copyright_owners_are_all_named()
    {
        var work = Listed();
        work.NameHolders(
            Mine(4000),
            Holder("Harbour Press Ltd", Press, 3000, RightsHolderRole.CopyrightOwner),
            Holder("Ann Other", Ann, 3000, RightsHolderRole.CopyrightOwner));
        work.ConfirmAll();

        Licensed(work).CopyrightHolder.ShouldBe("Harbour Press Ltd; Ann Other");
    }

    [Fact]
    public void Without_a_copyright_owner_the_creator_and_co_owners_hold_the_copyright()
    {
        var work = Listed();
        work.NameHolders(Mine(6000), Holder("Ann Other", Ann, 4000));
        work.ConfirmAll();

        Licensed(work).CopyrightHolder.ShouldBe("Ada Painter; Ann Other");
    }

    [Fact]
    public void A_work_its_creator_never_shared_names_the_creator_as_copyright_holder() =>
        Licensed(Listed(creatorId: OtherCreator)).CopyrightHolder.ShouldBe("Ben Lens");

    [Fact]
    public void The_license_names_every_holder_with_role_and_percentage()
    {
        var work = Listed();
        work.NameHolders(
            Mine(5000),
            Holder("Ann Other", Ann, 3750),
            Holder("Harbour Press Ltd", Press, 1250, RightsHolderRole.CopyrightOwner));
        work.ConfirmAll();

        Licensed(work).RightsHolders.ShouldBe("Ada Painter (creator, 50%); Ann Other (co-owner, 37.5%); Harbour Press Ltd (copyright owner, 12.5%)");
    }

    [Fact]
    public void The_license_names_the_holders_as_they_were_when_the_order_was_placed()
    {
        var work = SharedThreeWays();
        var order = Place(work);
        work.NameHolders(Mine(Shares.Whole));
        order.MarkPaid(order.TotalMinor, order.Currency, "pi_123", Now);

        var item = License.Issue(Guid.NewGuid(), order, NameOf, Now).Items.Single();

        item.CopyrightHolder.ShouldBe("Ben Lens");
        item.RightsHolders.ShouldBe("Ada Painter (creator, 50%); Ann Other (co-owner, 30%); Ben Lens (copyright owner, 20%)");
    }

    [Fact]
    public void Holder_texts_longer_than_their_column_end_with_an_ellipsis()
    {
        var work = Listed();
        work.NameHolders([.. Enumerable.Range(0, Work.MaxRightsHolders)
            .Select(i => Holder($"{i}{new string('n', RightsHolder.MaxNameLength - 1)}", $"h{i}@example.com", 1000, RightsHolderRole.CopyrightOwner))]);
        work.ConfirmAll();

        var item = Licensed(work);

        item.CopyrightHolder.Length.ShouldBe(LicenseItem.MaxHolderTextLength);
        item.CopyrightHolder.ShouldStartWith("0nnn");
        item.CopyrightHolder.ShouldEndWith("…");
        item.RightsHolders.Length.ShouldBe(LicenseItem.MaxHolderTextLength);
        item.RightsHolders.ShouldEndWith("…");
    }
}
