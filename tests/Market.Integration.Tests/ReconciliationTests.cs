using System.Net;
using System.Text;
using Market.Billing.Payments;
using Market.Billing.Reconciliation;
using Market.Billing.Sales;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Features.Refunds;
using Market.Web.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests;

/// <summary>The provider's balance history export against the ledger, on the finance reconciliation page.</summary>
public sealed class ReconciliationTests(MarketAppFactory app) : IntegrationTest(app)
{
    private async Task<Guid> BuyAsync(Guid workId, string buyerEmail, string organisation)
    {
        var buyer = await this.SignUpBuyerAsync(buyerEmail, organisation);
        await buyer.AddToBundleAsync(workId);
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        await buyer.PayWithTestProviderAsync(paymentPage);
        return Guid.Parse(paymentPage.Split('/')[^1]);
    }

    private Task<T> SendAsync<T>(IRequest<T> request) => App.WithScopeAsync(sp => sp.GetRequiredService<IMediator>().Send(request));

    private static byte[] Csv(params string[] rows) =>
        Encoding.UTF8.GetBytes("id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Description\n" + string.Join("\n", rows) + "\n");

    private async Task<WebSession> FinanceAsync()
    {
        var key = await App.CreateStaffAsync("fin@market.test", Roles.Finance);
        return await this.SignInAsync("fin@market.test", key);
    }

    [Fact]
    public async Task Every_difference_is_listed_and_missing_fees_post_once()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var workId = await creator.ListAsync(App, "Reconciled");
        var paid = await BuyAsync(workId, "b1@lab.test", "Lab One");
        var unexported = await BuyAsync(workId, "b2@lab.test", "Lab Two");
        await SendAsync(new ProviderEvents.PostRefunds(new ProviderRefunds("evt_r", $"test_pi_{paid:N}", paid, "EUR", [new ProviderRefund("re_1", 1_000, "x")])));
        var (before, after) = (Now().AddHours(-1).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"), Now().AddHours(1).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));
        var export = Csv(
            $"txn_1,charge,test_pi_{paid:N},49.00,1.72,47.28,eur,{before},\"Order, with a comma\"",
            $"txn_2,refund,re_1,-9.00,0.00,-9.00,eur,{after},Refund",
            $"txn_3,charge,ch_stranger,5.00,0.45,4.55,eur,{after},Not ours",
            $"txn_4,payout,po_1,-20.00,0.00,-20.00,eur,{after},To the bank");
        var finance = await FinanceAsync();

        var page = await WebSession.ParseAsync(await finance.SubmitFileAsync("/Finance/Reconciliation", new Dictionary<string, string>(), "Export", export, "balance.csv", "text/csv"));

        var differences = page.QuerySelectorAll("[data-testid=difference]").Select(d => (d.GetAttribute("data-kind"), d.GetAttribute("data-reference"))).ToList();
        differences.ShouldBe([
            (nameof(DifferenceKind.FeeNotInLedger), "txn_1"),
            (nameof(DifferenceKind.AmountMismatch), "re_1"),
            (nameof(DifferenceKind.AtProviderNotInLedger), "ch_stranger"),
            (nameof(DifferenceKind.InLedgerNotAtProvider), $"test_pi_{unexported:N}"),
        ], ignoreOrder: true);
        page.QuerySelector("[data-testid=summary]")!.TextContent.ShouldContain("1 transaction(s) of other kinds");
        (await App.SaleEventsAsync(paid)).OfType<ProcessorFeeCharged>().ShouldBeEmpty("comparing changes nothing");

        for (var i = 0; i < 2; i++)
        {
            var posted = await WebSession.ParseAsync(await finance.SubmitFileAsync("/Finance/Reconciliation?handler=Fees", new Dictionary<string, string>(), "Export", export, "balance.csv", "text/csv"));
            posted.QuerySelector("[data-testid=fees-posted]")!.TextContent.ShouldContain(i == 0 ? "Posted 1 " : "Posted 0 ");
            posted.QuerySelectorAll("[data-testid=difference]").Select(d => d.GetAttribute("data-reference")).ShouldNotContain("txn_1");
        }
        var fee = (await App.SaleEventsAsync(paid)).OfType<ProcessorFeeCharged>().ShouldHaveSingleItem();
        (fee.Reference, fee.AmountMinor).ShouldBe(("txn_1", 172L));
    }

    [Theory]
    [InlineData("id,Type,Amount\ntxn_1,charge,1.00\n", "Source")]
    [InlineData("id,Type,Source,Amount,Fee,Net,Currency,Created (UTC)\ntxn_1,charge,ch_1,1.005,0,1,eur,2026-01-01 00:00:00\n", "Line 2")]
    [InlineData("id,Type,Source,Amount,Fee,Net,Currency,Created (UTC)\ntxn_1,charge,ch_1,1.00,0,1,xxx,2026-01-01 00:00:00\n", "XXX")]
    [InlineData("", "CSV")]
    public async Task A_bad_export_is_refused_with_the_reason(string csv, string message)
    {
        var finance = await FinanceAsync();
        var response = await finance.SubmitFileAsync("/Finance/Reconciliation", new Dictionary<string, string>(), "Export", Encoding.UTF8.GetBytes(csv), "bad.csv", "text/csv");
        var errors = (await WebSession.ParseAsync(response)).Errors();
        errors.ShouldNotBeNullOrWhiteSpace();
        errors.ShouldContain(message);
    }

    [Fact]
    public async Task Only_finance_may_reconcile()
    {
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        var response = await buyer.GetAsync("/Finance/Reconciliation");
        response.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (await NewSession().GetAsync("/Finance/Reconciliation")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (await (await FinanceAsync()).GetAsync("/Finance/Reconciliation")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
