namespace Market.Domain.Moderation;

/// <summary>What an audit entry is about, so a moderator can list everything that happened to one thing.</summary>
public enum AuditSubject
{
    Work = 0,
    Claim = 1,
    ReviewCase = 2,
    Registrant = 3,
    ProtectedWork = 4,
    User = 5,
}

/// <summary>
/// One step of trust and safety work — a claim filed, a work quarantined, a case decided, a registrant verified,
/// a sanction applied — written in the same transaction as the change it describes, so the trail can never
/// say something happened that did not, or miss something that did. Entries are never changed or deleted
/// (the table refuses UPDATE and DELETE; see the migration): a correction is a further entry.
/// </summary>
public sealed class AuditEntry
{
    public const int MaxActionLength = 60;
    public const int MaxDetailLength = 2000;

    /// <summary>The actor of steps the system takes on its own (the upload scan, the nightly re-scan).</summary>
    public const string System = "system";

    private AuditEntry() { Action = null!; ActorId = null!; Detail = null!; }

    public AuditEntry(DateTimeOffset at, string actorId, string action, AuditSubject subject, Guid subjectId, Guid? workId, string detail)
    {
        if (string.IsNullOrWhiteSpace(actorId)) throw new ArgumentException("An audit entry needs an actor.", nameof(actorId));
        if (string.IsNullOrWhiteSpace(action) || action.Length > MaxActionLength)
            throw new ArgumentException($"An audit action is 1–{MaxActionLength} characters.", nameof(action));
        Id = Guid.CreateVersion7(at);
        At = at;
        ActorId = actorId;
        Action = action;
        Subject = subject;
        SubjectId = subjectId;
        WorkId = workId;
        Detail = detail.Length > MaxDetailLength ? detail[..MaxDetailLength] : detail;
    }

    public Guid Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary>The user id of whoever acted, or <see cref="System"/>.</summary>
    public string ActorId { get; private set; }
    /// <summary>A dotted verb, e.g. <c>claim.filed</c>, <c>case.upheld</c>, <c>work.quarantined</c>.</summary>
    public string Action { get; private set; }
    public AuditSubject Subject { get; private set; }
    public Guid SubjectId { get; private set; }
    /// <summary>The work concerned, when there is one, so a work's whole history is one indexed query.</summary>
    public Guid? WorkId { get; private set; }
    public string Detail { get; private set; }
}
