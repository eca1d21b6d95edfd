using FsCheck;
using FsCheck.Fluent;
using Market.Billing.Allocation;

namespace Market.Billing.Tests.Allocation;

/// <summary>An input to <see cref="Allocator.Allocate"/> that the allocator must accept.</summary>
public sealed record SaleCase(long GrossMinor, IReadOnlyList<SaleLine> Lines, int FeeBasisPoints)
{
    public override string ToString() =>
        $"gross {GrossMinor}, fee {FeeBasisPoints} bps, lines [" +
        string.Join("; ", Lines.Select(l =>
            $"{l.Key} @ {l.ListPriceMinor}: {string.Join(", ", l.Holders.Select(h => $"{h.PayeeId} {h.BasisPoints}"))}")) + "]";
}

/// <summary>The same sale twice, the second with its lines and each line's holders in another order.</summary>
public sealed record ShuffledSale(SaleCase Original, SaleCase Shuffled)
{
    public override string ToString() => $"original: {Original}{Environment.NewLine}shuffled: {Shuffled}";
}

/// <summary>An input to <see cref="Allocator.LargestRemainder"/> that it must accept.</summary>
public sealed record WeightsCase(long Total, IReadOnlyList<(string Key, long Weight)> Weights)
{
    public override string ToString() =>
        $"total {Total} over [{string.Join(", ", Weights.Select(w => $"{w.Key}: {w.Weight}"))}]";
}

public static class SaleGenerators
{
    // Mixed case and non-ASCII keys, and "item-10" before "item-2", so ordinal tie-breaking is exercised.
    private static readonly string[] KeyPool = ["a", "b", "c", "A", "B", "item-1", "item-10", "item-2", "é", "z"];
    private static readonly string[] PayeePool = ["p1", "p2", "P1", "alice", "bob", "carol", "Bob"];

    /// <summary>Up to about 2^62: big enough that a product of two of them overflows a long.</summary>
    private static readonly Gen<long> HugeLong =
        from hi in Gen.Choose(0, int.MaxValue)
        from lo in Gen.Choose(0, int.MaxValue)
        select ((long)hi << 31) | (uint)lo;

    private static readonly Gen<long> Gross = Gen.Frequency(
        (3, Gen.Choose(0, 100).Select(x => (long)x)),
        (3, Gen.Choose(0, 1_000_000).Select(x => (long)x)),
        (2, HugeLong),
        (1, Gen.Elements(1L, long.MaxValue - 1, long.MaxValue)));

    private static readonly Gen<long> ListPrice = Gen.Frequency(
        (1, Gen.Constant(0L)),
        (5, Gen.Choose(1, 10_000).Select(x => (long)x)),
        (2, Gen.Choose(1, int.MaxValue).Select(x => (long)x)),
        (1, HugeLong));

    private static readonly Gen<int> FeeBasisPoints = Gen.Frequency(
        (2, Gen.Elements(0, 1, 2000, 5000, 9999, Allocator.FullShare)),
        (3, Gen.Choose(0, Allocator.FullShare)));

    /// <summary>1–4 distinct payees whose positive splits sum to 10000 basis points.</summary>
    public static readonly Gen<IReadOnlyList<RightsShare>> Holders =
        from count in Gen.Choose(1, 4)
        from payees in Gen.Shuffle(PayeePool)
        from piles in Gen.Piles(count, Allocator.FullShare - count)
        select (IReadOnlyList<RightsShare>)payees.Take(count).Zip(piles, (payee, pile) => new RightsShare(payee, pile + 1)).ToList();

    private static Gen<SaleLine> Line(string key) =>
        from price in ListPrice
        from holders in Holders
        select new SaleLine(key, price, holders);

    /// <summary>1–8 lines with distinct keys.</summary>
    public static readonly Gen<SaleCase> Sale =
        from count in Gen.Choose(1, 8)
        from keys in Gen.Shuffle(KeyPool)
        from lines in Gen.CollectToArray(keys.Take(count), Line)
        from gross in Gross
        from fee in FeeBasisPoints
        // Free items only: the one amount that can be spread over them is zero.
        select new SaleCase(lines.All(l => l.ListPriceMinor == 0) ? 0 : gross, lines, fee);

    public static readonly Gen<ShuffledSale> Shuffled =
        from sale in Sale
        from lines in Gen.Shuffle(sale.Lines.ToArray())
        from reordered in Gen.CollectToArray(lines, l =>
            Gen.Shuffle(l.Holders.ToArray()).Select(h => l with { Holders = h }))
        select new ShuffledSale(sale, sale with { Lines = reordered });

    private static readonly Gen<long> Weight = Gen.Frequency(
        (2, Gen.Constant(0L)),
        (5, Gen.Choose(1, 10_000).Select(x => (long)x)),
        (2, HugeLong),
        (1, Gen.Constant(long.MaxValue)));

    public static readonly Gen<WeightsCase> Weights =
        from count in Gen.Choose(1, 8)
        from keys in Gen.Shuffle(KeyPool)
        from weights in Gen.CollectToArray(keys.Take(count), k => Weight.Select(w => (k, w)))
        from total in Gross
        select new WeightsCase(weights.All(w => w.w == 0) ? 0 : total, weights.Select(w => (w.k, w.w)).ToList());
}

/// <summary>Registered with <c>[Property(Arbitrary = ...)]</c>; FsCheck finds the static methods by return type.</summary>
public static class SaleArbitraries
{
    public static Arbitrary<SaleCase> Sales() => SaleGenerators.Sale.ToArbitrary();

    public static Arbitrary<ShuffledSale> ShuffledSales() => SaleGenerators.Shuffled.ToArbitrary();

    public static Arbitrary<WeightsCase> WeightsCases() => SaleGenerators.Weights.ToArbitrary();
}
