namespace Market.Billing.Payouts;

/// <summary>
/// Where a payee is paid: their account at the payout provider. A Marten document keyed by payee id (for a
/// creator, their user id), next to the ledger that decides what they are owed.
/// </summary>
public sealed class PayoutAccount
{
    public string Id { get; set; } = "";
    public string Provider { get; set; } = "";
    public string AccountId { get; set; } = "";
    /// <summary>The provider's last word on whether the account can receive payouts (Stripe: payouts_enabled).</summary>
    public bool PayoutsEnabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CheckedAt { get; set; }
}

public enum TaxForm
{
    W9 = 1,
    W8Ben = 2,
}

/// <summary>
/// A payee's tax information. Only the last four characters of the tax id are kept: enough to recognise it,
/// useless if leaked. The full id goes to the payout provider's own onboarding when one asks for it.
/// </summary>
public sealed class TaxProfile
{
    public const int MaxNameLength = 200;

    public string Id { get; set; } = "";
    public string LegalName { get; set; } = "";
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string Country { get; set; } = "";
    public string TaxIdLast4 { get; set; } = "";
    public TaxForm Form { get; set; }
    public DateTimeOffset CertifiedAt { get; set; }

    /// <summary>Validates what a payee entered and returns the profile to store; throws <see cref="Sales.LedgerException"/> with a user-facing message.</summary>
    public static TaxProfile Certify(string payeeId, string? legalName, string? country, string? taxId, TaxForm? form, bool certified, DateTimeOffset now)
    {
        legalName = legalName?.Trim() ?? "";
        country = country?.Trim().ToUpperInvariant() ?? "";
        var digits = new string((taxId ?? "").Where(char.IsLetterOrDigit).ToArray());
        if (legalName.Length is 0 or > MaxNameLength) throw new Sales.LedgerException($"Enter your legal name (at most {MaxNameLength} characters).");
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)) throw new Sales.LedgerException("Enter your country as a two-letter code, e.g. US or DE.");
        if (digits.Length is < 4 or > 30) throw new Sales.LedgerException("Enter your tax identification number (4 to 30 letters or digits).");
        if (form is not (TaxForm.W9 or TaxForm.W8Ben)) throw new Sales.LedgerException("Choose the tax form: W-9 or W-8BEN.");
        if (form == TaxForm.W9 && country != "US") throw new Sales.LedgerException("Form W-9 is for US persons; choose W-8BEN.");
        if (!certified) throw new Sales.LedgerException("Certify that the information is correct.");
        return new TaxProfile { Id = payeeId, LegalName = legalName, Country = country, TaxIdLast4 = digits[^4..], Form = form.Value, CertifiedAt = now };
    }
}
