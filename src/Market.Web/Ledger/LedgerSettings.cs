using Market.Billing.Allocation;

namespace Market.Web.Ledger;

/// <summary>Configuration section "Ledger".</summary>
public sealed class LedgerSettings
{
    /// <summary>The platform's share of each item, in basis points.</summary>
    public int PlatformFeeBasisPoints { get; set; } = 2000;

    /// <summary>Optional minimum fee per item, in minor units, per currency (e.g. "EUR": 50).</summary>
    public Dictionary<string, long> MinimumFeePerItem { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Days a royalty stays pending before it can be paid out, so refunds and disputes can be covered.</summary>
    public int HoldingPeriodDays { get; set; } = 30;

    public FeePolicy FeeFor(string currency) => new(PlatformFeeBasisPoints, MinimumFeePerItem.GetValueOrDefault(currency));

    public void Validate()
    {
        if (PlatformFeeBasisPoints is < 0 or > 10_000) throw new InvalidOperationException("Ledger:PlatformFeeBasisPoints must be between 0 and 10000.");
        if (MinimumFeePerItem.Values.Any(v => v < 0)) throw new InvalidOperationException("Ledger:MinimumFeePerItem values cannot be negative.");
        if (HoldingPeriodDays is < 0 or > 365) throw new InvalidOperationException("Ledger:HoldingPeriodDays must be between 0 and 365.");
    }
}
