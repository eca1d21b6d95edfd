namespace Market.Billing.Allocation;

/// <summary>One item of a sale: its list price and who holds the rights to it, with splits in basis points.</summary>
public sealed record SaleLine(string Key, long ListPriceMinor, IReadOnlyList<RightsShare> Holders);

public sealed record RightsShare(string PayeeId, int BasisPoints);

public sealed record PayeeAmount(string PayeeId, long AmountMinor);

public sealed record LineAllocation(string Key, long AmountMinor, long PlatformFeeMinor, IReadOnlyList<PayeeAmount> Royalties);

/// <summary>The platform's fee: a share in basis points and an optional minimum per item, in the sale's currency.</summary>
public sealed record FeePolicy(int BasisPoints, long MinimumPerItemMinor = 0);

public sealed record SaleAllocation(long GrossMinor, long PlatformFeeMinor, IReadOnlyList<LineAllocation> Lines);

/// <summary>
/// Splits a sale: gross → items pro rata to list price → platform fee and rights holders by split. Every step
/// uses the largest-remainder method, so the parts always sum to the whole to the minor unit, and ties are
/// broken by a stable key so the result does not depend on the order the lines arrive in.
/// </summary>
public static class Allocator
{
    public const int FullShare = 10_000;

    public static SaleAllocation Allocate(long grossMinor, IReadOnlyList<SaleLine> lines, int platformFeeBasisPoints) =>
        Allocate(grossMinor, lines, new FeePolicy(platformFeeBasisPoints));

    /// <summary>
    /// As above, with a minimum fee per item in the sale's currency: an item's fee is its basis-point share, raised
    /// to the minimum, never more than the item's amount.
    /// </summary>
    public static SaleAllocation Allocate(long grossMinor, IReadOnlyList<SaleLine> lines, FeePolicy fee)
    {
        var platformFeeBasisPoints = fee.BasisPoints;
        if (fee.MinimumPerItemMinor < 0) throw new ArgumentOutOfRangeException(nameof(fee), "A minimum fee cannot be negative.");
        if (grossMinor < 0) throw new ArgumentOutOfRangeException(nameof(grossMinor), "A sale cannot be negative.");
        if (lines.Count == 0) throw new ArgumentException("A sale has at least one line.", nameof(lines));
        if (platformFeeBasisPoints is < 0 or > FullShare)
            throw new ArgumentOutOfRangeException(nameof(platformFeeBasisPoints), "The platform fee is between 0 and 10000 basis points.");
        if (lines.Select(l => l.Key).Distinct(StringComparer.Ordinal).Count() != lines.Count)
            throw new ArgumentException("Line keys must be unique.", nameof(lines));
        foreach (var line in lines) ValidateHolders(line);

        var lineAmounts = LargestRemainder(grossMinor, lines.Select(l => (l.Key, l.ListPriceMinor)).ToList());
        var result = new List<LineAllocation>(lines.Count);
        foreach (var line in lines)
        {
            var amount = lineAmounts[line.Key];
            var feeSplit = LargestRemainder(amount, [("0:platform", platformFeeBasisPoints), ("1:holders", FullShare - platformFeeBasisPoints)]);
            var lineFee = Math.Min(amount, Math.Max(feeSplit["0:platform"], fee.MinimumPerItemMinor));
            var toHolders = amount - lineFee;
            var royalties = LargestRemainder(toHolders, line.Holders.Select(h => (h.PayeeId, (long)h.BasisPoints)).ToList());
            result.Add(new LineAllocation(line.Key, amount, lineFee,
                line.Holders.Select(h => new PayeeAmount(h.PayeeId, royalties[h.PayeeId])).ToList()));
        }
        return new SaleAllocation(grossMinor, result.Sum(l => l.PlatformFeeMinor), result);
    }

    /// <summary>
    /// Distributes <paramref name="total"/> over the weights: each part gets the floor of its exact share, and
    /// the units left over go one each to the largest fractional remainders (ties: ordinal key order).
    /// </summary>
    public static IReadOnlyDictionary<string, long> LargestRemainder(long total, IReadOnlyList<(string Key, long Weight)> weights)
    {
        if (total < 0) throw new ArgumentOutOfRangeException(nameof(total));
        if (weights.Count == 0) throw new ArgumentException("Nothing to distribute over.", nameof(weights));
        if (weights.Any(w => w.Weight < 0)) throw new ArgumentException("Weights cannot be negative.", nameof(weights));
        if (weights.Select(w => w.Key).Distinct(StringComparer.Ordinal).Count() != weights.Count)
            throw new ArgumentException("Keys must be unique.", nameof(weights));
        Int128 weightSum = 0;
        foreach (var w in weights) weightSum += w.Weight;

        var parts = new Dictionary<string, long>(weights.Count, StringComparer.Ordinal);
        if (weightSum == 0)
        {
            // Nothing has a claim (all free items): only a zero total can be distributed.
            if (total != 0) throw new ArgumentException("Cannot distribute a positive amount over zero weights.", nameof(weights));
            foreach (var w in weights) parts[w.Key] = 0;
            return parts;
        }

        // Arrays and an index sort rather than LINQ: this runs for every item and holder of every sale posted.
        var remainders = new Int128[weights.Count];
        long assigned = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var (key, weight) = weights[i];
            var exact = (Int128)total * weight;
            var floor = (long)(exact / weightSum);
            parts[key] = floor;
            assigned += floor;
            remainders[i] = exact % weightSum;
        }

        var left = total - assigned;
        if (left == 0) return parts;
        var order = new int[weights.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            var byRemainder = remainders[b].CompareTo(remainders[a]);
            return byRemainder != 0 ? byRemainder : string.CompareOrdinal(weights[a].Key, weights[b].Key);
        });
        for (var i = 0; i < left; i++) parts[weights[order[i]].Key]++;
        return parts;
    }

    private static void ValidateHolders(SaleLine line)
    {
        if (line.ListPriceMinor < 0) throw new ArgumentException($"Line {line.Key} has a negative list price.");
        if (line.Holders.Count == 0) throw new ArgumentException($"Line {line.Key} has no rights holder.");
        if (line.Holders.Any(h => h.BasisPoints is <= 0 or > FullShare))
            throw new ArgumentException($"Line {line.Key} has a share outside 1..{FullShare} basis points.");
        if (line.Holders.Select(h => h.PayeeId).Distinct(StringComparer.Ordinal).Count() != line.Holders.Count)
            throw new ArgumentException($"Line {line.Key} names a rights holder twice.");
        if (line.Holders.Sum(h => h.BasisPoints) != FullShare)
            throw new ArgumentException($"The splits of line {line.Key} do not sum to {FullShare} basis points.");
    }
}
