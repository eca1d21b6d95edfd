namespace Market.Billing.Ledger;

/// <summary>
/// The one lock the ledger needs beyond optimistic stream versions. A payout reads a payee's available balance
/// from the projection and then moves it; a refund, dispute or claim hold running meanwhile could take from
/// that same balance. Commands that take money out of available balances hold the lock shared (they never
/// wait on each other); a payout approval holds it exclusively, waits for the projections to catch up and
/// only then reads. Taken with <c>pg_advisory_xact_lock</c>, so it is released at commit or rollback.
/// </summary>
public static class LedgerLocks
{
    public const long AvailableBalances = 7391005001;

    public const string SharedSql = "select pg_advisory_xact_lock_shared(7391005001)";
    public const string ExclusiveSql = "select pg_advisory_xact_lock(7391005001)";

    /// <summary>
    /// A lock per work, between a sale of the work (shared: it reads the work's royalty route) and a claim
    /// changing that route and re-routing the work's past sales (exclusive). Without it, a sale committed while
    /// a hold is being placed could read "no claim" and be missed by the hold's list of sales.
    /// </summary>
    public static long ForWork(Guid workId)
    {
        Span<byte> bytes = stackalloc byte[16];
        workId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }

    /// <summary>Takes the shared lock of every work, in a fixed order so two sales never deadlock.</summary>
    public static string SharedWorksSql(IEnumerable<Guid> workIds) =>
        "select " + string.Join(", ", workIds.Select(ForWork).Distinct().Order().Select(k => $"pg_advisory_xact_lock_shared({k})"));

    public static string ExclusiveWorkSql(Guid workId) => $"select pg_advisory_xact_lock({ForWork(workId)})";
}
