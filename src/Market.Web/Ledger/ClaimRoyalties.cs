using Marten;
using Market.Billing.Claims;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Web.Mediation;
using MediatR;
using Npgsql;

namespace Market.Web.Ledger;

/// <summary>
/// The ledger side of a theft claim against a work: hold its royalties while the claim is open, give them back
/// when it is rejected, send them to the proven owner when it is upheld. Each command writes the work's
/// <see cref="RoyaltyRoute"/> (which every later sale of the work reads) and one event per earlier sale of the
/// work, in one transaction. Repeating a command appends nothing: the sale decisions return null for a repeat.
/// </summary>
public static class ClaimRoyalties
{
    /// <summary>Freezes the work's royalties in every sale so far and routes future ones to held. Returns how many sales changed.</summary>
    public sealed record Hold(Guid WorkId, Guid ClaimId) : ICommand<int>;

    /// <summary>The claim was rejected: the route is removed and each sale's held royalties go back to their holders.</summary>
    public sealed record Release(Guid ClaimId) : ICommand<int>;

    /// <summary>The claim was upheld: future sales pay <see cref="OwnerPayeeId"/>, and each sale's held royalties go to them.</summary>
    public sealed record Uphold(Guid WorkId, Guid ClaimId, string OwnerPayeeId) : ICommand<int>;

    internal sealed class HoldHandler(UnitOfWork unitOfWork, IDocumentStore store, NpgsqlDataSource db, TimeProvider clock) : IRequestHandler<Hold, int>
    {
        public async Task<int> Handle(Hold request, CancellationToken ct)
        {
            var ledger = unitOfWork.Ledger;
            var now = clock.GetUtcNow();
            var route = await ledger.LoadAsync<RoyaltyRoute>(request.WorkId, ct);
            if (route is not null && route.ClaimId != request.ClaimId)
                throw new LedgerException("This work's royalties are already held or redirected for another claim.");
            if (route is { OwnerPayeeId: not null })
                throw new LedgerException("This claim was already upheld.");
            await TakeSharedLedgerLockAsync(ledger, ct);
            ledger.Store(route ?? new RoyaltyRoute { Id = request.WorkId, ClaimId = request.ClaimId, Since = now });

            var changed = 0;
            foreach (var saleId in await SalesOfWorkAsync(store, db, request.WorkId, ct))
            {
                var stream = await ledger.Events.FetchForWriting<SaleLedger>(saleId, ct);
                if (stream.Aggregate is null) continue;
                if (SaleDecisions.Hold(stream.Aggregate, request.WorkId, request.ClaimId, now) is not { } e) continue;
                stream.AppendOne(e);
                changed++;
            }
            return changed;
        }
    }

    internal sealed class ReleaseHandler(UnitOfWork unitOfWork, IDocumentStore store, NpgsqlDataSource db, TimeProvider clock) : IRequestHandler<Release, int>
    {
        public async Task<int> Handle(Release request, CancellationToken ct)
        {
            var ledger = unitOfWork.Ledger;
            var route = await ledger.Query<RoyaltyRoute>().FirstOrDefaultAsync(r => r.ClaimId == request.ClaimId, ct);
            // Nothing routed for this claim: it was released before (a repeat) or never held.
            if (route is null) return 0;
            if (route.OwnerPayeeId is not null) throw new LedgerException("This claim was upheld; its royalties cannot be released.");
            ledger.Delete<RoyaltyRoute>(route.Id);

            var now = clock.GetUtcNow();
            var changed = 0;
            foreach (var saleId in await SalesOfWorkAsync(store, db, route.Id, ct))
            {
                var stream = await ledger.Events.FetchForWriting<SaleLedger>(saleId, ct);
                if (stream.Aggregate is null) continue;
                if (SaleDecisions.Release(stream.Aggregate, route.Id, request.ClaimId, now) is not { } e) continue;
                stream.AppendOne(e);
                changed++;
            }
            return changed;
        }
    }

    internal sealed class UpholdHandler(UnitOfWork unitOfWork, IDocumentStore store, NpgsqlDataSource db, TimeProvider clock) : IRequestHandler<Uphold, int>
    {
        public async Task<int> Handle(Uphold request, CancellationToken ct)
        {
            var ledger = unitOfWork.Ledger;
            try { Market.Billing.Ledger.Accounts.EnsureValidPayeeId(request.OwnerPayeeId); }
            catch (ArgumentException e) { throw new LedgerException(e.Message); }
            var route = await ledger.LoadAsync<RoyaltyRoute>(request.WorkId, ct);
            if (route is null || route.ClaimId != request.ClaimId)
                throw new LedgerException("This work's royalties are not held for this claim.");
            if (route.OwnerPayeeId is not null && route.OwnerPayeeId != request.OwnerPayeeId)
                throw new LedgerException("This claim was already upheld for another owner.");
            route.OwnerPayeeId = request.OwnerPayeeId;
            ledger.Store(route);

            var now = clock.GetUtcNow();
            var changed = 0;
            foreach (var saleId in await SalesOfWorkAsync(store, db, request.WorkId, ct))
            {
                var stream = await ledger.Events.FetchForWriting<SaleLedger>(saleId, ct);
                if (stream.Aggregate is null) continue;
                if (SaleDecisions.Redirect(stream.Aggregate, request.WorkId, request.ClaimId, request.OwnerPayeeId, now) is not { } e) continue;
                stream.AppendOne(e);
                changed++;
            }
            return changed;
        }
    }

    /// <summary>
    /// Every sale that paid royalties on the work, from the statement lines once the projections have caught up.
    /// A sale that commits after this command reads the route and posts held (or to the owner). One that commits
    /// in the moment between the catch-up and this command's commit is the gap: running the command again picks
    /// it up and changes nothing else.
    /// </summary>
    internal static async Task<IReadOnlyList<Guid>> SalesOfWorkAsync(IDocumentStore store, NpgsqlDataSource db, Guid workId, CancellationToken ct)
    {
        if (!await CatchUpIfAnyAsync(store, ct)) return [];
        await using var command = db.CreateCommand(
            $"select distinct sale_id from {LedgerTables.Qualified(StatementLinesProjection.LinesTable)} where work_id = $1 and sale_id is not null order by sale_id");
        command.Parameters.Add(new NpgsqlParameter { Value = workId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>
    /// Waits for the projections; false when the ledger has no events at all, for which Marten's wait reports a
    /// timeout at once instead of returning.
    /// </summary>
    /// <summary>
    /// Holds <see cref="Market.Billing.Ledger.LedgerLocks"/> shared for the rest of the command's transaction:
    /// taken by every command that may take money out of a payee's available balance, so a payout approval
    /// (which holds it exclusively) never pays out what such a command is moving meanwhile.
    /// </summary>
    internal static async Task TakeSharedLedgerLockAsync(IDocumentSession ledger, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Market.Billing.Ledger.LedgerLocks.SharedSql, ledger.Connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    internal static async Task<bool> CatchUpIfAnyAsync(IDocumentStore store, CancellationToken ct)
    {
        try
        {
            await store.CatchUpAsync();
            return true;
        }
        catch (TimeoutException)
        {
            await using var session = store.QuerySession();
            if (!await session.Events.QueryAllRawEvents().AnyAsync(ct)) return false;
            throw;
        }
    }
}
