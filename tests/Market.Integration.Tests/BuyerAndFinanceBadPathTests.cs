using Market.Billing.Sales;
using System.Net;
using System.Text;
using Market.Domain.Licensing;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>Bad paths on the buyer's and finance's side: refused clearly, nothing changed.</summary>
public sealed class BuyerAndFinanceBadPathTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Checking_out_a_work_withdrawn_after_it_was_added_is_refused_and_nothing_is_charged()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.ListAsync(App, "Soon withdrawn");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(id);

        var withdraw = await creator.SubmitAsync($"/Works/Details/{id}", new Dictionary<string, string>(), handler: "Withdraw");
        withdraw.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await buyer.GetAsync($"/Catalog/Details/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await buyer.PageAsync(await buyer.CurrentBundleAsync())).Text("[data-testid=bundle-item]").ShouldContain("No longer for sale");

        var checkout = await buyer.CheckoutAsync();
        checkout.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(checkout)).Text("[data-testid=errors]").ShouldContain("is not for sale any more");
        (await Db(db => db.Orders.CountAsync())).ShouldBe(0);
        (await Db(db => db.Licenses.CountAsync())).ShouldBe(0);
        (await App.StreamCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_buyer_cannot_open_finance_pages_and_an_anonymous_visitor_is_asked_to_sign_in()
    {
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        foreach (var url in new[] { "/Finance/Payouts", "/Finance/Payouts?handler=Csv" })
        {
            var response = await buyer.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            response.Headers.Location!.OriginalString.ShouldContain("/Identity/Account/AccessDenied");
        }
        var anonymous = await NewSession().GetAsync("/Finance/Payouts");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        anonymous.Headers.Location!.OriginalString.ShouldContain("/Identity/Account/Login");
    }

    [Fact]
    public async Task A_creator_cannot_buy_and_a_buyer_cannot_upload()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.ListAsync(App, "Not for creators");
        (await creator.GetAsync("/Bundles")).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        (await buyer.GetAsync("/Works/Upload")).Headers.Location!.OriginalString.ShouldContain("AccessDenied");

        var details = await creator.PageAsync($"/Catalog/Details/{id}");
        details.QuerySelector("form[action*='handler=Add']").ShouldBeNull("a creator is not shown the add-to-bundle form");
        var offerId = await Db(db => db.LicenseOffers.Select(o => o.Id).SingleAsync());
        var forged = await creator.PostWithTokenAsync($"/Catalog/Details/{id}?handler=Add", "/Catalog", new() { ["offerId"] = offerId.ToString() });
        forged.Headers.Location!.OriginalString.ShouldContain("AccessDenied");
        (await Db(db => db.Bundles.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_finance_account_without_two_factor_is_sent_to_set_it_up_before_anything_else()
    {
        await App.CreateStaffAsync("nofactor@market.test", Roles.Finance, twoFactor: false);
        var finance = await this.SignInAsync("nofactor@market.test");
        foreach (var url in new[] { "/Finance/Payouts", "/Catalog", "/" })
        {
            var response = await finance.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, url);
            response.Headers.Location!.OriginalString.ShouldBe("/Identity/Account/Manage/EnableAuthenticator");
        }
        (await finance.GetAsync("/Identity/Account/Manage/EnableAuthenticator")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_jobs_dashboard_is_for_admins_with_two_factor_only()
    {
        (await NewSession().GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var creator = await this.SignUpCreatorAsync("c@example.test");
        (await creator.GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var key = await App.CreateStaffAsync("admin@market.test", Roles.Admin);
        var admin = await this.SignInAsync("admin@market.test", key);
        (await admin.GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_buyer_never_sees_another_organisations_license_or_payment_page()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.ListAsync(App, "Licensed once");
        var buyer = await this.SignUpBuyerAsync("b@lab.test", "Lab A");
        await buyer.AddToBundleAsync(id);
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;

        var rival = await this.SignUpBuyerAsync("r@rival.test", "Lab B");
        (await rival.GetAsync(paymentPage)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var licenseId = await buyer.PayWithTestProviderAsync(paymentPage);
        (await rival.GetAsync($"/Licenses/Details/{licenseId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await rival.PageAsync("/Licenses")).QuerySelectorAll("tbody tr").Length.ShouldBe(0);
    }

    [Fact]
    public async Task Paying_twice_issues_one_license_and_posts_the_sale_once()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.ListAsync(App, "Paid twice");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(id);
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        // Two presses of Pay from the same page, as a double click would send them.
        var first = await buyer.PostWithTokenAsync(paymentPage + "?handler=Pay", paymentPage);
        var second = await buyer.PostWithTokenAsync(paymentPage + "?handler=Pay", paymentPage);
        first.Headers.Location.ShouldNotBeNull();
        second.Headers.Location.ShouldBe(first.Headers.Location);

        (await Db(db => db.Licenses.CountAsync())).ShouldBe(1);
        var orderId = await Db(db => db.Orders.Select(o => o.Id).SingleAsync());
        (await App.SaleEventsAsync(orderId)).ShouldHaveSingleItem().ShouldBeOfType<SalePosted>();
        (await App.PayeeBalancesAsync()).ShouldHaveSingleItem().PendingMinor.ShouldBe(3920);
    }

    [Fact]
    public async Task A_cancelled_payment_charges_nothing_and_the_bundle_can_be_bought_later()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.ListAsync(App, "Maybe later");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(id);
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        (await buyer.SubmitAsync(paymentPage, new Dictionary<string, string>(), handler: "Cancel")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Db(db => db.Orders.Select(o => o.Status).SingleAsync())).ShouldBe(OrderStatus.Cancelled);
        (await Db(db => db.Licenses.CountAsync())).ShouldBe(0);

        // A cancelled order cannot be paid afterwards.
        var late = await buyer.PostWithTokenAsync(paymentPage + "?handler=Pay", "/Bundles");
        (await WebSession.ParseAsync(late)).Text("[data-testid=errors]").ShouldContain("cancelled");
        (await Db(db => db.Licenses.CountAsync())).ShouldBe(0);

        var retry = await buyer.CheckoutAsync();
        await buyer.PayWithTestProviderAsync(retry.Headers.Location!.OriginalString);
        (await Db(db => db.Licenses.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task Checking_out_the_same_bundle_again_cancels_the_earlier_unpaid_order_so_it_cannot_be_paid_twice()
    {
        var creator = await this.SignUpCreatorAsync("c@example.test");
        var id = await creator.ListAsync(App, "Two tabs");
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        await buyer.AddToBundleAsync(id);
        var firstPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        var secondPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        secondPage.ShouldNotBe(firstPage);

        var stale = await buyer.PostWithTokenAsync(firstPage + "?handler=Pay", "/Bundles");
        (await WebSession.ParseAsync(stale)).Text("[data-testid=errors]").ShouldContain("cancelled");
        await buyer.PayWithTestProviderAsync(secondPage);

        (await Db(db => db.Licenses.CountAsync())).ShouldBe(1);
        (await Db(db => db.Orders.Select(o => o.Status).ToListAsync())).ShouldBe([OrderStatus.Paid, OrderStatus.Cancelled], ignoreOrder: true);
        (await App.PayeeBalancesAsync()).ShouldHaveSingleItem().PendingMinor.ShouldBe(3920);
    }

    [Fact]
    public async Task A_stripe_webhook_without_a_valid_signature_is_refused()
    {
        var client = App.CreateClient();
        var body = new StringContent("""{"id":"evt_forged","type":"checkout.session.completed","data":{"object":{"id":"cs_x","object":"checkout.session"}}}""", Encoding.UTF8, "application/json");
        body.Headers.Add("Stripe-Signature", "t=1,v1=deadbeef");
        (await client.PostAsync("/webhooks/stripe", body)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var unsigned = new StringContent("{}", Encoding.UTF8, "application/json");
        (await client.PostAsync("/webhooks/stripe", unsigned)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Signing_out_from_the_menu_ends_the_session()
    {
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        var page = await buyer.PageAsync("/Catalog");
        var form = page.QuerySelector("form[action*='Logout']")!;
        form.QuerySelector("input[name=__RequestVerificationToken]").ShouldNotBeNull("the sign-out form carries its antiforgery token");
        var signOut = await buyer.PostWithTokenAsync(form.GetAttribute("action")!, "/Catalog");
        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await buyer.GetAsync("/Bundles");
        after.Headers.Location!.OriginalString.ShouldContain("/Identity/Account/Login");
    }

    [Fact]
    public async Task Pages_and_previews_are_sent_with_headers_that_stop_sniffing_framing_and_foreign_scripts()
    {
        foreach (var url in new[] { "/", "/Catalog", "/Identity/Account/Login", "/no-such-page" })
        {
            var response = await App.CreateClient().GetAsync(url);
            response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"], url);
            response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"], url);
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            policy.ShouldContain("script-src 'self';", customMessage: url);
            policy.ShouldContain("frame-ancestors 'none'", customMessage: url);
        }
    }

    [Fact]
    public async Task The_health_endpoint_checks_the_database()
    {
        var response = await App.CreateClient().GetAsync("/health");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Healthy");
    }
}
