namespace Market.Billing.Ledger;

/// <summary>
/// The chart of accounts. Balances are kept per account and currency; nothing is ever converted.
/// Payee accounts are per payee: <c>liabilities:payees:{payee}:{bucket}</c>.
/// </summary>
public static class Accounts
{
    /// <summary>Money the payment provider holds for us: buyers' payments in, refunds and payouts out.</summary>
    public const string PaymentClearing = "assets:payment-clearing";
    /// <summary>Money a card network has pulled back while a dispute is open.</summary>
    public const string DisputedFunds = "assets:disputed-funds";
    public const string PlatformRevenue = "revenue:platform-fees";
    public const string ProcessorFees = "expenses:processor-fees";
    /// <summary>Approved payouts not yet confirmed by the provider.</summary>
    public const string PayoutsInTransit = "liabilities:payouts-in-transit";

    public const string PayeePrefix = "liabilities:payees:";

    public static string Payee(string payeeId, PayeeBucket bucket) => $"{PayeePrefix}{payeeId}:{BucketName(bucket)}";
    public static string PayeePending(string payeeId) => Payee(payeeId, PayeeBucket.Pending);
    public static string PayeeAvailable(string payeeId) => Payee(payeeId, PayeeBucket.Available);
    public static string PayeeHeld(string payeeId) => Payee(payeeId, PayeeBucket.Held);

    public static string BucketName(PayeeBucket bucket) => bucket switch
    {
        PayeeBucket.Pending => "pending",
        PayeeBucket.Available => "available",
        PayeeBucket.Held => "held",
        _ => throw new ArgumentOutOfRangeException(nameof(bucket)),
    };

    /// <summary>Splits a payee account into its payee and bucket; false for every other account.</summary>
    public static bool TryParsePayee(string account, out string payeeId, out PayeeBucket bucket)
    {
        payeeId = ""; bucket = default;
        if (!account.StartsWith(PayeePrefix, StringComparison.Ordinal)) return false;
        var rest = account.AsSpan(PayeePrefix.Length);
        var colon = rest.LastIndexOf(':');
        if (colon <= 0) return false;
        PayeeBucket? parsed = rest[(colon + 1)..] switch
        {
            "pending" => PayeeBucket.Pending,
            "available" => PayeeBucket.Available,
            "held" => PayeeBucket.Held,
            _ => null,
        };
        if (parsed is null) return false;
        payeeId = rest[..colon].ToString();
        bucket = parsed.Value;
        return true;
    }

    /// <summary>Payee ids go into account names, so they may not contain the separator.</summary>
    public static void EnsureValidPayeeId(string payeeId)
    {
        if (string.IsNullOrWhiteSpace(payeeId) || payeeId.Contains(':') || payeeId.Length > 100)
            throw new ArgumentException($"'{payeeId}' is not a valid payee id.");
    }
}

/// <summary>
/// Where a payee's money sits. Pending: earned, inside the refund holding period. Available: can be paid out.
/// Held: frozen by an open dispute or a theft claim.
/// </summary>
public enum PayeeBucket
{
    Pending = 1,
    Available = 2,
    Held = 3,
}
