using Market.Domain.Licensing;
using static Market.Domain.Tests.TestWorks;
using Member = Market.Domain.Licensing.OrganisationRoster.Member;

namespace Market.Domain.Tests.Licensing;

public class OrganisationRosterTests
{
    private static readonly Member Ann = new("ann", OrganisationRole.Admin);
    private static readonly Member Ben = new("ben", OrganisationRole.Member);
    private static readonly Member Cy = new("cy", OrganisationRole.Admin);

    [Fact]
    public void The_only_admin_cannot_leave_or_be_removed()
    {
        Should.Throw<DomainException>(() => OrganisationRoster.EnsureCanRemove([Ann, Ben], "ann", "ann")).Message.ShouldContain("only admin");
        Should.Throw<DomainException>(() => OrganisationRoster.EnsureCanRemove([Ann, Ben], "ben", "ann")).Message.ShouldContain("at least one admin");
    }

    [Fact]
    public void An_admin_can_go_when_another_admin_stays()
    {
        OrganisationRoster.EnsureCanRemove([Ann, Ben, Cy], "cy", "ann");
        OrganisationRoster.EnsureCanRemove([Ann, Ben], "ann", "ben");
    }

    [Fact]
    public void The_only_admin_cannot_be_demoted_but_can_be_while_another_admin_remains()
    {
        Should.Throw<DomainException>(() => OrganisationRoster.EnsureCanChangeRole([Ann, Ben], "ann", OrganisationRole.Member));
        OrganisationRoster.EnsureCanChangeRole([Ann, Ben, Cy], "ann", OrganisationRole.Member);
        OrganisationRoster.EnsureCanChangeRole([Ann, Ben], "ben", OrganisationRole.Admin);
    }

    [Fact]
    public void Someone_outside_the_roster_or_an_unknown_role_is_refused()
    {
        Should.Throw<DomainException>(() => OrganisationRoster.EnsureCanRemove([Ann, Ben], "ann", "stranger")).Message.ShouldContain("not a member");
        Should.Throw<DomainException>(() => OrganisationRoster.EnsureCanChangeRole([Ann, Ben], "stranger", OrganisationRole.Admin));
        Should.Throw<DomainException>(() => OrganisationRoster.EnsureCanChangeRole([Ann, Ben], "ben", (OrganisationRole)99));
    }

    [Fact]
    public void Open_invitations_count_towards_the_member_limit()
    {
        OrganisationRoster.EnsureRoomFor(OrganisationRoster.MaxMembers - 2, 1);
        Should.Throw<DomainException>(() => OrganisationRoster.EnsureRoomFor(OrganisationRoster.MaxMembers - 2, 2));
    }
}

public class OrganisationInvitationTests
{
    private static readonly Guid Org = Guid.NewGuid();

    private static OrganisationInvitation Invite(string email = "Dana@Lab.example", OrganisationRole role = OrganisationRole.Member) =>
        OrganisationInvitation.Issue(Guid.NewGuid(), Org, email, role, new string('a', 64), "admin-1", Now);

    [Fact]
    public void The_address_is_kept_trimmed_and_lower_case_and_the_link_lasts_a_week()
    {
        var invitation = Invite("  Dana@Lab.example ");
        invitation.Email.ShouldBe("dana@lab.example");
        invitation.ExpiresAt.ShouldBe(Now.AddDays(7));
        invitation.IsOpen(Now.AddDays(7).AddTicks(-1)).ShouldBeTrue();
        invitation.IsOpen(Now.AddDays(7)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("Dana <dana@lab.example>")]
    public void A_bad_address_is_refused(string? email) =>
        Should.Throw<DomainException>(() => Invite(email!)).Message.ShouldContain("e-mail address");

    [Fact]
    public void An_unknown_role_is_refused() =>
        Should.Throw<DomainException>(() => Invite(role: (OrganisationRole)7));

    [Fact]
    public void The_invited_address_accepts_once_whatever_its_case()
    {
        var invitation = Invite();
        invitation.Accept("user-9", "DANA@lab.example", null, Now.AddDays(1));
        invitation.AcceptedByUserId.ShouldBe("user-9");
        invitation.AcceptedAt.ShouldBe(Now.AddDays(1));
        Should.Throw<DomainException>(() => invitation.Accept("user-9", "dana@lab.example", null, Now.AddDays(1))).Message.ShouldContain("used already");
    }

    [Fact]
    public void Another_address_cannot_accept()
    {
        var invitation = Invite();
        Should.Throw<DomainException>(() => invitation.Accept("user-9", "mallory@lab.example", null, Now)).Message.ShouldContain("dana@lab.example");
        invitation.AcceptedAt.ShouldBeNull();
    }

    [Fact]
    public void An_account_in_another_organisation_is_not_moved_by_a_link()
    {
        var invitation = Invite();
        Should.Throw<DomainException>(() => invitation.Accept("user-9", "dana@lab.example", Guid.NewGuid(), Now)).Message.ShouldContain("another organisation");
        Should.Throw<DomainException>(() => invitation.Accept("user-9", "dana@lab.example", Org, Now)).Message.ShouldContain("already a member");
        invitation.AcceptedAt.ShouldBeNull();
    }

    [Fact]
    public void An_expired_or_withdrawn_invitation_cannot_be_accepted()
    {
        Should.Throw<DomainException>(() => Invite().Accept("u", "dana@lab.example", null, Now.AddDays(8))).Message.ShouldContain("expired");
        var withdrawn = Invite();
        withdrawn.Revoke(Now);
        Should.Throw<DomainException>(() => withdrawn.Accept("u", "dana@lab.example", null, Now)).Message.ShouldContain("withdrawn");
    }

    [Fact]
    public void An_accepted_invitation_cannot_be_withdrawn()
    {
        var invitation = Invite();
        invitation.Accept("u", "dana@lab.example", null, Now);
        Should.Throw<DomainException>(() => invitation.Revoke(Now)).Message.ShouldContain("remove the member");
    }
}
