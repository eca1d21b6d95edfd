namespace Market.Domain.Licensing;

public enum LicenseScope
{
    GenerativeTraining = 1,
    FineTuningOrStyle = 2,
    NonGenerativeAnalysis = 3,
}

/// <summary>What the licensee must do when the term ends.</summary>
public enum ExpiryDuty
{
    DeleteData = 1,
    DestroyOrRetrainModels = 2,
}

/// <summary>
/// The terms a creator offers and a buyer accepts. A license copies them by value at purchase, so editing an
/// offer later never reaches a license already sold.
/// </summary>
public sealed record LicenseTerms(
    LicenseScope Scope,
    bool Commercial,
    int TermMonths,
    bool AttributionRequired,
    bool NameMayNotBeUsedAsPrompt,
    ExpiryDuty DutyAtExpiry,
    int AttestWithinDays)
{
    public const int MaxTermMonths = 120;
    public const int MaxAttestDays = 365;

    /// <summary>The walking skeleton's default offer: one year of generative training, commercial use.</summary>
    public static LicenseTerms OneYearGenerative { get; } =
        new(LicenseScope.GenerativeTraining, Commercial: true, TermMonths: 12, AttributionRequired: false,
            NameMayNotBeUsedAsPrompt: true, ExpiryDuty.DeleteData, AttestWithinDays: 30);

    public LicenseTerms Validated()
    {
        if (!Enum.IsDefined(Scope)) throw new DomainException("Choose what the license may be used for.");
        if (!Enum.IsDefined(DutyAtExpiry)) throw new DomainException("Choose what the licensee must do when the license ends.");
        if (TermMonths is < 1 or > MaxTermMonths)
            throw new DomainException($"The term must be between 1 and {MaxTermMonths} months.");
        if (AttestWithinDays is < 1 or > MaxAttestDays)
            throw new DomainException($"The licensee must attest within 1 to {MaxAttestDays} days of the end.");
        return this;
    }

    public string Describe() =>
        $"{ScopeText(Scope)}, {(Commercial ? "commercial" : "non-commercial")} use, {TermMonths} months" +
        (AttributionRequired ? ", attribution required" : "") +
        (NameMayNotBeUsedAsPrompt ? ", the creator's name may not be used as a prompt or trigger token" : "") +
        $"; at the end: {DutyText(DutyAtExpiry)}, attested within {AttestWithinDays} days";

    public static string ScopeText(LicenseScope scope) => scope switch
    {
        LicenseScope.GenerativeTraining => "generative model training",
        LicenseScope.FineTuningOrStyle => "fine-tuning or style models",
        LicenseScope.NonGenerativeAnalysis => "non-generative analysis",
        _ => "unknown use",
    };

    public static string DutyText(ExpiryDuty duty) => duty switch
    {
        ExpiryDuty.DeleteData => "delete the data",
        ExpiryDuty.DestroyOrRetrainModels => "delete the data and destroy or retrain the models trained on it",
        _ => "unknown duty",
    };
}
