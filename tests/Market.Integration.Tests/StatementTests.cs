using System.Net;
using System.Text;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>Payee statements: they foot, they agree with the balances, and a creator sees only their own.</summary>
public sealed class StatementTests(MarketAppFactory app) : IntegrationTest(app)
{
    /// <summary>
    /// A varied ledger over three months: sales, a partial refund, a lost and a won dispute, maturity, a claim
    /// hold with a redirect to another payee and a hold released. Returns the two creators' payee ids.
    /// </summary>
    internal static async Task<(string Ada, string Bo, DateTimeOffset First)> VariedLedgerAsync(IntegrationTest test, MarketAppFactory app)
    {
        var ada = await test.SignUpCreatorAsync("ada@example.test", "Ada");
        var w1 = await ada.ListAsync(app, "Harbour", "49.00");
        var w2 = await ada.ListAsync(app, "Lighthouse", "20.00", CreatorSteps.Jpeg(1));
        var bo = await test.SignUpCreatorAsync("bo@example.test", "Bo");
        var w3 = await bo.ListAsync(app, "Dunes", "10.00", CreatorSteps.Jpeg(2));
        var buyer = await test.SignUpBuyerAsync("lab@lab.test");
        // An organisation licenses a work once: the later sales of the same works are to other organisations.
        var buyer2 = await test.SignUpBuyerAsync("two@lab2.test", "Second Lab");
        var buyer3 = await test.SignUpBuyerAsync("three@lab3.test", "Third Lab");
        var (w4, w5) = (w1, w2);
        var first = app.Clock.GetUtcNow();
        var now = () => app.Clock.GetUtcNow();

        // Month 1: three sales, a partial refund, a dispute opened.
        var s1 = await buyer.BuyAsync(app, w1);
        var s2 = await buyer.BuyAsync(app, w2, w3);
        var s3 = await buyer2.BuyAsync(app, w4);
        await app.PostAsync(s1, s => SaleDecisions.Refund(s, "re_1", 1000, "requested_by_customer", now()));
        await app.PostAsync(s2, s => SaleDecisions.OpenDispute(s, "dp_1", 1500, now()));

        // Month 2: the dispute is lost, sale 1 matures, a claim holds work 1 on sale 3 and is upheld for Bo.
        app.Clock.Advance(TimeSpan.FromDays(35));
        await app.PostAsync(s2, s => SaleDecisions.CloseDispute(s, "dp_1", won: false, now()));
        await app.PostAsync(s1, s => SaleDecisions.Mature(s, now()));
        var claim = Guid.NewGuid();
        await app.PostAsync(s3, s => SaleDecisions.Hold(s, w4, claim, now()));
        var boId = await app.DbAsync(db => db.Works.Where(w => w.Id == w3).Select(w => w.CreatorId).SingleAsync());
        await app.PostAsync(s3, s => SaleDecisions.Redirect(s, w4, claim, boId, now()));

        // Month 3: a new sale, a dispute won, a claim held and released.
        app.Clock.Advance(TimeSpan.FromDays(35));
        // Sign in again: the sign-in cookie from two months ago has expired on the test clock.
        buyer3 = await test.SignInAsync("three@lab3.test");
        var s4 = await buyer3.BuyAsync(app, w5);
        await app.PostAsync(s4, s => SaleDecisions.OpenDispute(s, "dp_2", 2000, now()));
        await app.PostAsync(s4, s => SaleDecisions.CloseDispute(s, "dp_2", won: true, now()));
        var claim2 = Guid.NewGuid();
        await app.PostAsync(s4, s => SaleDecisions.Hold(s, w5, claim2, now()));
        await app.PostAsync(s2, s => SaleDecisions.Mature(s, now()));
        app.Clock.Advance(TimeSpan.FromDays(1));
        await app.PostAsync(s4, s => SaleDecisions.Release(s, w5, claim2, now()));
        await app.PostAsync(s4, s => SaleDecisions.Hold(s, w5, Guid.NewGuid(), now()));

        var adaId = await app.DbAsync(db => db.Works.Where(w => w.Id == w1).Select(w => w.CreatorId).SingleAsync());
        return (adaId, boId, first);
    }

    [Fact]
    public async Task Every_period_foots_and_the_closing_balance_equals_the_payee_balances()
    {
        var (ada, bo, first) = await VariedLedgerAsync(this, App);
        var balances = await App.PayeeBalancesAsync();
        var now = Now();

        foreach (var payee in new[] { ada, bo })
        {
            var balance = balances.Single(b => b.PayeeId == payee && b.Currency == "EUR");
            var kinds = new HashSet<StatementKind>();
            // Months from the one before the first posting to the current one: each opens where the last closed.
            var month = StatementPeriod.MonthOf(first).Previous();
            var previous = await App.StatementAsync(payee, "EUR", month);
            previous.Opening.ShouldBe(new StatementBalance(0, 0));
            previous.Closing.ShouldBe(new StatementBalance(0, 0), "nothing was posted before the first sale");
            while (month.Start < StatementPeriod.MonthOf(now).Start)
            {
                month = month.Next();
                var s = await App.StatementAsync(payee, "EUR", month);
                s.Opening.ShouldBe(previous.Closing, $"{month} opens where {previous.Period} closed");
                s.Closing.ShouldBe(new StatementBalance(s.Opening.PayableMinor + s.Movements.Sum(m => m.PayableMinor), s.Opening.HeldMinor + s.Movements.Sum(m => m.HeldMinor)));
                kinds.UnionWith(s.Movements.Where(m => m.Lines > 0).Select(m => m.Kind));
                previous = s;
            }
            previous.Closing.ShouldBe(new StatementBalance(balance.PayableMinor, balance.HeldMinor), $"{payee}'s current month closes at the balances");

            // A quarter and a year agree with the months they contain.
            foreach (var text in new[] { $"{now.Year}", $"{now.Year}-Q{(now.Month - 1) / 3 + 1}" })
            {
                StatementPeriod.TryParse(text, out var p).ShouldBeTrue();
                var s = await App.StatementAsync(payee, "EUR", p);
                s.Closing.ShouldBe(new StatementBalance(balance.PayableMinor, balance.HeldMinor));
                var before = await App.StatementAsync(payee, "EUR", StatementPeriod.MonthOf(p.StartAt.AddDays(-1)));
                s.Opening.ShouldBe(before.Closing);
            }
            if (payee == ada)
                kinds.ShouldBe([StatementKind.Accrual, StatementKind.Fee, StatementKind.Refund, StatementKind.Chargeback, StatementKind.Hold,
                    StatementKind.Release, StatementKind.RedirectedOut], ignoreOrder: true);
            else kinds.ShouldContain(StatementKind.RedirectedIn);
        }
    }

    [Fact]
    public async Task The_page_and_the_csv_show_the_creators_own_statement_and_the_csv_lines_sum_to_the_movements()
    {
        var (ada, bo, first) = await VariedLedgerAsync(this, App);
        await App.PayeeBalancesAsync();
        var period = StatementPeriod.MonthOf(first);
        var adaSession = await this.SignInAsync("ada@example.test");

        // Ada asks for Bo's statement by every parameter she can think of: she still gets her own.
        var page = await adaSession.PageAsync($"/Statements?period={period}&currency=EUR&payee={bo}&PayeeId={bo}");
        var expected = await App.StatementAsync(ada, "EUR", period);
        long Minor(string testId) => long.Parse(page.QuerySelector($"[data-testid={testId}] td:nth-child(2)")!.GetAttribute("data-minor")!);
        Minor("opening").ShouldBe(expected.Opening.PayableMinor);
        Minor("closing").ShouldBe(expected.Closing.PayableMinor);
        page.QuerySelectorAll("[data-testid=statement-sale]").Length.ShouldBe(3, "three sales of Ada's works in the first month");
        page.QuerySelectorAll("[data-testid=license-link]").ShouldBeEmpty("a creator does not learn who bought");
        page.QuerySelectorAll("[data-testid=statement-item]").Select(e => e.TextContent).ShouldContain(t => t.Contains("Harbour"));
        page.QuerySelectorAll("[data-testid=statement-item]").Select(e => e.TextContent).ShouldNotContain(t => t.Contains("Dunes"), "Bo's work");

        var csv = await adaSession.GetAsync($"/Statements?handler=Csv&period={period}&currency=EUR&payee={bo}");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rows = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldBe("at,sequence,ordinal,kind,sale_id,payment_reference,license_id,work_id,work_title,reference,payable_minor,held_minor,currency,payable,held");
        var cells = rows.Skip(1).Select(r => r.Split(',')).ToList();
        cells.Count.ShouldBe((int)expected.LineCount);
        cells.Sum(c => long.Parse(c[10])).ShouldBe(expected.Movements.Sum(m => m.PayableMinor));
        cells.Sum(c => long.Parse(c[11])).ShouldBe(expected.Movements.Sum(m => m.HeldMinor));
        cells.ShouldAllBe(c => c[6] == "", "no license ids for creators");

        var print = await adaSession.GetAsync($"/Statements?handler=Print&period={period}&currency=EUR");
        print.StatusCode.ShouldBe(HttpStatusCode.OK);
        var printed = await WebSession.ParseAsync(print);
        printed.QuerySelector("nav").ShouldBeNull("the printable page has no navigation");
        printed.QuerySelector("[data-testid=roll-forward]").ShouldNotBeNull();
    }

    [Fact]
    public async Task Finance_sees_any_payees_statement_with_licenses_and_nobody_else_can()
    {
        var (ada, bo, first) = await VariedLedgerAsync(this, App);
        await App.PayeeBalancesAsync();
        var period = StatementPeriod.MonthOf(first);
        var key = await App.CreateStaffAsync("fin@market.test", Roles.Finance);
        var finance = await this.SignInAsync("fin@market.test", key);
        var page = await finance.PageAsync($"/Finance/Statements?payee={Uri.EscapeDataString(ada)}&period={period}&currency=EUR");
        page.QuerySelectorAll("[data-testid=license-link]").Length.ShouldBe(3);
        (await finance.GetAsync($"/Finance/Statements?payee=a:b")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await finance.PageAsync("/Finance/Statements?payee=a:b")).Text("[data-testid=statement-error]").ShouldBe("That is not a payee id.");
        (await finance.GetAsync("/Finance/Statements?handler=Csv&payee=")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var adaSession = await this.SignInAsync("ada@example.test");
        (await adaSession.GetAsync($"/Finance/Statements?payee={Uri.EscapeDataString(bo)}")).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
        (await adaSession.GetAsync($"/Finance/Statements?handler=Csv&payee={Uri.EscapeDataString(bo)}")).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
        var buyer = await this.SignInAsync("lab@lab.test");
        (await buyer.GetAsync("/Statements")).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
        var anonymous = await NewSession().GetAsync("/Statements?handler=Csv");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        anonymous.Headers.Location!.OriginalString.ShouldContain("Login");
    }

    [Fact]
    public async Task Bad_periods_and_cursors_are_reported_and_lines_page_by_keyset_without_gaps_or_repeats()
    {
        var creator = await this.SignUpCreatorAsync("ada@example.test", "Ada");
        var work = await creator.ListAsync(App, "Harbour", "49.00");
        var buyer = await this.SignUpBuyerAsync("lab@lab.test");
        var sale = await buyer.BuyAsync(App, work);
        // 120 small refunds: well over a page of lines (how many depends on how each refund is split with the platform).
        for (var i = 0; i < 120; i++) await App.PostAsync(sale, s => SaleDecisions.Refund(s, $"re_{i}", 10, "test", Now()));
        await App.PayeeBalancesAsync();

        var csv = Encoding.UTF8.GetString(await (await creator.GetAsync("/Statements?handler=Csv&currency=EUR")).Content.ReadAsByteArrayAsync());
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        lines.Count.ShouldBeGreaterThan(100);
        lines.Select(l => string.Join(',', l.Split(',')[1..3])).Distinct().Count().ShouldBe(lines.Count, "each line once");
        static int Lines(AngleSharp.Dom.IDocument page) => page.QuerySelectorAll("[data-testid=statement-item]").Sum(e => int.Parse(e.GetAttribute("data-lines")!));
        var first = await creator.PageAsync("/Statements?currency=EUR");
        Lines(first).ShouldBe(100);
        var second = await creator.PageAsync(first.QuerySelector("[data-testid=next-page]")!.GetAttribute("href")!);
        Lines(second).ShouldBe(lines.Count - 100);
        second.QuerySelector("[data-testid=next-page]").ShouldBeNull();

        (await creator.PageAsync("/Statements?period=2026-13")).Text("[data-testid=statement-error]").ShouldContain("is not a period");
        (await creator.PageAsync("/Statements?after=junk")).Text("[data-testid=statement-error]").ShouldContain("page link is not valid");
        (await creator.PageAsync("/Statements?currency=XXX")).Text("[data-testid=statement-error]").ShouldContain("not a currency");
        (await creator.GetAsync("/Statements?handler=Csv&period=nonsense")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await creator.PageAsync("/Statements?period=2001-01&currency=EUR")).QuerySelector("[data-testid=no-lines]").ShouldNotBeNull();
    }
}
