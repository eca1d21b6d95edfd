using Hangfire;
using Marten;
using Market.Billing.Ledger;
using Market.Billing.Payments;
using Market.Billing.Payouts;
using Market.Billing.Reports;
using Market.Web.Ledger;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Market.Web.Features.Payouts;

/// <summary>Configuration section "Ledger": the smallest available balance worth a transfer, per currency.</summary>
public sealed class PayoutSettings
{
    public const long DefaultThresholdMinor = 1000;

    public Dictionary<string, long> PayoutThresholdMinor { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public long ThresholdFor(string currency) => PayoutThresholdMinor.GetValueOrDefault(currency, DefaultThresholdMinor);
}

/// <summary>Reads a batch's stream and folds it, with the stream's version for an optimistic append.</summary>
public static class PayoutBatchStream
{
    public static async Task<(PayoutBatch Batch, long Version)> LoadAsync(IQuerySession session, Guid batchId, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(batchId, token: ct);
        return (PayoutBatch.From(events.Select(e => e.Data)), events.Count == 0 ? 0 : events[^1].Version);
    }
}

/// <summary>Proposes a batch for one currency; moves no money.</summary>
public static class PreparePayoutBatch
{
    public sealed record Command(string Currency, string PreparedBy) : ICommand<PreparedBatch>;

    internal sealed class Handler(UnitOfWork unitOfWork, IDocumentStore store, NpgsqlDataSource dataSource, PayoutSettings settings, TimeProvider clock)
        : IRequestHandler<Command, PreparedBatch>
    {
        public async Task<PreparedBatch> Handle(Command request, CancellationToken ct)
        {
            var currency = (request.Currency ?? "").Trim().ToUpperInvariant();
            // Balances come from the async projections: wait until they include everything posted so far.
            await store.CatchUpAsync();
            var balances = (await PayeeBalances.AllAsync(dataSource, ct)).Where(b => b.Currency == currency && b.AvailableMinor > 0).ToList();
            var ids = balances.Select(b => b.PayeeId).ToArray();
            var accounts = (await unitOfWork.Ledger.LoadManyAsync<Billing.Payouts.PayoutAccount>(ct, ids)).ToDictionary(a => a.Id);
            var taxes = (await unitOfWork.Ledger.LoadManyAsync<TaxProfile>(ct, ids)).ToDictionary(t => t.Id);
            var candidates = balances.Select(b => new PayoutCandidate(b.PayeeId, b.AvailableMinor,
                accounts.GetValueOrDefault(b.PayeeId) is { PayoutsEnabled: true } a ? new PayoutDestination(a.Provider, a.AccountId) : null,
                taxes.ContainsKey(b.PayeeId))).ToList();
            var now = clock.GetUtcNow();
            var prepared = PayoutDecisions.Prepare(Guid.CreateVersion7(now), currency, request.PreparedBy, settings.ThresholdFor(currency), candidates, now);
            unitOfWork.Ledger.Events.StartStream(prepared.Event.BatchId, prepared.Event);
            return prepared;
        }
    }
}

/// <summary>
/// The second finance user's approval: moves each amount from available to payouts in transit and starts the
/// transfers once committed.
/// </summary>
public static class ApprovePayoutBatch
{
    /// <param name="StartTransfers">False leaves running the transfers to the caller (the crash test drives the executor itself).</param>
    public sealed record Command(Guid BatchId, string ApprovedBy, bool StartTransfers = true) : ICommand<PayoutBatchApproved>;

    internal sealed class Handler(UnitOfWork unitOfWork, Data.MarketDb db,
        IBackgroundJobClient jobs, TimeProvider clock) : IRequestHandler<Command, PayoutBatchApproved>
    {
        public async Task<PayoutBatchApproved> Handle(Command request, CancellationToken ct)
        {
            // Exclusive until this transaction ends: the next approval, and every refund, dispute or hold that takes
            // from available balances (they hold it shared), waits, so the balances read next stay true until commit.
            await db.Database.ExecuteSqlRawAsync(LedgerLocks.ExclusiveSql, ct);
            var (batch, version) = await PayoutBatchStream.LoadAsync(unitOfWork.Ledger, request.BatchId, ct);
            // Exact to the last committed event (projection plus the events after its position): no waiting on the daemon.
            var available = (await PayeeBalances.ExactAsync(unitOfWork.Ledger, batch.Items.Select(i => i.PayeeId).ToList(), batch.Currency, ct))
                .ToDictionary(b => b.PayeeId, b => b.AvailableMinor);
            var approved = PayoutDecisions.Approve(batch, request.ApprovedBy, available, clock.GetUtcNow());
            // Expected version after the append: a concurrent cancel or approval of this batch makes the commit fail.
            unitOfWork.Ledger.Events.Append(batch.Id, version + 1, approved);
            if (request.StartTransfers)
                unitOfWork.AfterCommit(() => jobs.Enqueue<ExecutePayoutBatchJob>(j => j.RunAsync(batch.Id, CancellationToken.None)));
            return approved;
        }
    }
}

public static class CancelPayoutBatch
{
    public sealed record Command(Guid BatchId, string CancelledBy, string? Reason) : ICommand<PayoutBatchCancelled>;

    internal sealed class Handler(UnitOfWork unitOfWork, TimeProvider clock) : IRequestHandler<Command, PayoutBatchCancelled>
    {
        public async Task<PayoutBatchCancelled> Handle(Command request, CancellationToken ct)
        {
            var (batch, version) = await PayoutBatchStream.LoadAsync(unitOfWork.Ledger, request.BatchId, ct);
            var cancelled = PayoutDecisions.Cancel(batch, request.CancelledBy, request.Reason, clock.GetUtcNow());
            unitOfWork.Ledger.Events.Append(batch.Id, version + 1, cancelled);
            return cancelled;
        }
    }
}

/// <summary>Puts one transfer's result on the ledger and tells the payee. A result already recorded appends nothing.</summary>
public static class RecordPayoutResult
{
    public sealed record Command(Guid BatchId, string PayeeId, TransferResult Result) : ICommand<bool>;

    internal sealed class Handler(UnitOfWork unitOfWork, Notifier notifier, TimeProvider clock) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command request, CancellationToken ct)
        {
            var (batch, version) = await PayoutBatchStream.LoadAsync(unitOfWork.Ledger, request.BatchId, ct);
            if (PayoutDecisions.Settle(batch, request.PayeeId, request.Result, clock.GetUtcNow()) is not { } settled) return false;
            unitOfWork.Ledger.Events.Append(batch.Id, version + 1, settled);
            var amount = Domain.Money.Currencies.Format(batch.Item(request.PayeeId)!.AmountMinor, batch.Currency);
            if (settled is PayoutTransferPaid)
                await notifier.NotifyAsync(request.PayeeId, NotificationKind.PayoutSent, $"Payout of {amount} sent",
                    $"We sent {amount} to your payout account.", "/PayoutAccount", ct);
            else
                await notifier.NotifyAsync(request.PayeeId, NotificationKind.PayoutFailed, $"Payout of {amount} failed",
                    $"Your payout of {amount} could not be sent ({request.Result.FailureReason}). The money is back in your available balance; check your payout account.",
                    "/PayoutAccount", ct);
            return true;
        }
    }
}

/// <summary>
/// Runs an approved batch's transfers. Each item without a result is sent with a key fixed by batch and payee,
/// then its result is committed on its own; after a crash between the two, the rerun asks the provider again
/// with the same key, gets the same transfer back, and records it once.
/// </summary>
public sealed class ExecutePayoutBatchJob(IMediator mediator, IDocumentStore store, IPayoutGateway gateway)
{
    [DisableConcurrentExecution(10 * 60)]
    [AutomaticRetry(Attempts = 5)]
    public async Task<int> RunAsync(Guid batchId, CancellationToken ct)
    {
        PayoutBatch batch;
        await using (var session = store.QuerySession())
            (batch, _) = await PayoutBatchStream.LoadAsync(session, batchId, ct);
        var recorded = 0;
        foreach (var item in PayoutDecisions.Outstanding(batch))
        {
            var result = item.Provider != gateway.Provider
                ? TransferResult.Failed($"The payout account is at provider '{item.Provider}', which this site does not pay through now.")
                : await gateway.TransferAsync(new TransferRequest(PayoutDecisions.IdempotencyKey(batchId, item.PayeeId), item.DestinationAccount,
                    batch.Currency, item.AmountMinor, PayoutDecisions.TransferGroup(batchId), $"Marketplace royalties, payout {batchId:N}"), ct);
            if (await mediator.Send(new RecordPayoutResult.Command(batchId, item.PayeeId, result), ct)) recorded++;
        }
        return recorded;
    }
}

public static class PayoutsSetup
{
    public static WebApplicationBuilder AddPayouts(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Ledger").Get<PayoutSettings>() ?? new PayoutSettings();
        if (settings.PayoutThresholdMinor.Values.Any(v => v <= 0)) throw new InvalidOperationException("Ledger:PayoutThresholdMinor values must be positive.");
        builder.Services.AddSingleton(settings);
        // Payouts go through the provider buyers pay through (Payments:Provider): test locally, Stripe Connect in production.
        if (builder.Configuration["Payments:Provider"] == PaymentProviders.Stripe)
        {
            builder.Services.AddSingleton(sp => StripePayoutGateway.Create(sp.GetRequiredService<StripeSettings>(),
                sp.GetRequiredService<IHttpClientFactory>().CreateClient("stripe")));
            builder.Services.AddSingleton<IPayoutGateway>(sp => sp.GetRequiredService<StripePayoutGateway>());
            builder.Services.AddSingleton<IPayoutOnboarding>(sp => sp.GetRequiredService<StripePayoutGateway>());
        }
        else
        {
            builder.Services.AddSingleton<TestPayoutGateway>();
            builder.Services.AddSingleton<IPayoutGateway>(sp => sp.GetRequiredService<TestPayoutGateway>());
            builder.Services.AddSingleton<IPayoutOnboarding>(sp => sp.GetRequiredService<TestPayoutGateway>());
        }
        builder.Services.AddScoped<ExecutePayoutBatchJob>();
        return builder;
    }
}
