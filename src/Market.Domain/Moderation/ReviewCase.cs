namespace Market.Domain.Moderation;

public enum ReviewCaseKind
{
    /// <summary>The upload matches another account's work.</summary>
    WorkMatch = 1,
    /// <summary>The upload matches an entry of the protected-works registry.</summary>
    ProtectedWorkMatch = 2,
    /// <summary>The file declares itself AI-generated and the platform asks a moderator to look (no target).</summary>
    DeclaredAiGenerated = 3,
}

public enum ReviewCaseState
{
    Open = 0,
    /// <summary>Not a copy: the match does not keep the work off the market.</summary>
    Cleared = 1,
    /// <summary>A copy: the work is refused.</summary>
    Confirmed = 2,
    /// <summary>Another case on the same work confirmed the theft first; this one needs no decision of its own.</summary>
    Closed = 3,
}

/// <summary>
/// One reason a quarantined upload is held: a match the scan found (the target, how far apart, which edit of the
/// upload matched) or an AI-generated declaration. A moderator decides it; the work is listed only once every case
/// on it is cleared, and refused as soon as one is confirmed. Decided cases stay, as the record.
/// </summary>
public sealed class ReviewCase
{
    public const int MaxNoteLength = 1000;
    public const int MaxEditLength = 200;

    private ReviewCase() { Edit = null!; }

    public static ReviewCase Open(Guid workId, CaseToOpen found, DateTimeOffset now)
    {
        if (found.Kind != ReviewCaseKind.DeclaredAiGenerated && found.TargetId is null)
            throw new ArgumentException("A match case needs its target.", nameof(found));
        return new ReviewCase
        {
            Id = Guid.CreateVersion7(now),
            WorkId = workId,
            Kind = found.Kind,
            TargetId = found.TargetId,
            Distance = found.Distance,
            Edit = found.Edit.Length > MaxEditLength ? found.Edit[..MaxEditLength] : found.Edit,
            OpenedAt = now,
            State = ReviewCaseState.Open,
        };
    }

    public Guid Id { get; private set; }
    public Guid WorkId { get; private set; }
    public ReviewCaseKind Kind { get; private set; }
    /// <summary>The matched work's or registry entry's id; null for an AI-generated declaration.</summary>
    public Guid? TargetId { get; private set; }
    public int? Distance { get; private set; }
    public string Edit { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public ReviewCaseState State { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? Note { get; private set; }

    public bool IsOpen => State == ReviewCaseState.Open;

    /// <summary>Not a copy. The note is optional: clearing tells the creator nothing but that the work is listed.</summary>
    public void Clear(string moderatorId, string? note, DateTimeOffset now) => Decide(ReviewCaseState.Cleared, moderatorId, note, now, noteRequired: false);

    /// <summary>A copy. The note is the reason the creator is told, so it is required.</summary>
    public void Confirm(string moderatorId, string? note, DateTimeOffset now) => Decide(ReviewCaseState.Confirmed, moderatorId, note, now, noteRequired: true);

    /// <summary>Closed because another case on the same work was confirmed.</summary>
    public void CloseWith(ReviewCase confirmed, string moderatorId, DateTimeOffset now)
    {
        if (!IsOpen) return;
        State = ReviewCaseState.Closed;
        DecidedBy = moderatorId;
        DecidedAt = now;
        Note = $"Closed: case {confirmed.Id} on the same work was confirmed.";
    }

    private void Decide(ReviewCaseState state, string moderatorId, string? note, DateTimeOffset now, bool noteRequired)
    {
        if (!IsOpen) throw new DomainException($"This case was decided already ({State.ToString().ToLowerInvariant()}).");
        note = note?.Trim();
        if (string.IsNullOrEmpty(note)) note = null;
        if (noteRequired && note is null)
            throw new DomainException("Give the reason for confirming the copy; the creator is told it.");
        if (note is { Length: > MaxNoteLength }) throw new DomainException($"The note must be at most {MaxNoteLength} characters.");
        State = state;
        DecidedBy = moderatorId;
        DecidedAt = now;
        Note = note;
    }
}
