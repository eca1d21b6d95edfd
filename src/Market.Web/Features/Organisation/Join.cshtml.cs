using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Features.Shares;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Organisation;

/// <summary>
/// Where an invitation link lands. Anyone holding the link sees which organisation invites which address; only
/// an account on that address can accept, signed in here or by signing up from this page.
/// </summary>
public sealed class JoinModel(IMediator mediator, UserManager<MarketUser> users, SignInManager<MarketUser> signIn) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }

    public Invitation? Found { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        (Found, Problem) = await mediator.Send(new Query(Token), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true) return Challenge();
        try
        {
            await mediator.Send(new Accept(Token, User.UserId()), ct);
        }
        catch (DomainException e)
        {
            (Found, Problem) = await mediator.Send(new Query(Token), ct);
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        // The cookie is re-issued now, with the organisation and role, rather than at the next stamp check.
        var user = await users.GetUserAsync(User);
        if (user is not null) await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = "Welcome aboard. You are now a member of the organisation.";
        return Redirect("/Organisation");
    }

    public sealed record Invitation(string OrganisationName, string Email, OrganisationRole Role, string InvitedBy);

    public sealed record Query(string? Token) : IRequest<(Invitation?, string?)>;

    internal sealed class QueryHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Query, (Invitation?, string?)>
    {
        public async Task<(Invitation?, string?)> Handle(Query request, CancellationToken ct)
        {
            var invitation = await db.FindInvitationAsync(request.Token, ct);
            if (invitation is null) return (null, "This invitation link is not valid. Check that you copied the whole link from the e-mail.");
            var organisation = await db.Organisations.Where(o => o.Id == invitation.OrganisationId).Select(o => o.Name).FirstAsync(ct);
            var inviter = await db.Users.Where(u => u.Id == invitation.InvitedByUserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "An admin";
            var found = new Invitation(organisation, invitation.Email, invitation.Role, inviter);
            var now = clock.GetUtcNow();
            return invitation.IsOpen(now) ? (found, null)
                : (found, invitation.AcceptedAt is not null ? "This invitation has been used already."
                    : invitation.RevokedAt is not null ? "This invitation was withdrawn. Ask your organisation's admin for a new one."
                    : "This invitation has expired. Ask your organisation's admin for a new one.");
        }
    }

    public sealed record Accept(string? Token, string UserId) : ICommand<Unit>;

    internal sealed class AcceptHandler(MarketDb db, UserManager<MarketUser> users, Notifier notifier, TimeProvider clock) : IRequestHandler<Accept, Unit>
    {
        public async Task<Unit> Handle(Accept request, CancellationToken ct)
        {
            var user = await db.Users.FirstAsync(u => u.Id == request.UserId, ct);
            await Invitations.AcceptAsync(db, users, notifier, request.Token, user, clock.GetUtcNow(), ct);
            return Unit.Value;
        }
    }
}

public static class Invitations
{
    public static async Task<OrganisationInvitation?> FindInvitationAsync(this MarketDb db, string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return null;
        var hash = ShareRequests.Hash(token.Trim());
        return await db.OrganisationInvitations.FirstOrDefaultAsync(i => i.TokenHash == hash, ct);
    }

    /// <summary>
    /// Joins the account to the inviting organisation with the invited role. Shared by the join page (an existing
    /// account) and sign-up (a new one), so both follow the same rules. The token came by e-mail to the address,
    /// which confirms the address.
    /// </summary>
    public static async Task AcceptAsync(MarketDb db, UserManager<MarketUser> users, Notifier notifier, string? token, MarketUser user,
        DateTimeOffset now, CancellationToken ct)
    {
        var invitation = await db.FindInvitationAsync(token, ct)
            ?? throw new DomainException("This invitation link is not valid. Check that you copied the whole link from the e-mail.");
        invitation.Accept(user.Id, user.Email, user.OrganisationId, now);
        user.OrganisationId = invitation.OrganisationId;
        user.OrganisationRole = invitation.Role;
        user.EmailConfirmed = true;
        if (!await users.IsInRoleAsync(user, Roles.Buyer))
        {
            var added = await users.AddToRoleAsync(user, Roles.Buyer);
            if (!added.Succeeded) throw new DomainException(string.Join(" ", added.Errors.Select(e => e.Description)));
        }
        var admins = await db.Users.Where(u => u.OrganisationId == invitation.OrganisationId && u.OrganisationRole == OrganisationRole.Admin && u.Id != user.Id)
            .Select(u => u.Id).ToListAsync(ct);
        await notifier.NotifyAsync(admins, NotificationKind.MembershipChanged, $"{user.DisplayName} joined your organisation",
            $"{user.DisplayName} ({user.Email}) accepted the invitation and joined as {(invitation.Role == OrganisationRole.Admin ? "an admin" : "a member")}.",
            "/Organisation", ct);
    }
}
