using Market.Billing.Ledger;
using Market.Billing.Sales;

namespace Market.Billing.Tests.Sales;

/// <summary>
/// Replays a sale's events the way Marten does (<see cref="SaleLedger.From"/>) and checks the two views of the
/// money against each other: every transaction is balanced, and the journal lines summed per account and item
/// say exactly what the folded state says. A decision that moves money without telling the state (or the
/// reverse) fails here, whatever the test that produced the events meant to check.
/// </summary>
public static class Books
{
    // Events that only move money inside a sale may have nothing to move (all refunded, nothing pending) and then
    // carry no lines at all; every other transaction always moves money.
    private static bool MayBeEmpty(ISaleTransaction e) =>
        e is RoyaltiesMatured or SaleRoyaltiesHeld or SaleRoyaltiesReleased or SaleRoyaltiesRedirected;

    public static void ShouldBeBalanced(ILedgerTransaction e)
    {
        if (e is ISaleTransaction s && MayBeEmpty(s) && e.Lines.Count == 0) return;
        Journal.IsBalanced(e.Lines).ShouldBeTrue($"{e.GetType().Name} is not balanced: {Describe(e.Lines)}");
    }

    public static string Describe(IEnumerable<JournalLine> lines) =>
        string.Join("; ", lines.Select(l => $"{l.Account}[{l.WorkId?.ToString("N")[..6]}] D{l.DebitMinor} C{l.CreditMinor}"));

    /// <summary>Credit balance per (account, item) over all lines of all events, zeros left out.</summary>
    public static Dictionary<(string Account, Guid? WorkId), long> JournalBalances(IEnumerable<ILedgerTransaction> events)
    {
        var sums = new Dictionary<(string, Guid?), long>();
        foreach (var line in events.SelectMany(e => e.Lines))
            sums[(line.Account, line.WorkId)] = sums.GetValueOrDefault((line.Account, line.WorkId)) + line.CreditBalance;
        return sums.Where(x => x.Value != 0).ToDictionary(x => x.Key, x => x.Value);
    }

    /// <summary>The same balances as the folded state (and the events' own totals) say they must be.</summary>
    public static Dictionary<(string Account, Guid? WorkId), long> StateBalances(SaleLedger sale, IReadOnlyList<ISaleTransaction> events)
    {
        var sums = new Dictionary<(string, Guid?), long>();
        void Add(string account, Guid? workId, long credit) => sums[(account, workId)] = sums.GetValueOrDefault((account, workId)) + credit;

        foreach (var (workId, fee) in sale.Fees) Add(Accounts.PlatformRevenue, workId, fee);
        foreach (var part in sale.Royalties.Values)
        {
            Add(Accounts.PayeePending(part.PayeeId), part.WorkId, part.Pending);
            Add(Accounts.PayeeAvailable(part.PayeeId), part.WorkId, part.Available);
            Add(Accounts.PayeeHeld(part.PayeeId), part.WorkId, part.ClaimHeld + part.DisputeHeld);
        }
        var openDisputes = sale.Disputes.Values.Where(d => d.Open).Sum(d => d.AmountMinor);
        var processorFees = events.OfType<ProcessorFeeCharged>().Sum(f => f.AmountMinor);
        // Clearing holds what the buyer paid less what went back (refunds), what the card network took (disputes
        // open or lost) and the provider's fees.
        Add(Accounts.PaymentClearing, null, -(sale.GrossMinor - sale.RefundedMinor - openDisputes - sale.LostToDisputesMinor - processorFees));
        Add(Accounts.DisputedFunds, null, -openDisputes);
        Add(Accounts.ProcessorFees, null, -processorFees);
        return sums.Where(x => x.Value != 0).ToDictionary(x => x.Key, x => x.Value);
    }

    public static void ShouldAgreeWithJournal(SaleLedger sale, IReadOnlyList<ISaleTransaction> events)
    {
        static string Show(Dictionary<(string Account, Guid? WorkId), long> d) =>
            string.Join(Environment.NewLine, d.OrderBy(x => x.Key.Account, StringComparer.Ordinal).ThenBy(x => x.Key.WorkId)
                .Select(x => $"{x.Key.Account} {x.Key.WorkId:N}: {x.Value}"));
        Show(JournalBalances(events)).ShouldBe(Show(StateBalances(sale, events)), "journal lines vs folded sale state");
    }

    /// <summary>Checks every event is balanced, folds them, and checks the fold against the journal.</summary>
    public static SaleLedger Replay(IReadOnlyList<ISaleTransaction> events)
    {
        foreach (var e in events) ShouldBeBalanced(e);
        foreach (var line in events.SelectMany(e => e.Lines))
            if (line.Account == Accounts.PlatformRevenue || line.Account.StartsWith(Accounts.PayeePrefix, StringComparison.Ordinal))
                line.WorkId.ShouldNotBeNull($"{line.Account} line without the item it belongs to");
        var sale = SaleLedger.From(events);
        ShouldAgreeWithJournal(sale, events);
        foreach (var part in sale.Royalties.Values)
        {
            part.Pending.ShouldBeGreaterThanOrEqualTo(0, $"pending of {part.PayeeId}");
            part.Available.ShouldBeGreaterThanOrEqualTo(0, $"available of {part.PayeeId}");
            part.ClaimHeld.ShouldBeGreaterThanOrEqualTo(0, $"claim-held of {part.PayeeId}");
            part.DisputeHeld.ShouldBeGreaterThanOrEqualTo(0, $"dispute-held of {part.PayeeId}");
        }
        foreach (var (work, fee) in sale.Fees) fee.ShouldBeGreaterThanOrEqualTo(0, $"fee of {work}");
        return sale;
    }

    /// <summary>A sale's events as they accumulate, replayed and checked after each append.</summary>
    public sealed class Stream
    {
        private readonly List<ISaleTransaction> _events = [];
        public IReadOnlyList<ISaleTransaction> Events => _events;
        public SaleLedger State { get; private set; } = new();

        public Stream(params ISaleTransaction[] events)
        {
            _events.AddRange(events);
            State = Replay(_events);
        }

        /// <summary>Appends a decision's event (which must not be null) and returns it.</summary>
        public T Append<T>(T? e) where T : class, ISaleTransaction
        {
            e.ShouldNotBeNull("the decision returned nothing to append");
            _events.Add(e);
            State = Replay(_events);
            return e;
        }
    }
}
