using System.ComponentModel.DataAnnotations;
using Market.Domain;
using Market.Domain.Moderation;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.Registry;

/// <summary>
/// A rights holder applies. Signed in, the application is the account's; signed out, a plain account is made with
/// it (no creator or buyer role: a rights holder need be neither) and they are signed in.
/// </summary>
public sealed class ApplyModel(IMediator mediator, SignInManager<MarketUser> signIn) : PageModel
{
    [BindProperty, Display(Name = "Legal name")] public string? LegalName { get; set; }
    [BindProperty, Display(Name = "E-mail address")] public string? Email { get; set; }
    [BindProperty] public string? Organisation { get; set; }
    [BindProperty, Display(Name = "Which works you hold the rights to, and how")] public string? Statement { get; set; }
    [BindProperty, Display(Name = "Link to your evidence (https://…)")] public string? EvidenceUrl { get; set; }
    [BindProperty, Display(Name = "Your name, for the new account")] public string? DisplayName { get; set; }
    [BindProperty, DataType(DataType.Password)] public string? Password { get; set; }

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public void OnGet()
    {
        if (SignedIn) Email ??= User.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value ?? User.Identity?.Name;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            var (_, user) = await mediator.Send(new ApplyToRegistry(SignedIn ? User.UserId() : null, SignedIn ? null : new NewAccount(DisplayName, Password),
                LegalName, Email, Organisation, Statement, EvidenceUrl), ct);
            if (!SignedIn) await signIn.SignInAsync(user, isPersistent: false);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        TempData["Flash"] = "Application sent. Verify your e-mail address if we asked you to; a moderator then checks it.";
        return Redirect("/Registry");
    }
}
