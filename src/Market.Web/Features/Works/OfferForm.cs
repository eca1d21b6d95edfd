using Market.Domain.Licensing;
using Market.Domain.Money;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.Works;

/// <summary>
/// The license-offer fields shared by the one-work offer page and the bulk edit, with the defaults a creator
/// starts from (one year of generative training, commercial, name never a prompt, delete at the end).
/// Rendered by _OfferTerms.cshtml.
/// </summary>
public abstract class OfferFormPage : PageModel
{
    private static readonly LicenseTerms Defaults = LicenseTerms.OneYearGenerative;

    [BindProperty] public LicenseScope Scope { get; set; } = Defaults.Scope;
    [BindProperty] public bool Commercial { get; set; } = Defaults.Commercial;
    [BindProperty] public int TermMonths { get; set; } = Defaults.TermMonths;
    [BindProperty] public bool AttributionRequired { get; set; } = Defaults.AttributionRequired;
    [BindProperty] public bool NameMayNotBeUsedAsPrompt { get; set; } = Defaults.NameMayNotBeUsedAsPrompt;
    [BindProperty] public ExpiryDuty DutyAtExpiry { get; set; } = Defaults.DutyAtExpiry;
    [BindProperty] public int AttestWithinDays { get; set; } = Defaults.AttestWithinDays;
    [BindProperty] public string? Price { get; set; }
    [BindProperty] public string Currency { get; set; } = "EUR";

    protected LicenseTerms Terms() =>
        new(Scope, Commercial, TermMonths, AttributionRequired, NameMayNotBeUsedAsPrompt, DutyAtExpiry, AttestWithinDays);

    /// <summary>Throws DomainException with the reason when the price is not a valid amount.</summary>
    protected Price ParsedPrice() => Domain.Money.Price.Parse(Price, Currency);

    protected void Fill(LicenseTerms terms, Price price)
    {
        (Scope, Commercial, TermMonths, AttributionRequired, NameMayNotBeUsedAsPrompt, DutyAtExpiry, AttestWithinDays) =
            (terms.Scope, terms.Commercial, terms.TermMonths, terms.AttributionRequired, terms.NameMayNotBeUsedAsPrompt, terms.DutyAtExpiry, terms.AttestWithinDays);
        (Price, Currency) = (Currencies.FormatPlain(price.Minor, price.Currency), price.Currency);
    }
}
