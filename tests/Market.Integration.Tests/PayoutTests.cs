using System.Net;
using Marten;
using Market.Billing.Ledger;
using Market.Billing.Payments;
using Market.Billing.Payouts;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Features.Payouts;
using Market.Web.Identity;
using Market.Web.Ledger;
using MediatR;
using EF = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Market.Integration.Tests;

/// <summary>Payout batches end to end on real PostgreSQL: prepare, four-eyes approval, the transfer job, failures and a crash mid-run.</summary>
public sealed class PayoutTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task A_batch_prepared_by_one_finance_user_and_approved_by_another_pays_the_creator_once()
    {
        var (payees, _) = await SellAndMatureAsync(1, connectThroughPage: true);
        var (alice, bob) = await FinanceAsync();

        var batchId = await PrepareAsync(alice);
        var own = await alice.SubmitAsync($"/Payouts/Details/{batchId}", new Dictionary<string, string>(), handler: "Approve");
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await WebSession.ParseAsync(own)).Errors().ShouldContain("another finance user");
        (await BatchAsync(batchId)).Status.ShouldBe(PayoutBatchStatus.Prepared);
        (await AvailableAsync(payees[0])).ShouldBeGreaterThan(0, "a refused approval moves nothing");

        var approve = await bob.SubmitAsync($"/Payouts/Details/{batchId}", new Dictionary<string, string>(), handler: "Approve");
        approve.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await Wait.UntilAsync(async () => (await BatchAsync(batchId)).Status == PayoutBatchStatus.Completed, "the payout job has paid the batch");

        var batch = await BatchAsync(batchId);
        batch.Items.Single().Paid.ShouldBe(true);
        (await AvailableAsync(payees[0])).ShouldBe(0);
        (await AccountAsync(Accounts.PayoutsInTransit)).ShouldBe(0);
        (await TransfersAsync()).Count.ShouldBe(1);
        (await Db(db => EF.CountAsync(db.Notifications, n => n.UserId == payees[0] && n.Kind == Web.Notifications.NotificationKind.PayoutSent))).ShouldBe(1);

        var csv = await (await bob.GetAsync($"/Payouts/Details/{batchId}?handler=Csv")).Content.ReadAsStringAsync();
        csv.ShouldStartWith("batch_id,currency,payee_id");
        csv.ShouldContain(",paid,");
        // Someone without the finance role sees nothing.
        var creator = await this.SignInAsync("c0@example.test");
        (await creator.GetAsync($"/Payouts/Details/{batchId}")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_failed_transfer_returns_the_money_to_the_payees_available_balance()
    {
        var (payees, _) = await SellAndMatureAsync(1, destination: TestPayoutGateway.FailingPrefix + "x");
        var before = await AvailableAsync(payees[0]);
        var (alice, bob) = await FinanceAsync();
        var batchId = await PrepareAsync(alice);
        (await bob.SubmitAsync($"/Payouts/Details/{batchId}", new Dictionary<string, string>(), handler: "Approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await Wait.UntilAsync(async () => (await BatchAsync(batchId)).Status == PayoutBatchStatus.Completed, "the payout job has settled the batch");

        (await BatchAsync(batchId)).Items.Single().Paid.ShouldBe(false);
        (await AvailableAsync(payees[0])).ShouldBe(before);
        (await AccountAsync(Accounts.PayoutsInTransit)).ShouldBe(0);
        (await Db(db => EF.CountAsync(db.Notifications, n => n.UserId == payees[0] && n.Kind == Web.Notifications.NotificationKind.PayoutFailed))).ShouldBe(1);
    }

    [Fact]
    public async Task A_run_killed_after_the_provider_accepted_a_transfer_is_finished_by_the_next_run_paying_everyone_exactly_once()
    {
        var (payees, _) = await SellAndMatureAsync(3);
        var batchId = Guid.Empty;
        await App.WithScopeAsync(async sp =>
        {
            var mediator = sp.GetRequiredService<IMediator>();
            batchId = (await mediator.Send(new PreparePayoutBatch.Command("EUR", "finance-a"))).Event.BatchId;
            return 0;
        });
        await App.WithScopeAsync(async sp =>
            await sp.GetRequiredService<IMediator>().Send(new ApprovePayoutBatch.Command(batchId, "finance-b", StartTransfers: false)));

        var crash = new CrashAfter(App.Services.GetRequiredService<IPayoutGateway>(), crashOnCall: 2);
        await Should.ThrowAsync<SimulatedCrash>(() => App.WithScopeAsync(sp =>
            new ExecutePayoutBatchJob(sp.GetRequiredService<IMediator>(), sp.GetRequiredService<IDocumentStore>(), crash).RunAsync(batchId, CancellationToken.None)));
        var halfway = await BatchAsync(batchId);
        halfway.Items.Count(i => i.HasResult).ShouldBe(1, "the second transfer was accepted but not recorded");
        (await TransfersAsync()).Count.ShouldBe(2);

        var recorded = await App.WithScopeAsync(sp => sp.GetRequiredService<ExecutePayoutBatchJob>().RunAsync(batchId, CancellationToken.None));
        recorded.ShouldBe(2);
        (await App.WithScopeAsync(sp => sp.GetRequiredService<ExecutePayoutBatchJob>().RunAsync(batchId, CancellationToken.None))).ShouldBe(0);

        var batch = await BatchAsync(batchId);
        batch.Status.ShouldBe(PayoutBatchStatus.Completed);
        batch.Items.ShouldAllBe(i => i.Paid == true);
        var transfers = await TransfersAsync();
        transfers.Select(t => t.Id).OrderBy(k => k).ShouldBe(payees.Select(p => PayoutDecisions.IdempotencyKey(batchId, p)).OrderBy(k => k));
        batch.Items.Select(i => i.TransferId).ShouldBe(batch.Items.Select(i => transfers.Single(t => t.Id == PayoutDecisions.IdempotencyKey(batchId, i.PayeeId)).TransferId));
        foreach (var p in payees) (await AvailableAsync(p)).ShouldBe(0);
        (await AccountAsync(Accounts.PayoutsInTransit)).ShouldBe(0);
        (await TrialBalanceAsync()).ShouldBe(0, "debits equal credits over the whole ledger");
    }

    [Fact]
    public async Task Approval_is_refused_when_a_payee_no_longer_has_the_amount_available()
    {
        var (payees, _) = await SellAndMatureAsync(1);
        Guid first = Guid.Empty, second = Guid.Empty;
        await App.WithScopeAsync(async sp =>
        {
            first = (await sp.GetRequiredService<IMediator>().Send(new PreparePayoutBatch.Command("EUR", "finance-a"))).Event.BatchId;
            return 0;
        });
        await App.WithScopeAsync(async sp =>
        {
            second = (await sp.GetRequiredService<IMediator>().Send(new PreparePayoutBatch.Command("EUR", "finance-a"))).Event.BatchId;
            return 0;
        });
        await App.WithScopeAsync(sp => sp.GetRequiredService<IMediator>().Send(new ApprovePayoutBatch.Command(first, "finance-b", StartTransfers: false)));
        var refused = await Should.ThrowAsync<Billing.Sales.LedgerException>(() =>
            App.WithScopeAsync(sp => sp.GetRequiredService<IMediator>().Send(new ApprovePayoutBatch.Command(second, "finance-b", StartTransfers: false))));
        refused.Message.ShouldContain(payees[0]);
        (await BatchAsync(second)).Status.ShouldBe(PayoutBatchStatus.Prepared);
        (await AccountAsync(Accounts.PayoutsInTransit)).ShouldBe((await BatchAsync(first)).TotalMinor);
    }

    // --- steps ---

    private async Task<(WebSession Alice, WebSession Bob)> FinanceAsync()
    {
        var aliceKey = await App.CreateStaffAsync("alice@finance.test", Roles.Finance);
        var bobKey = await App.CreateStaffAsync("bob@finance.test", Roles.Finance);
        return (await this.SignInAsync("alice@finance.test", aliceKey), await this.SignInAsync("bob@finance.test", bobKey));
    }

    private static async Task<Guid> PrepareAsync(WebSession finance)
    {
        var response = await finance.SubmitAsync("/Payouts", new Dictionary<string, string> { ["Currency"] = "EUR" }, handler: "Prepare");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/')[^1].Split('?')[0]);
    }

    /// <summary>Creators sell one work each to one buyer; the holding period passes; each has a connected account and tax info.</summary>
    private async Task<(List<string> Payees, Guid OrderId)> SellAndMatureAsync(int creators, bool connectThroughPage = false, string? destination = null)
    {
        var buyer = await this.SignUpBuyerAsync("b@lab.test");
        var payees = new List<string>();
        for (var i = 0; i < creators; i++)
        {
            var email = $"c{i}@example.test";
            var creator = await this.SignUpCreatorAsync(email);
            var work = await creator.ListAsync(App, $"Work {i}", image: CreatorSteps.Jpeg(i));
            await buyer.AddToBundleAsync(work);
            var userId = await Db(db => EF.SingleAsync(db.Users.Where(u => u.Email == email).Select(u => u.Id)));
            payees.Add(userId);
            if (connectThroughPage)
            {
                (await creator.SubmitAsync("/PayoutAccount", new Dictionary<string, string>(), handler: "Connect")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
                var bad = await creator.SubmitAsync("/PayoutAccount", new Dictionary<string, string> { ["LegalName"] = "Ann", ["Country"] = "US", ["TaxId"] = "123-45-6789", ["Form"] = "W9" }, handler: "Tax");
                (await WebSession.ParseAsync(bad)).Errors().ShouldContain("Certify");
                (await creator.SubmitAsync("/PayoutAccount", new Dictionary<string, string>
                {
                    ["LegalName"] = "Ann", ["Country"] = "US", ["TaxId"] = "123-45-6789", ["Form"] = "W9", ["Certified"] = "true",
                }, handler: "Tax")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
                var page = await creator.PageAsync("/PayoutAccount");
                page.Text("[data-testid=tax]").ShouldContain("6789");
                page.Body!.InnerHtml.ShouldNotContain("123-45");
            }
            else
            {
                await App.WithScopeAsync(async sp =>
                {
                    await using var session = sp.GetRequiredService<IDocumentStore>().LightweightSession();
                    session.Store(new Billing.Payouts.PayoutAccount { Id = userId, Provider = PaymentProviders.Test, AccountId = destination ?? $"test_acct_{i}", PayoutsEnabled = true });
                    session.Store(TaxProfile.Certify(userId, "Ann", "DE", "DE123456789", TaxForm.W8Ben, true, Now()));
                    await session.SaveChangesAsync();
                    return 0;
                });
            }
        }
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        await buyer.PayWithTestProviderAsync(paymentPage);
        var orderId = Guid.Parse(paymentPage.Split('/')[^1]);
        App.Clock.Advance(TimeSpan.FromDays(31));
        await App.WithScopeAsync(sp => sp.GetRequiredService<IMediator>().Send(new MatureRoyalties.Command([orderId])));
        foreach (var p in payees) (await AvailableAsync(p)).ShouldBeGreaterThanOrEqualTo(1000);
        return (payees, orderId);
    }

    private Task<PayoutBatch> BatchAsync(Guid id) => App.WithScopeAsync(async sp =>
    {
        await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
        return (await PayoutBatchStream.LoadAsync(session, id, CancellationToken.None)).Batch;
    });

    private Task<List<TestPayoutTransfer>> TransfersAsync() => App.WithScopeAsync(async sp =>
    {
        await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<TestPayoutTransfer>().ToListAsync()).ToList();
    });

    private async Task<long> AvailableAsync(string payee) =>
        (await App.PayeeBalancesAsync()).Where(b => b.PayeeId == payee && b.Currency == "EUR").Sum(b => b.AvailableMinor);

    /// <summary>Credit minus debit of one account over the events (sales only: just SalePosted), read from the event store itself.</summary>
    private Task<long> AccountAsync(string account, bool salesOnly = false) => App.WithScopeAsync(async sp =>
    {
        await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        return events.Select(e => e.Data).OfType<ILedgerTransaction>().Where(t => !salesOnly || t is Billing.Sales.SalePosted)
            .SelectMany(t => t.Lines).Where(l => l.Account == account).Sum(l => l.CreditBalance);
    });

    private Task<long> TrialBalanceAsync() => App.WithScopeAsync(async sp =>
    {
        await using var session = sp.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        return events.Select(e => e.Data).OfType<ILedgerTransaction>().SelectMany(t => t.Lines).Sum(l => l.CreditBalance);
    });

    private sealed class SimulatedCrash : Exception;

    /// <summary>Passes transfers to the real gateway, then dies on the given call after the provider accepted it: a kill before the result is recorded.</summary>
    private sealed class CrashAfter(IPayoutGateway inner, int crashOnCall) : IPayoutGateway
    {
        private int _calls;
        public string Provider => inner.Provider;

        public async Task<TransferResult> TransferAsync(TransferRequest request, CancellationToken cancellationToken)
        {
            var result = await inner.TransferAsync(request, cancellationToken);
            if (++_calls == crashOnCall) throw new SimulatedCrash();
            return result;
        }
    }
}
