using Market.Domain.Catalog;
using Market.Domain.Licensing;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Licensing;

public class OrderTests
{
    private static readonly Guid OrganisationId = Guid.NewGuid();

    private static Bundle BundleOf(params Work[] works)
    {
        var bundle = Bundle.Open(Guid.NewGuid(), OrganisationId, "buyer-1", Now);
        foreach (var work in works) bundle.Add(work, work.OnlyOfferId(), Now);
        return bundle;
    }

    private static Order Place(Bundle bundle, params Work[] works) =>
        Order.Place(Guid.NewGuid(), bundle, "buyer-1", ById(works), "test", Now);

    private static Order PlacedFor(params Work[] works) => Place(BundleOf(works), works);

    [Fact]
    public void Placing_an_order_copies_each_line_and_totals_them()
    {
        var first = Listed(title: "Harbour at dusk", priceMinor: 4900);
        var second = Listed(creatorId: OtherCreator, title: "Fields", priceMinor: 1250,
            terms: LicenseTerms.OneYearGenerative with { TermMonths = 36, Commercial = false });
        var bundle = BundleOf(first, second);

        var order = Place(bundle, first, second);

        order.Status.ShouldBe(OrderStatus.AwaitingPayment);
        order.OrganisationId.ShouldBe(OrganisationId);
        order.BundleId.ShouldBe(bundle.Id);
        order.Currency.ShouldBe("EUR");
        order.TotalMinor.ShouldBe(6150);
        order.Lines.Count.ShouldBe(2);
        var line = order.Lines.Single(l => l.WorkId == second.Id);
        line.OrderId.ShouldBe(order.Id);
        line.OfferId.ShouldBe(second.OnlyOfferId());
        line.WorkTitle.ShouldBe("Fields");
        line.CreatorId.ShouldBe(OtherCreator);
        line.PriceMinor.ShouldBe(1250);
        line.Terms.TermMonths.ShouldBe(36);
        line.Terms.Commercial.ShouldBeFalse();
    }

    [Fact]
    public void An_empty_bundle_cannot_be_ordered() =>
        Should.Throw<DomainException>(() => Place(BundleOf()))
            .Message.ShouldBe("The bundle is empty.");

    [Fact]
    public void A_work_withdrawn_after_it_was_added_stops_the_order()
    {
        var kept = Listed();
        var withdrawn = Listed(title: "Changed my mind");
        var bundle = BundleOf(kept, withdrawn);
        withdrawn.WithdrawConsent(Creator, null, Now);

        Should.Throw<DomainException>(() => Place(bundle, kept, withdrawn))
            .Message.ShouldBe("\"Changed my mind\" is not for sale any more.");
    }

    [Fact]
    public void A_work_that_no_longer_exists_stops_the_order()
    {
        var kept = Listed();
        var deleted = Listed();
        var bundle = BundleOf(kept, deleted);

        Should.Throw<DomainException>(() => Place(bundle, kept))
            .Message.ShouldBe("A work in the bundle no longer exists.");
    }

    // The work as it loads at checkout: same ids, but the stored offer now asks for another price.
    [Fact]
    public void A_price_changed_since_the_work_was_added_stops_the_order()
    {
        var asAdded = Listed(title: "Harbour at dusk", priceMinor: 4900);
        var bundle = BundleOf(asAdded);
        var atCheckout = Listed(title: "Harbour at dusk", priceMinor: 5900, id: asAdded.Id, offerId: asAdded.OnlyOfferId());

        Should.Throw<DomainException>(() => Place(bundle, atCheckout))
            .Message.ShouldBe("The price of \"Harbour at dusk\" changed since you added it. Remove it and add it again.");
    }

    [Fact]
    public void A_currency_changed_since_the_work_was_added_stops_the_order()
    {
        var asAdded = Listed(priceMinor: 4900, currency: "EUR");
        var bundle = BundleOf(asAdded);
        var atCheckout = Listed(priceMinor: 4900, currency: "USD", id: asAdded.Id, offerId: asAdded.OnlyOfferId());

        Should.Throw<DomainException>(() => Place(bundle, atCheckout)).Message.ShouldContain("changed since you added it");
    }

    [Fact]
    public void Marking_an_order_paid_records_the_payment()
    {
        var order = PlacedFor(Listed(priceMinor: 4900));
        var paidAt = Now.AddMinutes(5);

        order.MarkPaid(4900, "EUR", "pi_123", paidAt).ShouldBeTrue();

        order.Status.ShouldBe(OrderStatus.Paid);
        order.PaidAt.ShouldBe(paidAt);
        order.ProviderPaymentReference.ShouldBe("pi_123");
    }

    [Fact]
    public void A_confirmation_delivered_twice_marks_the_order_paid_once()
    {
        var order = PlacedFor(Listed(priceMinor: 4900));
        order.MarkPaid(4900, "EUR", "pi_first", Now).ShouldBeTrue();

        order.MarkPaid(4900, "EUR", "pi_second", Now.AddMinutes(1)).ShouldBeFalse();

        order.Status.ShouldBe(OrderStatus.Paid);
        order.PaidAt.ShouldBe(Now);
        order.ProviderPaymentReference.ShouldBe("pi_first");
    }

    [Theory]
    [InlineData(4899, "EUR")]
    [InlineData(4901, "EUR")]
    [InlineData(0, "EUR")]
    [InlineData(4900, "USD")]
    [InlineData(4900, "eur")]
    public void A_payment_that_does_not_match_the_order_is_refused(long amountMinor, string currency)
    {
        var order = PlacedFor(Listed(priceMinor: 4900, currency: "EUR"));

        Should.Throw<DomainException>(() => order.MarkPaid(amountMinor, currency, "pi_123", Now))
            .Message.ShouldBe($"The payment ({amountMinor} {currency}) does not match the order (4900 EUR).");
        order.Status.ShouldBe(OrderStatus.AwaitingPayment);
        order.PaidAt.ShouldBeNull();
    }

    [Fact]
    public void A_cancelled_order_cannot_be_paid()
    {
        var order = PlacedFor(Listed(priceMinor: 4900));
        order.Cancel();

        Should.Throw<DomainException>(() => order.MarkPaid(4900, "EUR", "pi_123", Now)).Message.ShouldBe("This order was cancelled.");
        order.Status.ShouldBe(OrderStatus.Cancelled);
    }

    [Fact]
    public void A_paid_order_cannot_be_cancelled()
    {
        var order = PlacedFor(Listed(priceMinor: 4900));
        order.MarkPaid(4900, "EUR", "pi_123", Now);

        Should.Throw<DomainException>(order.Cancel).Message.ShouldBe("A paid order cannot be cancelled; it needs a refund.");
        order.Status.ShouldBe(OrderStatus.Paid);
    }
}
