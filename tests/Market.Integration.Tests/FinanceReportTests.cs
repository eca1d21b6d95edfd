using System.Net;
using System.Text;
using Marten;
using Market.Billing.Ledger;
using Market.Billing.Periods;
using Market.Billing.Reports;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Identity;
using Market.Web.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Market.Integration.Tests;

/// <summary>Trial balance, earnings, period close, and read models that rebuild to the same bytes.</summary>
public sealed class FinanceReportTests(MarketAppFactory app) : IntegrationTest(app)
{
    private async Task<WebSession> FinanceAsync()
    {
        var key = await App.CreateStaffAsync("fin@market.test", Roles.Finance);
        return await this.SignInAsync("fin@market.test", key);
    }

    [Fact]
    public async Task The_trial_balance_balances_per_currency_and_earnings_add_up()
    {
        var (ada, _, first) = await StatementTests.VariedLedgerAsync(this, App);
        await App.PayeeBalancesAsync();
        var finance = await FinanceAsync();

        var page = await finance.PageAsync("/Finance/TrialBalance");
        page.Text("[data-testid=check]").ShouldBe("Balanced: debits equal credits.");
        page.Text("[data-testid=total-debit]").ShouldBe(page.Text("[data-testid=total-credit]"));
        page.QuerySelectorAll("[data-testid=account-row]").Select(e => e.TextContent).ShouldContain(t => t.Contains(Accounts.DisputedFunds));
        var csv = Encoding.UTF8.GetString(await (await finance.GetAsync("/Finance/TrialBalance?handler=Csv")).Content.ReadAsByteArrayAsync())
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        csv[0].ShouldBe("currency,account,debit_minor,credit_minor,balance_minor");
        csv.Skip(1).Sum(r => long.Parse(r.Split(',')[4])).ShouldBe(0);

        // Earnings by payee over the year equal the statement's accrual, fee, refund and chargeback rows.
        var year = $"{Now().Year}";
        var earnings = Encoding.UTF8.GetString(await (await finance.GetAsync($"/Finance/Earnings?handler=Csv&by=Payee&period={year}")).Content.ReadAsByteArrayAsync())
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        earnings[0].ShouldBe("key,name,currency,accrual_minor,fee_minor,refund_minor,chargeback_minor,net_minor");
        var adaRow = earnings.Single(r => r.StartsWith(ada + ",", StringComparison.Ordinal)).Split(',');
        StatementPeriod.TryParse(year, out var p);
        var statement = await App.StatementAsync(ada, "EUR", p);
        long Of(StatementKind k) => statement.Movements.Single(m => m.Kind == k) is var m ? m.PayableMinor + m.HeldMinor : 0;
        long.Parse(adaRow[3]).ShouldBe(Of(StatementKind.Accrual));
        long.Parse(adaRow[4]).ShouldBe(Of(StatementKind.Fee));
        long.Parse(adaRow[5]).ShouldBe(Of(StatementKind.Refund));
        long.Parse(adaRow[6]).ShouldBe(Of(StatementKind.Chargeback));
        long.Parse(adaRow[4]).ShouldBeLessThan(0);

        // By work and by month sum to the same net as by payee.
        async Task<long> NetAsync(string by) => Encoding.UTF8.GetString(await (await finance.GetAsync($"/Finance/Earnings?handler=Csv&by={by}&period={year}")).Content.ReadAsByteArrayAsync())
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Sum(r => long.Parse(r.Split(',')[^1]));
        var byPayee = await NetAsync("Payee");
        (await NetAsync("Work")).ShouldBe(byPayee);
        (await NetAsync("Month")).ShouldBe(byPayee);
        (await finance.GetAsync("/Finance/Earnings?handler=Csv&period=junk")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var creator = await this.SignInAsync("ada@example.test");
        foreach (var url in new[] { "/Finance/TrialBalance", "/Finance/Earnings?handler=Csv", "/Finance/Periods" })
            (await creator.GetAsync(url)).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
    }

    [Fact]
    public async Task Finance_closes_ended_months_in_order_once_each_with_the_trial_balance()
    {
        var (_, _, first) = await StatementTests.VariedLedgerAsync(this, App);
        var finance = await FinanceAsync();
        var firstMonth = StatementPeriod.MonthOf(first);

        var page = await finance.PageAsync("/Finance/Periods");
        page.Text("[data-testid=close-next]").ShouldBe($"Close {firstMonth}");

        // Out of order, the current month and junk are refused and change nothing.
        foreach (var (period, message) in new[]
                 {
                     (firstMonth.Next().ToString(), $"close {firstMonth} first"),
                     (StatementPeriod.MonthOf(Now()).ToString(), "has not ended"),
                     ("2026-Q1", "is not a month"),
                 })
        {
            var refused = await finance.SubmitAsync("/Finance/Periods", new Dictionary<string, string> { ["Period"] = period }, handler: "Close");
            refused.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await WebSession.ParseAsync(refused)).Errors().ShouldContain(message);
        }
        (await ClosedAsync()).ShouldBeEmpty();

        var closed = await finance.SubmitAsync("/Finance/Periods", new Dictionary<string, string> { ["Period"] = firstMonth.ToString() }, handler: "Close");
        closed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page = await finance.FollowAsync(closed);
        page.Text("[data-testid=flash]").ShouldBe($"{firstMonth} is closed.");
        page.QuerySelectorAll("[data-testid=closed-period]").ShouldHaveSingleItem().TextContent.ShouldContain(firstMonth.ToString());
        page.Text("[data-testid=close-next]").ShouldBe($"Close {firstMonth.Next()}");

        var again = await finance.SubmitAsync("/Finance/Periods", new Dictionary<string, string> { ["Period"] = firstMonth.ToString() }, handler: "Close");
        (await WebSession.ParseAsync(again)).Errors().ShouldContain($"{firstMonth} is already closed.");

        var events = await ClosedAsync();
        var e = events.ShouldHaveSingleItem();
        e.Period.ShouldBe(firstMonth.ToString());
        var balances = await App.WithScopeAsync(sp => TrialBalance.ReadAsync(sp.GetRequiredService<NpgsqlDataSource>(), CancellationToken.None));
        e.TrialBalance.ShouldBe(balances, "nothing was posted since: the snapshot is the trial balance");
        e.TrialBalance.ShouldNotBeEmpty();
        PeriodGuard.EnsureOpen(events, Now());
        Should.Throw<Market.Billing.Sales.LedgerException>(() => PeriodGuard.EnsureOpen(events, first));

        // The second month closes on top of the first (an append at the stream's next version).
        (await finance.SubmitAsync("/Finance/Periods", new Dictionary<string, string> { ["Period"] = firstMonth.Next().ToString() }, handler: "Close"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await ClosedAsync()).Select(c => c.Period).ShouldBe([firstMonth.ToString(), firstMonth.Next().ToString()]);

        var creator = await this.SignInAsync("ada@example.test");
        (await creator.GetAsync("/Finance/Periods")).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
    }

    private Task<List<PeriodClosed>> ClosedAsync() => App.WithScopeAsync(async sp =>
    {
        await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamAsync(PeriodStream.Id)).Select(x => x.Data).Cast<PeriodClosed>().ToList();
    });

    [Fact]
    public async Task Rebuilding_the_read_models_gives_byte_identical_statements_and_trial_balance()
    {
        var (ada, bo, first) = await StatementTests.VariedLedgerAsync(this, App);
        await App.PayeeBalancesAsync();
        var finance = await FinanceAsync();
        var year = first.Year; // the year of the first sales (the clock has moved on since)

        async Task<(byte[] Ada, byte[] Bo, byte[] Trial, byte[] Earnings)> CaptureAsync() => (
            await (await finance.GetAsync($"/Finance/Statements?handler=Csv&payee={Uri.EscapeDataString(ada)}&currency=EUR&period={year}")).Content.ReadAsByteArrayAsync(),
            await (await finance.GetAsync($"/Finance/Statements?handler=Csv&payee={Uri.EscapeDataString(bo)}&currency=EUR&period={year}")).Content.ReadAsByteArrayAsync(),
            await (await finance.GetAsync("/Finance/TrialBalance?handler=Csv")).Content.ReadAsByteArrayAsync(),
            await (await finance.GetAsync($"/Finance/Earnings?handler=Csv&by=Work&period={year}")).Content.ReadAsByteArrayAsync());

        var before = await CaptureAsync();
        Encoding.UTF8.GetString(before.Ada).Split("\r\n").Length.ShouldBeGreaterThan(5);

        await App.WithScopeAsync(async sp =>
        {
            var store = sp.GetRequiredService<IDocumentStore>();
            // The site's own (Solo) daemon keeps running projections; stop it so the rebuild is the only writer.
            var coordinator = sp.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>();
            await coordinator.PauseAsync();
            try
            {
                using var daemon = await store.BuildProjectionDaemonAsync();
                foreach (var name in LedgerStore.ProjectionNames)
                    await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(1), CancellationToken.None);
            }
            finally
            {
                await coordinator.ResumeAsync();
            }
            await store.CatchUpAsync();
            return 0;
        });

        var after = await CaptureAsync();
        after.Ada.ShouldBe(before.Ada);
        after.Bo.ShouldBe(before.Bo);
        after.Trial.ShouldBe(before.Trial);
        after.Earnings.ShouldBe(before.Earnings);
    }
}
