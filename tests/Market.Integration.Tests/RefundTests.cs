using System.Net;

using Market.Billing.Ledger;
using Market.Billing.Payments;
using Market.Billing.Payouts;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Features.Refunds;
using Market.Web.Identity;
using Market.Web.Ledger;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests;

/// <summary>
/// Refunds from the finance page (test provider) and refunds and disputes reported by the provider, posted to
/// the sale's stream once each however often and in whatever order they arrive.
/// </summary>
public sealed class RefundTests(MarketAppFactory app) : IntegrationTest(app)
{
    // A 49.00 EUR sale at the default 20 % fee: 9.80 to the platform, 39.20 to the creator.
    private const long Gross = 4_900, Royalty = 3_920;

    private async Task<(Guid OrderId, string CreatorId)> SellAsync(string creatorEmail = "c@example.test", string buyerEmail = "b@lab.test", string organisation = "Test AI Lab")
    {
        var creator = await this.SignUpCreatorAsync(creatorEmail);
        var workId = await creator.ListAsync(App, "Refundable");
        return (await BuyAsync(workId, buyerEmail, organisation), await UserIdAsync(creatorEmail));
    }

    private async Task<Guid> BuyAsync(Guid workId, string buyerEmail, string organisation)
    {
        var buyer = await this.SignUpBuyerAsync(buyerEmail, organisation);
        await buyer.AddToBundleAsync(workId);
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        await buyer.PayWithTestProviderAsync(paymentPage);
        return Guid.Parse(paymentPage.Split('/')[^1]);
    }

    private Task<string> UserIdAsync(string email) => Db(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<T> SendAsync<T>(IRequest<T> request) => App.WithScopeAsync(sp => sp.GetRequiredService<IMediator>().Send(request));

    private async Task<PayeeBalance> BalanceAsync(string payeeId) =>
        (await App.PayeeBalancesAsync()).SingleOrDefault(b => b.PayeeId == payeeId) ?? new PayeeBalance(payeeId, "EUR", 0, 0, 0);

    private async Task<WebSession> FinanceAsync()
    {
        var key = await App.CreateStaffAsync("fin@market.test", Roles.Finance);
        return await this.SignInAsync("fin@market.test", key);
    }

    private static ProviderRefunds Refunds(Guid orderId, params (string Id, long Amount)[] refunds) =>
        new($"evt_{Guid.NewGuid():N}", $"test_pi_{orderId:N}", null, "EUR", refunds.Select(r => new ProviderRefund(r.Id, r.Amount, "requested_by_customer")).ToList());

    [Fact]
    public async Task Finance_refunds_part_then_the_rest_and_the_holder_is_told()
    {
        var (orderId, creatorId) = await SellAsync();
        var finance = await FinanceAsync();

        var page = await finance.PageAsync($"/Refunds?orderId={orderId}");
        page.QuerySelector("[data-testid=refundable]")!.TextContent.ShouldContain("49.00");
        page.Body!.TextContent.ShouldContain("TEST PAYMENT PROVIDER");

        var partial = await finance.SubmitAsync($"/Refunds?orderId={orderId}", new Dictionary<string, string> { ["Amount"] = "10.00", ["Reason"] = "One file was corrupt", ["full"] = "false" });
        partial.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(partial)).Errors());
        (await App.SaleEventsAsync(orderId)).OfType<SaleRefunded>().ShouldHaveSingleItem().AmountMinor.ShouldBe(1_000);
        // 10.00 of 49.00 comes back pro rata: the creator loses 8.00 of 39.20.
        (await BalanceAsync(creatorId)).PendingMinor.ShouldBe(Royalty - 800);

        var rest = await finance.SubmitAsync($"/Refunds?orderId={orderId}", new Dictionary<string, string> { ["Reason"] = "Buyer cancelled", ["full"] = "true" });
        rest.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(rest)).Errors());
        var refunds = (await App.SaleEventsAsync(orderId)).OfType<SaleRefunded>().ToList();
        refunds.Sum(r => r.AmountMinor).ShouldBe(Gross);
        refunds.ShouldAllBe(r => r.RefundId.StartsWith("test_re_"));
        (await BalanceAsync(creatorId)).PayableMinor.ShouldBe(0);
        (await Db(db => db.Notifications.CountAsync(n => n.UserId == creatorId && n.Kind == Market.Web.Notifications.NotificationKind.SaleRefunded))).ShouldBe(2);

        // Nothing is left: the form is gone and a forged post is refused.
        (await finance.PageAsync($"/Refunds?orderId={orderId}")).QuerySelector("[data-testid=refundable]")!.TextContent.ShouldContain("0.00");
        var again = await finance.PostWithTokenAsync("/Refunds", $"/Refunds?orderId={orderId}", new() { ["OrderId"] = orderId.ToString(), ["Reason"] = "again", ["full"] = "true" });
        (await WebSession.ParseAsync(again)).Errors().ShouldContain("positive");
        (await App.SaleEventsAsync(orderId)).OfType<SaleRefunded>().Count().ShouldBe(2);
    }

    [Theory]
    [InlineData("49.01", "can still be refunded")]
    [InlineData("0", "positive")]
    [InlineData("-5.00", "positive")]
    [InlineData("ten", "positive")]
    public async Task A_bad_amount_is_refused_and_changes_nothing(string amount, string message)
    {
        var (orderId, creatorId) = await SellAsync();
        var finance = await FinanceAsync();

        var response = await finance.SubmitAsync($"/Refunds?orderId={orderId}", new Dictionary<string, string> { ["Amount"] = amount, ["Reason"] = "Test", ["full"] = "false" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var errors = (await WebSession.ParseAsync(response)).Errors();
        errors.ShouldNotBeNullOrWhiteSpace();
        errors.ShouldContain(message);
        (await App.SaleEventsAsync(orderId)).ShouldHaveSingleItem().ShouldBeOfType<SalePosted>();
        (await BalanceAsync(creatorId)).PendingMinor.ShouldBe(Royalty);
    }

    [Fact]
    public async Task Unknown_sales_missing_reasons_open_disputes_and_non_finance_users_are_refused()
    {
        var (orderId, _) = await SellAsync();
        var finance = await FinanceAsync();

        (await WebSession.ParseAsync(await finance.GetAsync($"/Refunds?orderId={Guid.NewGuid()}"))).Errors().ShouldContain("no sale");
        var forged = await finance.PostWithTokenAsync("/Refunds", "/Refunds", new() { ["OrderId"] = Guid.NewGuid().ToString(), ["Reason"] = "x", ["full"] = "true" });
        (await WebSession.ParseAsync(forged)).Errors().ShouldContain("no sale");
        var noReason = await finance.SubmitAsync($"/Refunds?orderId={orderId}", new Dictionary<string, string> { ["Reason"] = " ", ["full"] = "true" });
        (await WebSession.ParseAsync(noReason)).Errors().ShouldContain("reason");

        await SendAsync(new ProviderEvents.OpenDispute(new ProviderDisputeOpened("evt_d", "dp_1", $"test_pi_{orderId:N}", null, Gross, "EUR")));
        (await finance.PageAsync($"/Refunds?orderId={orderId}")).Body!.TextContent.ShouldContain("disputed");
        var duringDispute = await finance.PostWithTokenAsync("/Refunds", $"/Refunds?orderId={orderId}", new() { ["OrderId"] = orderId.ToString(), ["Reason"] = "x", ["full"] = "false", ["Amount"] = "1.00" });
        (await WebSession.ParseAsync(duringDispute)).Errors().ShouldContain("disputed");
        (await App.SaleEventsAsync(orderId)).OfType<SaleRefunded>().ShouldBeEmpty();

        // A buyer and a creator may not even see the page.
        var buyer = await this.SignInAsync("b@lab.test");
        (await buyer.GetAsync($"/Refunds?orderId={orderId}")).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
        (await buyer.GetAsync($"/Refunds?orderId={orderId}")).Headers.Location?.OriginalString.ShouldNotStartWith("/Refunds");
        (await NewSession().GetAsync("/Refunds")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Duplicated_and_reordered_refund_webhooks_post_each_refund_once()
    {
        var (orderId, creatorId) = await SellAsync();

        // Stripe lists every refund of the charge in each charge.refunded event; the second event arrives first.
        (await SendAsync(new ProviderEvents.PostRefunds(Refunds(orderId, ("re_2", 900), ("re_1", 1_000))))).ShouldBe(2);
        (await SendAsync(new ProviderEvents.PostRefunds(Refunds(orderId, ("re_1", 1_000))))).ShouldBe(0);
        (await SendAsync(new ProviderEvents.PostRefunds(Refunds(orderId, ("re_2", 900), ("re_1", 1_000))))).ShouldBe(0);

        var refunds = (await App.SaleEventsAsync(orderId)).OfType<SaleRefunded>().ToList();
        refunds.Select(r => r.RefundId).ShouldBe(["re_2", "re_1"]);
        (await BalanceAsync(creatorId)).PendingMinor.ShouldBe(Royalty - 1_520); // 19.00 of 49.00 → 15.20 of 39.20

        // Refunding more than is left is refused whole: nothing of this event posts.
        await Should.ThrowAsync<LedgerException>(() => SendAsync(new ProviderEvents.PostRefunds(Refunds(orderId, ("re_3", 2_000), ("re_4", 1_001)))));
        (await App.SaleEventsAsync(orderId)).OfType<SaleRefunded>().Count().ShouldBe(2);
    }

    [Fact]
    public async Task A_refund_webhook_for_a_payment_not_yet_in_the_ledger_is_retried_not_dropped()
    {
        await Should.ThrowAsync<SaleNotPostedYetException>(() =>
            SendAsync(new ProviderEvents.PostRefunds(new ProviderRefunds("evt_x", "pi_unknown", null, "EUR", [new ProviderRefund("re_x", 100, "x")]))));
    }

    [Fact]
    public async Task A_lost_dispute_reverses_the_sale_and_a_closed_before_created_posts_once()
    {
        var (orderId, creatorId) = await SellAsync();
        var reference = $"test_pi_{orderId:N}";

        // "closed" overtakes "created": the dispute is opened and closed together, and the late "created" changes nothing.
        (await SendAsync(new ProviderEvents.CloseDispute(new ProviderDisputeClosed("evt_c", "dp_1", reference, null, Gross, "EUR", Won: false)))).ShouldBeTrue();
        (await SendAsync(new ProviderEvents.OpenDispute(new ProviderDisputeOpened("evt_o", "dp_1", reference, null, Gross, "EUR")))).ShouldBeFalse();
        (await SendAsync(new ProviderEvents.CloseDispute(new ProviderDisputeClosed("evt_c", "dp_1", reference, null, Gross, "EUR", Won: false)))).ShouldBeFalse();

        var events = await App.SaleEventsAsync(orderId);
        events.OfType<DisputeOpened>().ShouldHaveSingleItem();
        events.OfType<DisputeClosed>().ShouldHaveSingleItem().Won.ShouldBeFalse();
        var creator = await BalanceAsync(creatorId);
        (creator.PayableMinor + creator.HeldMinor).ShouldBe(0);
    }

    [Fact]
    public async Task A_won_dispute_gives_the_royalties_back()
    {
        var (orderId, creatorId) = await SellAsync();
        var reference = $"test_pi_{orderId:N}";
        await SendAsync(new ProviderEvents.OpenDispute(new ProviderDisputeOpened("evt_o", "dp_1", reference, orderId, Gross, "EUR")));
        (await BalanceAsync(creatorId)).HeldMinor.ShouldBe(Royalty);

        await SendAsync(new ProviderEvents.CloseDispute(new ProviderDisputeClosed("evt_c", "dp_1", reference, orderId, Gross, "EUR", Won: true)));

        var creator = await BalanceAsync(creatorId);
        creator.HeldMinor.ShouldBe(0);
        creator.PendingMinor.ShouldBe(Royalty);
    }

    [Fact]
    public async Task A_refund_after_the_payee_was_paid_leaves_them_owing_and_later_sales_repay_it()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var workId = await creator.ListAsync(App, "Paid out");
        var creatorId = await UserIdAsync("c@example.test");
        var first = await BuyAsync(workId, "b@lab.test", "Lab One");
        await SendAsync(new MatureRoyalties.Command([first]));
        (await BalanceAsync(creatorId)).AvailableMinor.ShouldBe(Royalty);

        // The creator is paid everything available (as an approved payout would post it).
        await App.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<Marten.IDocumentStore>().LightweightSession();
            var batch = Guid.NewGuid();
            session.Events.StartStream(batch, new PayoutBatchApproved(batch, "fin", "EUR",
                [JournalLine.Debit(Accounts.PayeeAvailable(creatorId), Royalty), JournalLine.Credit(Accounts.PayoutsInTransit, Royalty)], Now()));
            await session.SaveChangesAsync();
            return 0;
        });
        (await BalanceAsync(creatorId)).AvailableMinor.ShouldBe(0);

        await SendAsync(new ProviderEvents.PostRefunds(Refunds(first, ("re_full", Gross))));
        (await BalanceAsync(creatorId)).AvailableMinor.ShouldBe(-Royalty, "the creator now owes what was refunded after they were paid");

        var second = await BuyAsync(workId, "b2@lab2.test", "Lab Two");
        await SendAsync(new MatureRoyalties.Command([second]));
        (await BalanceAsync(creatorId)).AvailableMinor.ShouldBe(0, "the next sale repaid the debt before anything is payable again");
    }
}
