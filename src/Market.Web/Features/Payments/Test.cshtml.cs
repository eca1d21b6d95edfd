using Market.Billing.Payments;
using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Payments;

/// <summary>
/// The built-in test payment provider's checkout page. No money moves; the page says so in large type. It
/// accepts only orders that went to the test provider, belong to the buyer's organisation and await payment.
/// </summary>
public sealed class TestModel(IMediator mediator, MarketDb db) : PageModel
{
    public Order? Order { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid orderId, CancellationToken ct)
    {
        Order = await LoadAsync(orderId, ct);
        return Order is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostPayAsync(Guid orderId, CancellationToken ct)
    {
        Order = await LoadAsync(orderId, ct);
        if (Order is null) return NotFound();
        try
        {
            var confirmation = new PaymentConfirmation(PaymentProviders.Test, $"test_evt_{Order.Id:N}", Order.Id, Order.ProviderSessionId ?? "",
                Order.TotalMinor, Order.Currency, $"test_pi_{Order.Id:N}");
            var licenseId = await mediator.Send(new ConfirmPayment.Command(confirmation), ct);
            TempData["Flash"] = "Payment received (test provider). Your license is below.";
            return RedirectToPage("/Licenses/Details", new { id = licenseId });
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid orderId, CancellationToken ct)
    {
        Order = await LoadAsync(orderId, ct);
        if (Order is null) return NotFound();
        if (Order.Status == OrderStatus.AwaitingPayment)
            await mediator.Send(new Bundles.DetailsModel.CancelOrder(orderId), ct);
        TempData["Flash"] = "Payment cancelled. Nothing was charged.";
        return RedirectToPage("/Bundles/Details", new { id = Order.BundleId });
    }

    private Task<Order?> LoadAsync(Guid orderId, CancellationToken ct)
    {
        var organisationId = Guid.Parse(User.OrganisationId()!);
        return db.Orders.AsNoTracking().Include(o => o.Lines)
            .FirstOrDefaultAsync(o => o.Id == orderId && o.OrganisationId == organisationId && o.Provider == PaymentProviders.Test, ct);
    }
}
