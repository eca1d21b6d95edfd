using Hangfire;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Web.Jobs;
using Market.Web.Mediation;
using MediatR;
using Npgsql;

namespace Market.Web.Ledger;

/// <summary>
/// Moves a batch of sales' pending royalties to available once their holding period is over. One transaction
/// per batch; a sale already matured (a rerun, or a second node) decides nothing.
/// </summary>
public static class MatureRoyalties
{
    public sealed record Command(IReadOnlyList<Guid> SaleIds) : ICommand<int>;

    internal sealed class Handler(UnitOfWork unitOfWork, TimeProvider clock) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var matured = 0;
            foreach (var saleId in request.SaleIds)
            {
                var stream = await unitOfWork.Ledger.Events.FetchForWriting<SaleLedger>(saleId, ct);
                if (stream.Aggregate is null) continue;
                if (SaleDecisions.Mature(stream.Aggregate, now) is not { } e) continue;
                stream.AppendOne(e);
                matured++;
            }
            return matured;
        }
    }
}

/// <summary>The hourly sweep that matures royalties past the holding period (Ledger:HoldingPeriodDays).</summary>
public sealed class RoyaltyMaturityJob(NpgsqlDataSource db, IMediator mediator, LedgerSettings settings, TimeProvider clock)
{
    public const string RecurringJobId = "royalty-maturity";
    private const int BatchSize = 200;

    [Queue(JobQueues.Default)]
    [DisableConcurrentExecution(10 * 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().AddDays(-settings.HoldingPeriodDays);
        var total = 0;
        // Keyset over posting time: the index row of a sale matured a moment ago may not be projected yet, and
        // must not be read again in this run.
        var after = (At: DateTimeOffset.MinValue, Id: Guid.Empty);
        while (true)
        {
            var batch = new List<(DateTimeOffset At, Guid Id)>();
            await using (var command = db.CreateCommand($"""
                select posted_at, sale_id from {LedgerTables.Qualified(SalesIndexProjection.Table)}
                where matured_at is null and posted_at <= $1 and (posted_at, sale_id) > ($2, $3)
                order by posted_at, sale_id limit {BatchSize}
                """))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = cutoff.ToUniversalTime() });
                command.Parameters.Add(new NpgsqlParameter { Value = after.At == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : after.At.ToUniversalTime() });
                command.Parameters.Add(new NpgsqlParameter { Value = after.Id });
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) batch.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetGuid(1)));
            }
            if (batch.Count == 0) return total;
            total += await mediator.Send(new MatureRoyalties.Command(batch.Select(b => b.Id).ToList()), ct);
            after = batch[^1];
        }
    }
}
