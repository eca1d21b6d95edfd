using System.ComponentModel.DataAnnotations;
using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Features.Organisation;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Sign-up, replacing Identity UI's page: a creator or a buyer account (with its organisation). Staff roles
/// are never self-assigned. Signing up opts nothing in: consent is given per work, on its own page.
/// </summary>
public sealed class RegisterModel(IMediator mediator, SignInManager<MarketUser> signIn) : PageModel
{
    public enum AccountKind { Creator, Buyer }

    [BindProperty, Required, StringLength(MarketUser.MaxDisplayNameLength), Display(Name = "Your name (as credited)")]
    public string? DisplayName { get; set; }

    [BindProperty, Required, EmailAddress]
    public string? Email { get; set; }

    [BindProperty, Required, DataType(DataType.Password), StringLength(200, MinimumLength = 10)]
    public string? Password { get; set; }

    [BindProperty, Required]
    public AccountKind? Kind { get; set; }

    [BindProperty, StringLength(Organisation.MaxNameLength), Display(Name = "Organisation")]
    public string? OrganisationName { get; set; }

    /// <summary>An invitation token from /Organisation/Join: the account joins that organisation instead of creating one.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Invite { get; set; }

    public JoinModel.Invitation? Invitation { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Invite is null) return;
        Invitation = (await mediator.Send(new JoinModel.Query(Invite), ct)).Item1;
        Email ??= Invitation?.Email;
        Kind = AccountKind.Buyer;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Invite is not null)
        {
            // The invitation decides the kind of account: a member of the inviting organisation.
            Kind = AccountKind.Buyer;
            ModelState.Remove(nameof(Kind));
        }
        if (!ModelState.IsValid) return await PageAsync(ct);
        try
        {
            var user = await mediator.Send(new Command(DisplayName!, Email!, Password!, Kind!.Value, OrganisationName, Invite), ct);
            await signIn.SignInAsync(user, isPersistent: false);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            return await PageAsync(ct);
        }
        return Redirect(Invite is not null ? "/Organisation" : Kind == AccountKind.Creator ? "/Works" : "/Catalog");
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (Invite is not null) Invitation = (await mediator.Send(new JoinModel.Query(Invite), ct)).Item1;
        return Page();
    }

    public sealed record Command(string DisplayName, string Email, string Password, AccountKind Kind, string? OrganisationName, string? InviteToken = null)
        : ICommand<MarketUser>;

    internal sealed class Handler(MarketDb db, UserManager<MarketUser> users, Notifier notifier, TimeProvider clock) : IRequestHandler<Command, MarketUser>
    {
        public async Task<MarketUser> Handle(Command request, CancellationToken ct)
        {
            var user = new MarketUser { UserName = request.Email, Email = request.Email, DisplayName = request.DisplayName.Trim() };
            if (request.InviteToken is not null)
            {
                // Joining by invitation: the account is created, then accepted in the same transaction, so a
                // refused invitation (wrong address, expired) leaves no half-made account behind.
                Check(await users.CreateAsync(user, request.Password));
                await Invitations.AcceptAsync(db, users, notifier, request.InviteToken, user, clock.GetUtcNow(), ct);
                return user;
            }
            if (request.Kind == AccountKind.Buyer)
            {
                var now = clock.GetUtcNow();
                var organisation = Organisation.Create(Guid.CreateVersion7(now), request.OrganisationName, now);
                db.Organisations.Add(organisation);
                user.OrganisationId = organisation.Id;
                // Whoever creates the organisation administers it until they hand that on.
                user.OrganisationRole = OrganisationRole.Admin;
            }
            Check(await users.CreateAsync(user, request.Password));
            Check(await users.AddToRoleAsync(user, request.Kind == AccountKind.Creator ? Roles.Creator : Roles.Buyer));
            return user;
        }

        private static void Check(IdentityResult result)
        {
            if (!result.Succeeded) throw new DomainException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
