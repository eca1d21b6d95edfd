using Market.Domain.Catalog;

namespace Market.Domain.Licensing;

/// <summary>
/// An admin's invitation for someone to join the organisation. The link's token exists only in the e-mail;
/// we keep its SHA-256. It works once, for the address it was sent to, for <see cref="Lifetime"/>.
/// </summary>
public sealed class OrganisationInvitation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private OrganisationInvitation() { Email = null!; TokenHash = null!; InvitedByUserId = null!; }

    public static OrganisationInvitation Issue(Guid id, Guid organisationId, string? email, OrganisationRole role, string tokenHash,
        string invitedByUserId, DateTimeOffset now)
    {
        // Addresses are compared without case: Identity treats them so, and people type them both ways.
        var address = EmailAddresses.Normalise(email)?.ToLowerInvariant()
            ?? throw new DomainException("Enter a valid e-mail address for the person you are inviting.");
        if (!Enum.IsDefined(role)) throw new DomainException("Choose member or admin.");
        return new OrganisationInvitation
        {
            Id = id, OrganisationId = organisationId, Email = address, Role = role, TokenHash = tokenHash,
            InvitedByUserId = invitedByUserId, CreatedAt = now, ExpiresAt = now + Lifetime,
        };
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Email { get; private set; }
    public OrganisationRole Role { get; private set; }
    public string TokenHash { get; private set; }
    public string InvitedByUserId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public string? AcceptedByUserId { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsOpen(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && now < ExpiresAt;

    /// <summary>
    /// Accepts for an account on the invited address. Holding the token proves the person reads that mailbox, so
    /// the address need not have been confirmed before. An account already in an organisation cannot be moved by
    /// a link: its bundles and the orders it placed would silently change hands.
    /// </summary>
    public void Accept(string userId, string? accountEmail, Guid? currentOrganisationId, DateTimeOffset now)
    {
        EnsureOpen(now);
        if (!string.Equals(EmailAddresses.Normalise(accountEmail), Email, StringComparison.OrdinalIgnoreCase))
            throw new DomainException($"This invitation was sent to {Email}. Sign in with that address to accept it.");
        if (currentOrganisationId == OrganisationId)
            throw new DomainException("You are already a member of this organisation.");
        if (currentOrganisationId is not null)
            throw new DomainException("Your account already belongs to another organisation. Leave it first, or sign up with another account.");
        AcceptedAt = now;
        AcceptedByUserId = userId;
    }

    public void Revoke(DateTimeOffset now)
    {
        if (AcceptedAt is not null) throw new DomainException("That invitation was accepted already; remove the member instead.");
        if (RevokedAt is not null) return;
        RevokedAt = now;
    }

    private void EnsureOpen(DateTimeOffset now)
    {
        if (RevokedAt is not null) throw new DomainException("This invitation was withdrawn. Ask your organisation's admin for a new one.");
        if (AcceptedAt is not null) throw new DomainException("This invitation has been used already.");
        if (now >= ExpiresAt) throw new DomainException("This invitation has expired. Ask your organisation's admin for a new one.");
    }
}
