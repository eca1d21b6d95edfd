using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Market.Billing.Allocation;
using Market.Billing.Sales;
using Market.Billing.Tests.Allocation;

namespace Market.Billing.Tests.Sales;

/// <summary>A step of a random refund sequence: a share (per mille) of what is left, a few units, or all of it.</summary>
public sealed record RefundStep(int Kind, int Value)
{
    public long AmountOf(long refundable) => Kind switch
    {
        0 => Math.Max(1, (long)((Int128)refundable * Value / 1_000)),
        1 => Math.Min(refundable, Value),
        _ => refundable,
    };

    public override string ToString() => Kind switch { 0 => $"{Value}‰", 1 => $"{Value} units", _ => "rest" };
}

/// <summary>A sale that <see cref="SaleDecisions.Post"/> accepts, optionally with a claim route, and a sequence of partial refunds.</summary>
public sealed record RefundCase(SaleCase Sale, int Route, bool MatureFirst, IReadOnlyList<RefundStep> Refunds)
{
    public override string ToString() =>
        $"{Sale}; route {(Route switch { 0 => "none", 1 => "first item held", _ => "first item redirected" })}; " +
        $"{(MatureFirst ? "matured; " : "")}refunds [{string.Join(", ", Refunds)}]";
}

/// <summary>The same refunds over the same sale given in two orders.</summary>
public sealed record ShuffledRefundCase(ShuffledSale Sales, IReadOnlyList<RefundStep> Refunds)
{
    public override string ToString() => $"{Sales}{Environment.NewLine}refunds [{string.Join(", ", Refunds)}]";
}

/// <summary>One thing that can happen to a sale after it was posted; the interpreter skips what the ledger refuses.</summary>
public sealed record SaleOp(int Kind, int Value, int Pick)
{
    public override string ToString() => $"{Kind switch {
        0 => "refund", 1 => "open dispute", 2 => "win dispute", 3 => "lose dispute", 4 => "mature",
        5 => "hold", 6 => "release", 7 => "redirect", _ => "processor fee" }}({Value}, {Pick})";
}

public sealed record OperationsCase(SaleCase Sale, int Route, IReadOnlyList<SaleOp> Ops)
{
    public override string ToString() => $"{Sale}; route {Route}; ops [{string.Join(", ", Ops)}]";
}

public static class SaleScenarios
{
    public static readonly DateTimeOffset At = new(2024, 1, 31, 23, 30, 0, TimeSpan.Zero);
    public static readonly Guid ClaimId = Guid.Parse("c1a10000-0000-0000-0000-0000000000aa");
    public const string Owner = "owner";

    /// <summary>A work id per line key, the same every run, so the two orders of a shuffled sale name the same works.</summary>
    public static Guid WorkOf(string key) => new(MD5.HashData(Encoding.UTF8.GetBytes(key)));

    public static RecordSale ToRecordSale(SaleCase sale) =>
        new(Guid.Parse("5a1e0000-0000-0000-0000-000000000001"), Guid.Parse("5a1e0000-0000-0000-0000-000000000002"),
            Guid.Parse("5a1e0000-0000-0000-0000-000000000003"), "EUR", sale.GrossMinor, "test", "pay_1",
            sale.Lines.Select(l => new SoldItem(WorkOf(l.Key), l.ListPriceMinor, l.Holders)).ToList(),
            new FeePolicy(sale.FeeBasisPoints), At);

    public static Dictionary<Guid, WorkRoute> Routes(SaleCase sale, int route)
    {
        var first = WorkOf(sale.Lines[0].Key);
        return route switch
        {
            1 => new() { [first] = new WorkRoute.Held(ClaimId) },
            2 => new() { [first] = new WorkRoute.Redirected(ClaimId, Owner) },
            _ => [],
        };
    }

    /// <summary>Sales the ledger accepts: a positive gross over at least one item with a price.</summary>
    public static readonly Gen<SaleCase> PostableSale = SaleGenerators.Sale.Where(s => s.GrossMinor > 0);

    public static readonly Gen<RefundStep> Refund = Gen.Frequency(
        (5, Gen.Choose(1, 1_000).Select(v => new RefundStep(0, v))),
        (2, Gen.Choose(1, 10).Select(v => new RefundStep(1, v))),
        (1, Gen.Constant(new RefundStep(2, 0))));

    public static readonly Gen<IReadOnlyList<RefundStep>> Refunds =
        from count in Gen.Choose(0, 6)
        from steps in Gen.ArrayOf(Refund, count)
        select (IReadOnlyList<RefundStep>)steps;

    public static readonly Gen<RefundCase> RefundCases =
        from sale in PostableSale
        from route in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)))
        from mature in Gen.Elements(false, true)
        from refunds in Refunds
        select new RefundCase(sale, route, mature, refunds);

    public static readonly Gen<ShuffledRefundCase> ShuffledRefundCases =
        from sales in SaleGenerators.Shuffled.Where(s => s.Original.GrossMinor > 0)
        from refunds in Refunds
        select new ShuffledRefundCase(sales, refunds);

    private static readonly Gen<SaleOp> Op =
        from kind in Gen.Frequency(
            (3, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)), (1, Gen.Constant(4)),
            (2, Gen.Constant(5)), (1, Gen.Constant(6)), (1, Gen.Constant(7)), (1, Gen.Constant(8)))
        from value in Gen.Choose(1, 1_000)
        from pick in Gen.Choose(0, 7)
        select new SaleOp(kind, value, pick);

    /// <summary>
    /// Below 2^61: an open dispute's lines both take from pending and put into held, so its debits add up to about
    /// twice the disputed amount, and Journal.IsBalanced (checked sums) refuses a dispute over half of long.MaxValue
    /// with an OverflowException. Far beyond any real sale; refunds (one debit per unit) are tested up to long.MaxValue.
    /// </summary>
    public static readonly Gen<SaleCase> RealisticSale = PostableSale.Where(s => s.GrossMinor < 1L << 61);

    public static readonly Gen<OperationsCase> OperationsCases =
        from sale in RealisticSale
        from route in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)))
        from count in Gen.Choose(0, 10)
        from ops in Gen.ArrayOf(Op, count)
        select new OperationsCase(sale, route, ops);

    /// <summary>
    /// Posts the sale and applies the operations through the decisions, each on the state folded so far,
    /// leaving out what the ledger refuses (a refund during a dispute, a second dispute) or has nothing to do for.
    /// </summary>
    public static List<ISaleTransaction> Run(OperationsCase c)
    {
        var events = new List<ISaleTransaction> { SaleDecisions.Post(ToRecordSale(c.Sale), Routes(c.Sale, c.Route)) };
        var works = c.Sale.Lines.Select(l => WorkOf(l.Key)).ToList();
        var claims = new[] { ClaimId, Guid.Parse("c1a10000-0000-0000-0000-0000000000bb") };
        var n = 0;
        foreach (var op in c.Ops)
        {
            var state = SaleLedger.From(events);
            var at = At.AddDays(++n);
            var refundable = SaleDecisions.Refundable(state);
            var amount = Math.Max(1, (long)((Int128)refundable * op.Value / 1_000));
            var work = works[op.Pick % works.Count];
            var claim = claims[op.Pick % 2];
            try
            {
                ISaleTransaction? e = op.Kind switch
                {
                    0 => SaleDecisions.Refund(state, $"re_{n}", amount, "test", at),
                    1 => SaleDecisions.OpenDispute(state, $"dp_{n}", amount, at),
                    2 or 3 => state.OpenDispute is { } d ? SaleDecisions.CloseDispute(state, d.Id, op.Kind == 2, at) : null,
                    4 => SaleDecisions.Mature(state, at),
                    5 => SaleDecisions.Hold(state, work, claim, at),
                    6 => SaleDecisions.Release(state, work, claim, at),
                    7 => SaleDecisions.Redirect(state, work, claim, op.Pick % 3 == 0 ? c.Sale.Lines[0].Holders[0].PayeeId : Owner, at),
                    _ => SaleDecisions.ChargeProcessorFee(state, $"txn_{op.Pick}", op.Value, at),
                };
                if (e is not null) events.Add(e);
            }
            catch (LedgerException) { }
        }
        return events;
    }
}

public static class SaleScenarioArbitraries
{
    public static Arbitrary<RefundCase> RefundCases() => SaleScenarios.RefundCases.ToArbitrary();
    public static Arbitrary<ShuffledRefundCase> ShuffledRefundCases() => SaleScenarios.ShuffledRefundCases.ToArbitrary();
    public static Arbitrary<OperationsCase> OperationsCases() => SaleScenarios.OperationsCases.ToArbitrary();
}
