using FsCheck.Xunit;
using Market.Billing.Allocation;

namespace Market.Billing.Tests.Allocation;

public sealed class AllocatorProperties
{
    private static Int128 Sum(IEnumerable<long> values) => values.Aggregate(Int128.Zero, (sum, v) => sum + v);

    /// <summary>|part − total × weight / weightSum| &lt; 1, compared in integers: |part × weightSum − total × weight| &lt; weightSum.</summary>
    private static void ShouldBeWithinOneUnitOfExactShare(long part, long total, long weight, Int128 weightSum, string what)
    {
        var error = (Int128)part * weightSum - (Int128)total * weight;
        Int128.Abs(error).ShouldBeLessThan(weightSum, $"{what}: {part} is not within one unit of {total} × {weight} / {weightSum}");
    }

    [Property(MaxTest = 10_000, Arbitrary = new[] { typeof(SaleArbitraries) })]
    public void Parts_sum_to_the_whole_at_every_stage(SaleCase sale)
    {
        var allocation = Allocator.Allocate(sale.GrossMinor, sale.Lines, sale.FeeBasisPoints);

        allocation.GrossMinor.ShouldBe(sale.GrossMinor);
        allocation.Lines.Select(l => l.Key).ShouldBe(sale.Lines.Select(l => l.Key));
        Sum(allocation.Lines.Select(l => l.AmountMinor)).ShouldBe(sale.GrossMinor);
        Sum(allocation.Lines.Select(l => l.PlatformFeeMinor)).ShouldBe(allocation.PlatformFeeMinor);
        foreach (var (line, input) in allocation.Lines.Zip(sale.Lines))
        {
            line.AmountMinor.ShouldBeGreaterThanOrEqualTo(0);
            line.PlatformFeeMinor.ShouldBeGreaterThanOrEqualTo(0);
            foreach (var royalty in line.Royalties) royalty.AmountMinor.ShouldBeGreaterThanOrEqualTo(0, royalty.PayeeId);
            line.Royalties.Select(r => r.PayeeId).ShouldBe(input.Holders.Select(h => h.PayeeId));
            (line.PlatformFeeMinor + Sum(line.Royalties.Select(r => r.AmountMinor))).ShouldBe(line.AmountMinor, $"line {line.Key}");
        }
    }

    [Property(MaxTest = 10_000, Arbitrary = new[] { typeof(SaleArbitraries) })]
    public void Every_part_is_within_one_minor_unit_of_its_exact_pro_rata_share(SaleCase sale)
    {
        var allocation = Allocator.Allocate(sale.GrossMinor, sale.Lines, sale.FeeBasisPoints);

        var listTotal = Sum(sale.Lines.Select(l => l.ListPriceMinor));
        foreach (var (line, input) in allocation.Lines.Zip(sale.Lines))
        {
            if (listTotal > 0)
                ShouldBeWithinOneUnitOfExactShare(line.AmountMinor, sale.GrossMinor, input.ListPriceMinor, listTotal, $"line {line.Key}");
            ShouldBeWithinOneUnitOfExactShare(line.PlatformFeeMinor, line.AmountMinor, sale.FeeBasisPoints, Allocator.FullShare, $"fee of {line.Key}");
            var toHolders = line.AmountMinor - line.PlatformFeeMinor;
            foreach (var holder in input.Holders)
                ShouldBeWithinOneUnitOfExactShare(line.Royalties.Single(r => r.PayeeId == holder.PayeeId).AmountMinor,
                    toHolders, holder.BasisPoints, Allocator.FullShare, $"royalty of {holder.PayeeId} on {line.Key}");
        }
    }

    [Property(MaxTest = 10_000, Arbitrary = new[] { typeof(SaleArbitraries) })]
    public void Shuffling_the_lines_and_holders_gives_identical_results_per_key(ShuffledSale sales)
    {
        var original = Allocator.Allocate(sales.Original.GrossMinor, sales.Original.Lines, sales.Original.FeeBasisPoints);
        var shuffled = Allocator.Allocate(sales.Shuffled.GrossMinor, sales.Shuffled.Lines, sales.Shuffled.FeeBasisPoints);

        shuffled.PlatformFeeMinor.ShouldBe(original.PlatformFeeMinor);
        var byKey = shuffled.Lines.ToDictionary(l => l.Key, StringComparer.Ordinal);
        foreach (var line in original.Lines)
        {
            var other = byKey[line.Key];
            other.AmountMinor.ShouldBe(line.AmountMinor, $"amount of {line.Key}");
            other.PlatformFeeMinor.ShouldBe(line.PlatformFeeMinor, $"fee of {line.Key}");
            other.Royalties.OrderBy(r => r.PayeeId, StringComparer.Ordinal)
                .ShouldBe(line.Royalties.OrderBy(r => r.PayeeId, StringComparer.Ordinal), $"royalties of {line.Key}");
        }
    }

    [Property(MaxTest = 10_000, Arbitrary = new[] { typeof(SaleArbitraries) })]
    public void Largest_remainder_never_gives_a_negative_part_and_always_sums_to_the_total(WeightsCase input)
    {
        var parts = Allocator.LargestRemainder(input.Total, input.Weights);

        parts.Count.ShouldBe(input.Weights.Count);
        foreach (var (key, part) in parts)
            part.ShouldBeInRange(0, input.Total, key);
        Sum(parts.Values).ShouldBe(input.Total);
        var weightSum = Sum(input.Weights.Select(w => w.Weight));
        if (weightSum == 0) return;
        foreach (var (key, weight) in input.Weights)
            ShouldBeWithinOneUnitOfExactShare(parts[key], input.Total, weight, weightSum, key);
    }
}
