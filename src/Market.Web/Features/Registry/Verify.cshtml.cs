using Market.Domain;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.Registry;

/// <summary>
/// The e-mailed link. Opening it shows a button; only the POST verifies, so a mail scanner that follows links
/// verifies nothing. The token is the check: signed in or not.
/// </summary>
public sealed class VerifyModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    public bool Verified { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            await mediator.Send(new VerifyRegistrantEmail(Token), ct);
            Verified = true;
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        return Page();
    }
}
