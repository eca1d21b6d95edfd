using Market.Domain.Catalog;

namespace Market.Domain.Moderation;

public enum RegistrantState
{
    /// <summary>Applied; waiting for the e-mail check and then a moderator.</summary>
    Pending = 0,
    Approved = 1,
    Refused = 2,
}

/// <summary>
/// A rights holder who may put works in the protected-works registry — member of the marketplace or not: any
/// account, creator and buyer roles not needed. Two checks before their first entry: they prove they read the
/// e-mail address they applied with, then a moderator looks at who they say they are and their evidence.
/// </summary>
public sealed class Registrant
{
    public const int MaxNameLength = 200;
    public const int MaxOrganisationLength = 200;
    public const int MaxStatementLength = 4000;
    public const int MaxUrlLength = 500;
    public const int MaxNoteLength = 1000;

    private Registrant() { UserId = null!; LegalName = null!; Email = null!; Statement = null!; }

    public static Registrant Apply(string userId, string? legalName, string? email, string? organisation, string? statement, string? evidenceUrl, DateTimeOffset now)
    {
        legalName = legalName?.Trim();
        if (string.IsNullOrEmpty(legalName)) throw new DomainException("Give your legal name.");
        if (legalName.Length > MaxNameLength) throw new DomainException($"The name must be at most {MaxNameLength} characters.");
        var address = EmailAddresses.Normalise(email) ?? throw new DomainException("Give an e-mail address we can verify.");
        organisation = organisation?.Trim();
        if (organisation is { Length: > MaxOrganisationLength }) throw new DomainException($"The organisation must be at most {MaxOrganisationLength} characters.");
        statement = statement?.Trim();
        if (string.IsNullOrEmpty(statement)) throw new DomainException("Say which works you hold the rights to, and how.");
        if (statement.Length > MaxStatementLength) throw new DomainException($"The statement must be at most {MaxStatementLength} characters.");
        evidenceUrl = evidenceUrl?.Trim();
        if (string.IsNullOrEmpty(evidenceUrl)) evidenceUrl = null;
        // The link is shown to moderators as a link: only a plain web address, never javascript: or a relative path.
        if (evidenceUrl is not null && (evidenceUrl.Length > MaxUrlLength || !Uri.TryCreate(evidenceUrl, UriKind.Absolute, out var uri)
                                        || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
            throw new DomainException("The link to your evidence must be a web address starting with https://.");
        return new Registrant
        {
            Id = Guid.CreateVersion7(now), UserId = userId, LegalName = legalName, Email = address,
            Organisation = string.IsNullOrEmpty(organisation) ? null : organisation, Statement = statement, EvidenceUrl = evidenceUrl,
            AppliedAt = now, State = RegistrantState.Pending,
        };
    }

    public Guid Id { get; private set; }
    /// <summary>The account that applied and registers the works.</summary>
    public string UserId { get; private set; }
    public string LegalName { get; private set; }
    public string Email { get; private set; }
    public string? Organisation { get; private set; }
    public string Statement { get; private set; }
    public string? EvidenceUrl { get; private set; }
    public DateTimeOffset AppliedAt { get; private set; }
    public DateTimeOffset? EmailVerifiedAt { get; private set; }
    public RegistrantState State { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionNote { get; private set; }

    public bool EmailVerified => EmailVerifiedAt is not null;
    public bool CanRegister => State == RegistrantState.Approved;

    /// <summary>Proof they read <paramref name="email"/>: the account's confirmed address, or the signed link sent to it.</summary>
    public void VerifyEmail(string email, DateTimeOffset now)
    {
        if (!string.Equals(EmailAddresses.Normalise(email), Email, StringComparison.OrdinalIgnoreCase))
            throw new DomainException("This link was sent to another address than the one on the application.");
        EmailVerifiedAt ??= now;
    }

    public void Approve(string moderatorId, string? note, DateTimeOffset now)
    {
        EnsurePending();
        if (!EmailVerified) throw new DomainException("The applicant has not verified their e-mail address yet.");
        Decide(RegistrantState.Approved, moderatorId, note, now);
    }

    public void Refuse(string moderatorId, string? note, DateTimeOffset now)
    {
        EnsurePending();
        if (string.IsNullOrWhiteSpace(note)) throw new DomainException("Give the reason for refusing; the applicant is told it.");
        Decide(RegistrantState.Refused, moderatorId, note, now);
    }

    /// <summary>The guard every registration goes through.</summary>
    public void EnsureCanRegister()
    {
        if (State == RegistrantState.Refused) throw new DomainException("Your application to the registry was refused.");
        if (!EmailVerified) throw new DomainException("Verify your e-mail address first: open the link we sent you.");
        if (!CanRegister) throw new DomainException("A moderator has not approved your application yet.");
    }

    private void EnsurePending()
    {
        if (State != RegistrantState.Pending) throw new DomainException($"This application was {State.ToString().ToLowerInvariant()} already.");
    }

    private void Decide(RegistrantState state, string moderatorId, string? note, DateTimeOffset now)
    {
        note = note?.Trim();
        if (note is { Length: > MaxNoteLength }) throw new DomainException($"The note must be at most {MaxNoteLength} characters.");
        State = state;
        DecidedBy = moderatorId;
        DecidedAt = now;
        DecisionNote = string.IsNullOrEmpty(note) ? null : note;
    }
}
