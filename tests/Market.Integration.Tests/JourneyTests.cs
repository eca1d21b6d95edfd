using System.Net;
using Market.Billing.Sales;
using Market.Billing.Ledger;
using Market.Domain.Licensing;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests;

/// <summary>The walking skeleton's whole loop, over HTTP, through the pages people use.</summary>
public sealed class JourneyTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task A_creator_lists_a_work_a_buyer_licenses_it_the_ledger_records_it_and_finance_sees_the_royalty()
    {
        // 1. A creator signs up, uploads, opts in on the consent page and offers a 1-year generative license.
        var creator = await this.SignUpCreatorAsync("ada@example.test", "Ada Lovelace");
        var workId = await creator.UploadAsync("Harbour at dawn");
        var details = await creator.PageAsync($"/Works/Details/{workId}");
        details.Text("[data-testid=state]").ShouldBe("draft");
        await creator.ConsentAsync(workId);
        await creator.OfferAsync(workId, "49.00", "EUR");

        // 2. Submitting hands the work to the Hangfire scan job, which hashes it and lists it.
        await creator.SubmitAsync(workId);
        (await App.ScannedStateAsync(workId)).ShouldBe(Market.Domain.Catalog.WorkState.Listed);
        var work = await Db(db => db.Works.AsNoTracking().FirstAsync(w => w.Id == workId));
        work.Sha256!.Length.ShouldBe(64);
        work.PerceptualHash!.Length.ShouldBe(64, "the PDQ hash, as the reference prints it");
        (await App.CreateClient().GetAsync($"/previews/{workId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // 3. A buyer finds it in the catalog, adds it to a bundle and pays with the test provider.
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        var catalog = await buyer.PageAsync("/Catalog");
        catalog.QuerySelectorAll("[data-testid=catalog-item]").Select(e => e.TextContent).ShouldContain(t => t.Contains("Harbour at dawn") && t.Contains("Ada Lovelace"));
        await buyer.AddToBundleAsync(workId);
        var bundle = await buyer.PageAsync(await buyer.CurrentBundleAsync());
        bundle.Text("[data-testid=total]").ShouldBe("49.00 EUR");
        var checkout = await buyer.CheckoutAsync();
        checkout.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(checkout)).Errors());
        var paymentPage = checkout.Headers.Location!.OriginalString;
        paymentPage.ShouldStartWith("/Payments/Test/");
        (await buyer.PageAsync(paymentPage)).Text("[data-testid=amount]").ShouldBe("49.00 EUR");
        var licenseId = await buyer.PayWithTestProviderAsync(paymentPage);

        // 4. The license snapshots the terms, with a start and an end one year later.
        var licensePage = await buyer.PageAsync($"/Licenses/Details/{licenseId}");
        licensePage.QuerySelectorAll("[data-testid=license-item]").Length.ShouldBe(1);
        var license = await Db(db => db.Licenses.AsNoTracking().Include(l => l.Items).FirstAsync(l => l.Id == licenseId));
        var item = license.Items.ShouldHaveSingleItem();
        item.Terms.Scope.ShouldBe(LicenseScope.GenerativeTraining);
        item.Terms.TermMonths.ShouldBe(12);
        item.Terms.Commercial.ShouldBeTrue("the offer form's default, as the browser sent it");
        item.Terms.NameMayNotBeUsedAsPrompt.ShouldBeTrue();
        item.EndsAt.ShouldBe(item.StartsAt.AddMonths(12));
        item.CreatorName.ShouldBe("Ada Lovelace");
        item.PriceMinor.ShouldBe(4900);

        // ...and the ledger holds the sale, the platform fee and the royalty, each balanced.
        var orderId = license.OrderId;
        var events = await App.SaleEventsAsync(orderId);
        var sale = events.ShouldHaveSingleItem().ShouldBeOfType<SalePosted>();
        Journal.IsBalanced(sale.Lines).ShouldBeTrue();
        sale.GrossMinor.ShouldBe(4900);
        var posting = sale.Items.ShouldHaveSingleItem();
        posting.FeeMinor.ShouldBe(980);
        var royalty = posting.Royalties.ShouldHaveSingleItem();
        royalty.NetMinor.ShouldBe(3920);
        royalty.PayeeId.ShouldBe(work.CreatorId);
        sale.Lines.ShouldContain(JournalLine.Credit(Accounts.PayeePending(work.CreatorId), 3920, work.Id));
        await App.PayeeBalancesAsync(); // the payee report reads the projection: let it catch up

        // 5. Finance signs in with 2FA and sees the royalty on the payout report, and in the CSV.
        var key = await App.CreateStaffAsync("fin@market.test", Roles.Finance);
        var finance = await this.SignInAsync("fin@market.test", key);
        var report = await finance.PageAsync("/Finance/Payouts");
        var row = report.QuerySelectorAll("[data-testid=payee-row]").ShouldHaveSingleItem();
        row.TextContent.ShouldContain("Ada Lovelace");
        row.QuerySelector("[data-testid=pending]")!.TextContent.Trim().ShouldBe("39.20 EUR");
        var csv = await finance.GetAsync("/Finance/Payouts?handler=Csv");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("payee_id,payee_name,payee_email,currency,pending_minor,available_minor,held_minor,pending,available,held");
        lines[1].ShouldBe($"{work.CreatorId},Ada Lovelace,ada@example.test,EUR,3920,0,0,39.20,0.00,0.00");
    }

    [Fact]
    public async Task The_payout_balance_is_the_ledger_projection_of_every_royalty()
    {
        var creator = await this.SignUpCreatorAsync("two@example.test", "Two Works");
        var first = await creator.ListAsync(App, "First", "10.00", CreatorSteps.Jpeg(0));
        var second = await creator.ListAsync(App, "Second", "0.03", CreatorSteps.Jpeg(1));
        var buyer = await this.SignUpBuyerAsync("buyer@lab.test");
        await buyer.AddToBundleAsync(first);
        await buyer.AddToBundleAsync(second);
        var checkout = await buyer.CheckoutAsync();
        await buyer.PayWithTestProviderAsync(checkout.Headers.Location!.OriginalString);

        var balance = (await App.PayeeBalancesAsync()).ShouldHaveSingleItem();
        // 1003 minor units: 1000 → fee 200, royalty 800; 3 → fee 1 (0.6 rounds by largest remainder), royalty 2.
        balance.PendingMinor.ShouldBe(802);
        balance.Currency.ShouldBe("EUR");
    }
}
