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
            await ledger.TakeWorkLockAsync(request.WorkId, ct);
            var route = await ledger.LoadAsync<RoyaltyRoute>(request.WorkId, ct);
            if (route is not null && route.ClaimId != request.ClaimId)
                throw new LedgerException("This work's royalties are already held or redirected for another claim.");
            if (route is { OwnerPayeeId: not null })
                throw new LedgerException("This claim was already upheld.");
            await ledger.TakeSharedLedgerLockAsync(ct);
            ledger.Store(route ?? new RoyaltyRoute { Id = request.WorkId, ClaimId = request.ClaimId, Since = now });
            return await AppendToSalesOfWorkAsync(ledger, store, db, request.WorkId, sale => SaleDecisions.Hold(sale, request.WorkId, request.ClaimId, now), ct);
        }
    }

    internal sealed class ReleaseHandler(UnitOfWork unitOfWork, IDocumentStore store, NpgsqlDataSource db, TimeProvider clock) : IRequestHandler<Release, int>
    {
        public async Task<int> Handle(Release request, CancellationToken ct)
        {
            var ledger = unitOfWork.Ledger;
            var found = await ledger.Query<RoyaltyRoute>().FirstOrDefaultAsync(r => r.ClaimId == request.ClaimId, ct);
            // Nothing routed for this claim: it was released before (a repeat) or never held.
            if (found is null) return 0;
            // Read again under the work's lock: a concurrent uphold or release of the claim may have changed it.
            await ledger.TakeWorkLockAsync(found.Id, ct);
            var route = await ledger.LoadAsync<RoyaltyRoute>(found.Id, ct);
            if (route is null || route.ClaimId != request.ClaimId) return 0;
            if (route.OwnerPayeeId is not null) throw new LedgerException("This claim was upheld; its royalties cannot be released.");
            ledger.Delete<RoyaltyRoute>(route.Id);

            var now = clock.GetUtcNow();
            return await AppendToSalesOfWorkAsync(ledger, store, db, route.Id, sale => SaleDecisions.Release(sale, route.Id, request.ClaimId, now), ct);
        }
    }

    internal sealed class UpholdHandler(UnitOfWork unitOfWork, IDocumentStore store, NpgsqlDataSource db, TimeProvider clock) : IRequestHandler<Uphold, int>
    {
        public async Task<int> Handle(Uphold request, CancellationToken ct)
        {
            var ledger = unitOfWork.Ledger;
            try { Market.Billing.Ledger.Accounts.EnsureValidPayeeId(request.OwnerPayeeId); }
            catch (ArgumentException e) { throw new LedgerException(e.Message); }
            await ledger.TakeWorkLockAsync(request.WorkId, ct);
            var route = await ledger.LoadAsync<RoyaltyRoute>(request.WorkId, ct);
            if (route is null || route.ClaimId != request.ClaimId)
                throw new LedgerException("This work's royalties are not held for this claim.");
            if (route.OwnerPayeeId is not null && route.OwnerPayeeId != request.OwnerPayeeId)
                throw new LedgerException("This claim was already upheld for another owner.");
            route.OwnerPayeeId = request.OwnerPayeeId;
            ledger.Store(route);

            var now = clock.GetUtcNow();
            return await AppendToSalesOfWorkAsync(ledger, store, db, request.WorkId,
                sale => SaleDecisions.Redirect(sale, request.WorkId, request.ClaimId, request.OwnerPayeeId, now), ct);
        }
    }

    /// <summary>
    /// Appends <paramref name="decide"/>'s event to every earlier sale of the work that it changes; returns how many.
    /// The caller holds the work's lock, so no sale of the work commits between the catch-up and this command's
    /// commit: a sale committed before is in the statement lines once the projections caught up, and one waiting
    /// on the lock reads the route this command writes.
    /// </summary>
    private static async Task<int> AppendToSalesOfWorkAsync(IDocumentSession ledger, IDocumentStore store, NpgsqlDataSource db, Guid workId,
        Func<SaleLedger, ISaleTransaction?> decide, CancellationToken ct)
    {
        await store.CatchUpAsync();
        var saleIds = new List<Guid>();
        await using (var command = db.CreateCommand(
            $"select distinct sale_id from {LedgerTables.Qualified(StatementLinesProjection.LinesTable)} where work_id = $1 and sale_id is not null order by sale_id"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = workId });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) saleIds.Add(reader.GetGuid(0));
        }

        var changed = 0;
        foreach (var saleId in saleIds)
        {
            var stream = await ledger.Events.FetchForWriting<SaleLedger>(saleId, ct);
            if (stream.Aggregate is null || decide(stream.Aggregate) is not { } e) continue;
            stream.AppendOne(e);
            changed++;
        }
        return changed;
    }
}
