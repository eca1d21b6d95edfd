using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Features.Shares;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Organisation;

/// <summary>
/// The organisation's people: everyone sees who the members are; admins invite, change roles, remove and
/// withdraw invitations. Every command re-reads the caller's role from the database, not only the cookie.
/// </summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public View Roster { get; private set; } = null!;

    [BindProperty] public string? InviteEmail { get; set; }
    [BindProperty] public OrganisationRole InviteRole { get; set; } = OrganisationRole.Member;

    public async Task OnGetAsync(CancellationToken ct) => Roster = await mediator.Send(new Query(OrganisationId, User.UserId()), ct);

    public Task<IActionResult> OnPostInviteAsync(CancellationToken ct) =>
        RunAsync(new Invite(OrganisationId, User.UserId(), InviteEmail, InviteRole), $"Invitation sent to {InviteEmail?.Trim()}.", ct);

    public Task<IActionResult> OnPostRevokeAsync(Guid invitationId, CancellationToken ct) =>
        RunAsync(new RevokeInvitation(OrganisationId, User.UserId(), invitationId), "Invitation withdrawn; its link no longer works.", ct);

    public Task<IActionResult> OnPostRoleAsync(string userId, OrganisationRole role, CancellationToken ct) =>
        RunAsync(new ChangeRole(OrganisationId, User.UserId(), userId, role), "Role changed.", ct);

    public async Task<IActionResult> OnPostRemoveAsync(string userId, CancellationToken ct)
    {
        var leaving = userId == User.UserId();
        var result = await RunAsync(new RemoveMember(OrganisationId, User.UserId(), userId), leaving ? "You have left the organisation." : "Member removed.", ct);
        // Leaving ends this session's access to the organisation's pages; the next request re-reads the account.
        return leaving && ModelState.IsValid ? Redirect("/") : result;
    }

    private async Task<IActionResult> RunAsync<T>(ICommand<T> command, string done, CancellationToken ct)
    {
        try
        {
            await mediator.Send(command, ct);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            Roster = await mediator.Send(new Query(OrganisationId, User.UserId()), ct);
            return Page();
        }
        TempData["Flash"] = done;
        return RedirectToPage();
    }

    private Guid OrganisationId => Guid.Parse(User.OrganisationId()!);

    public sealed record Query(Guid OrganisationId, string UserId) : IRequest<View>;

    public sealed record View(string Name, bool IAmAdmin, IReadOnlyList<Member> Members, IReadOnlyList<PendingInvitation> Invitations);

    public sealed record Member(string UserId, string Name, string Email, OrganisationRole Role, bool IsMe);

    public sealed record PendingInvitation(Guid Id, string Email, OrganisationRole Role, DateTimeOffset ExpiresAt);

    internal sealed class QueryHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Query, View>
    {
        public async Task<View> Handle(Query request, CancellationToken ct)
        {
            var name = await db.Organisations.Where(o => o.Id == request.OrganisationId).Select(o => o.Name).FirstAsync(ct);
            var members = await db.Users.AsNoTracking().Where(u => u.OrganisationId == request.OrganisationId)
                .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
                .Select(u => new Member(u.Id, u.DisplayName, u.Email!, u.OrganisationRole ?? OrganisationRole.Member, u.Id == request.UserId))
                .ToListAsync(ct);
            var iAmAdmin = members.Any(m => m.IsMe && m.Role == OrganisationRole.Admin);
            var now = clock.GetUtcNow();
            // Only admins see the open invitations: the addresses invited are the admins' business.
            var invitations = !iAmAdmin ? [] : await db.OrganisationInvitations.AsNoTracking()
                .Where(i => i.OrganisationId == request.OrganisationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
                .OrderBy(i => i.CreatedAt)
                .Select(i => new PendingInvitation(i.Id, i.Email, i.Role, i.ExpiresAt))
                .ToListAsync(ct);
            return new View(name, iAmAdmin, members, invitations);
        }
    }

    public sealed record Invite(Guid OrganisationId, string AdminId, string? Email, OrganisationRole Role) : ICommand<Guid>;

    internal sealed class InviteHandler(MarketDb db, Notifier notifier, SiteSettings site, TimeProvider clock) : IRequestHandler<Invite, Guid>
    {
        public async Task<Guid> Handle(Invite request, CancellationToken ct)
        {
            var admin = await db.RequireOrganisationAdminAsync(request.OrganisationId, request.AdminId, ct);
            var now = clock.GetUtcNow();
            var token = ShareRequests.NewToken();
            var invitation = OrganisationInvitation.Issue(Guid.CreateVersion7(now), request.OrganisationId, request.Email, request.Role,
                ShareRequests.Hash(token), request.AdminId, now);
            if (await db.Users.AnyAsync(u => u.OrganisationId == request.OrganisationId && u.NormalizedEmail == invitation.Email.ToUpperInvariant(), ct))
                throw new DomainException($"{invitation.Email} is already a member.");
            var open = await db.OrganisationInvitations
                .Where(i => i.OrganisationId == request.OrganisationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
                .ToListAsync(ct);
            // Inviting the same address again replaces the earlier link, so only the newest e-mail works.
            foreach (var earlier in open.Where(i => i.Email == invitation.Email)) earlier.Revoke(now);
            var members = await db.Users.CountAsync(u => u.OrganisationId == request.OrganisationId, ct);
            OrganisationRoster.EnsureRoomFor(members, open.Count(i => i.Email != invitation.Email));
            db.OrganisationInvitations.Add(invitation);

            var organisation = await db.Organisations.Where(o => o.Id == request.OrganisationId).Select(o => o.Name).FirstAsync(ct);
            notifier.Email(invitation.Email, null, $"{admin.DisplayName} invites you to {organisation} on the marketplace",
                $"""
                Hello,

                {admin.DisplayName} invites you to join {organisation} on the marketplace as {(invitation.Role == OrganisationRole.Admin ? "an admin" : "a member")}.
                Members build dataset bundles, buy training licenses and download the licensed data for the organisation.

                Accept here (the link works once and expires in {OrganisationInvitation.Lifetime.Days} days):
                {site.Absolute($"/Organisation/Join?token={token}")}

                If you did not expect this, ignore this e-mail.
                """);
            return invitation.Id;
        }
    }

    public sealed record RevokeInvitation(Guid OrganisationId, string AdminId, Guid InvitationId) : ICommand<Unit>;

    internal sealed class RevokeInvitationHandler(MarketDb db, TimeProvider clock) : IRequestHandler<RevokeInvitation, Unit>
    {
        public async Task<Unit> Handle(RevokeInvitation request, CancellationToken ct)
        {
            await db.RequireOrganisationAdminAsync(request.OrganisationId, request.AdminId, ct);
            var invitation = await db.OrganisationInvitations.FirstOrDefaultAsync(i => i.Id == request.InvitationId && i.OrganisationId == request.OrganisationId, ct)
                ?? throw new DomainException("There is no such invitation.");
            invitation.Revoke(clock.GetUtcNow());
            return Unit.Value;
        }
    }

    public sealed record ChangeRole(Guid OrganisationId, string AdminId, string UserId, OrganisationRole Role) : ICommand<Unit>;

    internal sealed class ChangeRoleHandler(MarketDb db, Notifier notifier) : IRequestHandler<ChangeRole, Unit>
    {
        public async Task<Unit> Handle(ChangeRole request, CancellationToken ct)
        {
            await db.RequireOrganisationAdminAsync(request.OrganisationId, request.AdminId, ct);
            OrganisationRoster.EnsureCanChangeRole(await db.RosterAsync(request.OrganisationId, ct), request.UserId, request.Role);
            var member = await db.Users.FirstAsync(u => u.Id == request.UserId, ct);
            if (member.OrganisationRole == request.Role) return Unit.Value;
            // No new security stamp: that would sign the member out. Their cookie's claims are rebuilt from the
            // account at their next request (see IdentitySetup), role included.
            member.OrganisationRole = request.Role;
            var organisation = await db.Organisations.Where(o => o.Id == request.OrganisationId).Select(o => o.Name).FirstAsync(ct);
            await notifier.NotifyAsync(member.Id, NotificationKind.MembershipChanged, $"Your role in {organisation} changed",
                request.Role == OrganisationRole.Admin
                    ? $"You are now an admin of {organisation}: you can invite and remove members and manage API tokens."
                    : $"You are now a member of {organisation}; you no longer manage members or API tokens.", "/Organisation", ct);
            return Unit.Value;
        }
    }

    public sealed record RemoveMember(Guid OrganisationId, string ActingUserId, string UserId) : ICommand<Unit>;

    /// <summary>
    /// Removing (or leaving) takes the account out of the organisation at once: its cookie's claims are rebuilt at
    /// the next request, without the organisation. The organisation keeps everything it bought; the person keeps
    /// their account (and stays signed in, since they may also be a creator).
    /// </summary>
    internal sealed class RemoveMemberHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<RemoveMember, Unit>
    {
        public async Task<Unit> Handle(RemoveMember request, CancellationToken ct)
        {
            // Anyone may leave; only an admin may remove someone else.
            if (request.UserId != request.ActingUserId)
                await db.RequireOrganisationAdminAsync(request.OrganisationId, request.ActingUserId, ct);
            OrganisationRoster.EnsureCanRemove(await db.RosterAsync(request.OrganisationId, ct), request.ActingUserId, request.UserId);
            var member = await db.Users.FirstAsync(u => u.Id == request.UserId, ct);
            member.OrganisationId = null;
            member.OrganisationRole = null;
            // Tokens they made stop working with them (sign-in also checks the maker is still a member); revoking
            // them here records who ended them and when, on the tokens page.
            await Api.ApiTokens.RevokeCreatedByAsync(db, request.OrganisationId, request.UserId, request.ActingUserId, clock.GetUtcNow(), ct);
            var organisation = await db.Organisations.Where(o => o.Id == request.OrganisationId).Select(o => o.Name).FirstAsync(ct);
            if (request.UserId != request.ActingUserId)
                await notifier.NotifyAsync(member.Id, NotificationKind.MembershipChanged, $"You were removed from {organisation}",
                    $"An admin of {organisation} removed you from the organisation. Its bundles, licenses and downloads are no longer available to you.", null, ct);
            return Unit.Value;
        }
    }
}

public static class OrganisationQueries
{
    /// <summary>The caller, if they are an admin of the organisation now (the database, not the cookie, decides).</summary>
    public static async Task<MarketUser> RequireOrganisationAdminAsync(this MarketDb db, Guid organisationId, string userId, CancellationToken ct) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId && u.OrganisationId == organisationId && u.OrganisationRole == OrganisationRole.Admin, ct)
        ?? throw new DomainException("Only an admin of your organisation can do that.");

    /// <summary>
    /// The roster, read under a lock on the organisation row: two admins demoting or removing each other at the
    /// same moment are serialised, so the "keep one admin" rule sees the other's change and the last admin stays.
    /// </summary>
    public static async Task<IReadOnlyList<OrganisationRoster.Member>> RosterAsync(this MarketDb db, Guid organisationId, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"select 1 from market.organisations where \"Id\" = {organisationId} for update", ct);
        return await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId)
            .Select(u => new OrganisationRoster.Member(u.Id, u.OrganisationRole ?? OrganisationRole.Member))
            .ToListAsync(ct);
    }
}
