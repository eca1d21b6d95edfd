namespace Market.Domain.Licensing;

/// <summary>A buyer organisation. Bundles, orders and licenses belong to it, not to the member who clicked.</summary>
public sealed class Organisation
{
    public const int MaxNameLength = 120;

    private Organisation() { Name = null!; }

    public static Organisation Create(Guid id, string? name, DateTimeOffset now)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) throw new DomainException("Enter your organisation's name.");
        if (name.Length > MaxNameLength) throw new DomainException($"The organisation name must be at most {MaxNameLength} characters.");
        return new Organisation { Id = id, Name = name, CreatedAt = now };
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>What a member may do for the organisation. Admins manage members and API tokens; both buy and download.</summary>
public enum OrganisationRole
{
    Member = 1,
    Admin = 2,
}

/// <summary>
/// The rules for changing who belongs to an organisation, decided over the current roster. The one rule that
/// matters most: an organisation never loses its last admin, or no one could invite, remove or revoke again.
/// </summary>
public static class OrganisationRoster
{
    public const int MaxMembers = 500;

    public sealed record Member(string UserId, OrganisationRole Role);

    public static void EnsureCanRemove(IReadOnlyCollection<Member> roster, string actingUserId, string userId)
    {
        var target = roster.FirstOrDefault(m => m.UserId == userId)
            ?? throw new DomainException("That person is not a member of your organisation.");
        if (target.Role == OrganisationRole.Admin && roster.Count(m => m.Role == OrganisationRole.Admin) == 1)
            throw new DomainException(target.UserId == actingUserId
                ? "You are the only admin. Make someone else an admin before you leave."
                : "The organisation must keep at least one admin.");
    }

    public static void EnsureCanChangeRole(IReadOnlyCollection<Member> roster, string userId, OrganisationRole newRole)
    {
        if (!Enum.IsDefined(newRole)) throw new DomainException("Choose member or admin.");
        var target = roster.FirstOrDefault(m => m.UserId == userId)
            ?? throw new DomainException("That person is not a member of your organisation.");
        if (target.Role == OrganisationRole.Admin && newRole != OrganisationRole.Admin
            && roster.Count(m => m.Role == OrganisationRole.Admin) == 1)
            throw new DomainException("The organisation must keep at least one admin.");
    }

    public static void EnsureRoomFor(int members, int pendingInvitations)
    {
        if (members + pendingInvitations >= MaxMembers)
            throw new DomainException($"An organisation has at most {MaxMembers} members, counting open invitations.");
    }
}
