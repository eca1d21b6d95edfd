using Marten;
using Marten.Services;
using Market.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Market.Web.Mediation;

/// <summary>
/// One transaction per command across EF Core and Marten. EF opens it; the ledger session is created on the
/// same connection and transaction, so a paid order's license rows and its ledger events commit together
/// or not at all. Scoped: one per request or job.
/// </summary>
public sealed class UnitOfWork(MarketDb db, IDocumentStore store) : IAsyncDisposable
{
    private IDbContextTransaction? _transaction;
    private IDocumentSession? _ledger;
    private readonly List<Action> _afterCommit = [];

    public bool InTransaction => _transaction is not null;

    /// <summary>The ledger session of the current command; only available inside one.</summary>
    public IDocumentSession Ledger =>
        _ledger ??= _transaction is null
            ? throw new InvalidOperationException("The ledger is written only inside a command's transaction.")
            : store.LightweightSession(Marten.Services.SessionOptions.ForTransaction((NpgsqlTransaction)_transaction.GetDbTransaction()));

    /// <summary>
    /// Runs <paramref name="action"/> once the current command has committed, never if it rolls back: how a
    /// command enqueues a job that must see its rows.
    /// </summary>
    public void AfterCommit(Action action)
    {
        if (_transaction is null) throw new InvalidOperationException("No command in progress.");
        _afterCommit.Add(action);
    }

    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null) throw new InvalidOperationException("A command is already in progress.");
        _transaction = await db.Database.BeginTransactionAsync(cancellationToken);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("No command in progress.");
        await db.SaveChangesAsync(cancellationToken);
        // Marten writes through the shared transaction and leaves committing to its owner, us.
        if (_ledger is not null) await _ledger.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var actions = _afterCommit.ToList();
        await EndAsync();
        foreach (var action in actions) action();
    }

    public async Task RollbackAsync()
    {
        if (_transaction is null) return;
        try { await _transaction.RollbackAsync(); }
        finally
        {
            await EndAsync();
            // Whatever the failed command had tracked must not leak into a later SaveChanges in the same scope.
            db.ChangeTracker.Clear();
        }
    }

    private async Task EndAsync()
    {
        _afterCommit.Clear();
        if (_ledger is not null) { await _ledger.DisposeAsync(); _ledger = null; }
        if (_transaction is not null) { await _transaction.DisposeAsync(); _transaction = null; }
    }

    public async ValueTask DisposeAsync() => await RollbackAsync();
}
