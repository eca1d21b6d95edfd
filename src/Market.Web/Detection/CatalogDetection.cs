using Market.Domain.Moderation;
using Market.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Detection;

/// <summary>
/// The detection catalog a worker process matches uploads against: every stored fingerprint (works and
/// protected-registry entries), loaded once and then caught up before each query by reading the rows added since.
/// Rows are never removed, so the catalog may hold works that have since been rejected or entries since removed;
/// callers decide whether a match still counts against the database (see ScanWorkJob.FindNearMatchesAsync).
/// One query runs at a time per process: detection jobs are few and each is dominated by its own decode.
/// </summary>
public sealed class CatalogDetection
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DetectionCatalog _catalog = new();
    private long _lastId;

    public async Task<IReadOnlyList<DetectionMatch>> FindAllAsync(MarketDb db, ImageFingerprint query, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpAsync(db, ct);
            return _catalog.FindAll(query);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets everything loaded (a wiped database: tests, or an operator restoring a backup).</summary>
    public void Reset()
    {
        _gate.Wait();
        try { (_catalog, _lastId) = (new DetectionCatalog(), 0); }
        finally { _gate.Release(); }
    }

    private async Task CatchUpAsync(MarketDb db, CancellationToken ct)
    {
        // A database whose rows end below what we have read was wiped or restored: start over.
        var last = await db.Fingerprints.MaxAsync(f => (long?)f.Id, ct) ?? 0;
        if (last < _lastId) (_catalog, _lastId) = (new DetectionCatalog(), 0);
        while (_lastId < last)
        {
            var rows = await db.Fingerprints.AsNoTracking().Where(f => f.Id > _lastId).OrderBy(f => f.Id).Take(500)
                .Select(f => new { f.Id, f.Kind, f.TargetId, f.Data }).ToListAsync(ct);
            if (rows.Count == 0) break;
            foreach (var row in rows)
            {
                _catalog.Add(StoredFingerprint.Key(row.Kind, row.TargetId), FingerprintCodec.Decode(row.Data));
                _lastId = row.Id;
            }
        }
    }
}
