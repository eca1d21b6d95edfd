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
}
