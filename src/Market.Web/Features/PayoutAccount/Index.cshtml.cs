using Market.Billing.Payments;
using Market.Billing.Payouts;
using Market.Billing.Sales;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Payments;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.PayoutAccount;

/// <summary>
/// A creator's own payout account and tax information. Everything is keyed by the signed-in user's id, never by
/// an id from the request, so nobody can see or change another payee's.
/// </summary>
[Authorize(Policy = Policies.Creator)]
public sealed class IndexModel(IMediator mediator, IPayoutOnboarding onboarding, PaymentSettings payments) : PageModel
{
    public Billing.Payouts.PayoutAccount? Account { get; private set; }
    public TaxProfile? Tax { get; private set; }
    public bool IsTestProvider => onboarding.Provider == PaymentProviders.Test;

    [BindProperty] public string? LegalName { get; set; }
    [BindProperty] public string? Country { get; set; }
    [BindProperty] public string? TaxId { get; set; }
    [BindProperty] public TaxForm? Form { get; set; }
    [BindProperty] public bool Certified { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostConnectAsync(CancellationToken ct)
    {
        var baseUrl = payments.ReturnBaseUrl(Request);
        var url = await mediator.Send(new Connect(User.UserId(), User.Identity?.Name, Country ?? "US", $"{baseUrl}/PayoutAccount?handler=Return", $"{baseUrl}/PayoutAccount"), ct);
        if (url is not null) return Redirect(url);
        TempData["Flash"] = "Payout account connected.";
        return RedirectToPage();
    }

    /// <summary>Where Stripe sends the payee back: the account's state is asked of Stripe, not taken from the URL.</summary>
    public async Task<IActionResult> OnGetReturnAsync(CancellationToken ct)
    {
        var enabled = await mediator.Send(new Check(User.UserId()), ct);
        TempData["Flash"] = enabled ? "Payout account connected." : "The payout provider still needs more information before it can pay you.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostTaxAsync(CancellationToken ct)
    {
        try
        {
            await mediator.Send(new SaveTax(User.UserId(), LegalName, Country, TaxId, Form, Certified), ct);
            TempData["Flash"] = "Tax information saved.";
            return RedirectToPage();
        }
        catch (LedgerException e)
        {
            ModelState.AddModelError("", e.Message);
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct) => (Account, Tax) = await mediator.Send(new Query(User.UserId()), ct);

    public sealed record Query(string PayeeId) : IRequest<(Billing.Payouts.PayoutAccount?, TaxProfile?)>;

    public sealed record Connect(string PayeeId, string? Email, string Country, string ReturnUrl, string RefreshUrl) : ICommand<string?>;

    public sealed record Check(string PayeeId) : ICommand<bool>;

    public sealed record SaveTax(string PayeeId, string? LegalName, string? Country, string? TaxId, TaxForm? Form, bool Certified) : ICommand<TaxProfile>;

    internal sealed class Handler(UnitOfWork unitOfWork, Marten.IDocumentStore store, IPayoutOnboarding onboarding, TimeProvider clock) :
        IRequestHandler<Query, (Billing.Payouts.PayoutAccount?, TaxProfile?)>, IRequestHandler<Connect, string?>, IRequestHandler<Check, bool>, IRequestHandler<SaveTax, TaxProfile>
    {
        public async Task<(Billing.Payouts.PayoutAccount?, TaxProfile?)> Handle(Query request, CancellationToken ct)
        {
            await using var session = store.QuerySession();
            return (await session.LoadAsync<Billing.Payouts.PayoutAccount>(request.PayeeId, ct), await session.LoadAsync<TaxProfile>(request.PayeeId, ct));
        }

        public async Task<string?> Handle(Connect request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var account = await unitOfWork.Ledger.LoadAsync<Billing.Payouts.PayoutAccount>(request.PayeeId, ct);
            // Switching provider (test → Stripe) starts a fresh account; the same provider keeps the one it made.
            if (account is null || account.Provider != onboarding.Provider)
            {
                var country = request.Country.Trim().ToUpperInvariant() is { Length: 2 } c ? c : "US";
                account = new Billing.Payouts.PayoutAccount
                {
                    Id = request.PayeeId, Provider = onboarding.Provider, CreatedAt = now,
                    AccountId = await onboarding.CreateAccountAsync(request.PayeeId, request.Email, country, ct),
                };
            }
            account.PayoutsEnabled = await onboarding.PayoutsEnabledAsync(account.AccountId, ct);
            account.CheckedAt = now;
            unitOfWork.Ledger.Store(account);
            return account.PayoutsEnabled ? null : await onboarding.OnboardingUrlAsync(account.AccountId, request.ReturnUrl, request.RefreshUrl, ct);
        }

        public async Task<bool> Handle(Check request, CancellationToken ct)
        {
            var account = await unitOfWork.Ledger.LoadAsync<Billing.Payouts.PayoutAccount>(request.PayeeId, ct);
            if (account is null) return false;
            account.PayoutsEnabled = await onboarding.PayoutsEnabledAsync(account.AccountId, ct);
            account.CheckedAt = clock.GetUtcNow();
            unitOfWork.Ledger.Store(account);
            return account.PayoutsEnabled;
        }

        public Task<TaxProfile> Handle(SaveTax request, CancellationToken ct)
        {
            var profile = TaxProfile.Certify(request.PayeeId, request.LegalName, request.Country, request.TaxId, request.Form, request.Certified, clock.GetUtcNow());
            unitOfWork.Ledger.Store(profile);
            return Task.FromResult(profile);
        }
    }
}
