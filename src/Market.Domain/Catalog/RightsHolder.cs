namespace Market.Domain.Catalog;

public enum RightsHolderRole
{
    /// <summary>The author: made the work.</summary>
    Creator = 1,
    /// <summary>Owns the copyright without having made the work, e.g. a publisher or an agency.</summary>
    CopyrightOwner = 2,
    /// <summary>Shares in the rights alongside others, e.g. a co-author.</summary>
    CoOwner = 3,
}

public enum ShareStatus
{
    Pending = 1,
    Confirmed = 2,
    Refused = 3,
}

/// <summary>What the creator says about one rights holder when naming the work's holders.</summary>
/// <param name="IsCreatorAccount">The creator's own share: confirmed at once, paid to the creator's account.</param>
public sealed record RightsHolderSpec(string? Name, string? Email, RightsHolderRole Role, int SplitBasisPoints, bool IsCreatorAccount);

/// <summary>
/// One person or company with a share in a work's royalties. Everyone named must confirm their share (by
/// account or through an e-mailed link) before the work can be sold; a refusal keeps it off the market.
/// </summary>
public sealed class RightsHolder
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxReasonLength = 500;
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(30);

    private RightsHolder() { Name = null!; }

    internal RightsHolder(Guid id, Guid workId, string name, string? email, string? userId, RightsHolderRole role, int splitBasisPoints,
        ShareStatus status, DateTimeOffset now)
    {
        Id = id; WorkId = workId; Name = name; Email = email; UserId = userId; Role = role; SplitBasisPoints = splitBasisPoints;
        Status = status; RequestedAt = now;
        if (status == ShareStatus.Confirmed) RespondedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid WorkId { get; private set; }
    public string Name { get; private set; }
    public string? Email { get; private set; }
    /// <summary>The account the royalties go to, once known: the creator's, or the holder's when they confirm signed in.</summary>
    public string? UserId { get; private set; }
    public RightsHolderRole Role { get; private set; }
    public int SplitBasisPoints { get; private set; }
    public ShareStatus Status { get; private set; }
    /// <summary>SHA-256 of the single-use link token; the token itself is only ever in the e-mail.</summary>
    public string? TokenHash { get; private set; }
    public DateTimeOffset? TokenIssuedAt { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? RespondedAt { get; private set; }
    public string? RefusalReason { get; private set; }

    /// <summary>Who the ledger pays: the account when there is one, else this holder record (paid once they claim it).</summary>
    public string PayeeId => UserId ?? PayeeIdFor(Id);

    public static string PayeeIdFor(Guid holderId) => $"holder-{holderId:N}";

    public bool IsCreatorAccount(string creatorId) => UserId == creatorId && Email is null;

    /// <summary>Attaches a fresh link token (hashed) while the holder has not answered; an older link stops working.</summary>
    public void IssueLink(string tokenHash, DateTimeOffset now)
    {
        if (Status != ShareStatus.Pending) throw new DomainException($"{Name} has already answered.");
        TokenHash = tokenHash;
        TokenIssuedAt = now;
    }

    internal void Respond(bool confirm, string? userId, string? reason, DateTimeOffset now)
    {
        if (Status != ShareStatus.Pending)
            throw new DomainException($"This share was already {(Status == ShareStatus.Confirmed ? "confirmed" : "refused")}.");
        reason = reason?.Trim();
        if (reason is { Length: > MaxReasonLength }) throw new DomainException($"Keep the reason under {MaxReasonLength} characters.");
        Status = confirm ? ShareStatus.Confirmed : ShareStatus.Refused;
        RespondedAt = now;
        RefusalReason = confirm ? null : (string.IsNullOrEmpty(reason) ? null : reason);
        if (userId is not null) UserId = userId;
        // Single use: the link cannot answer twice, nor be replayed after a change.
        TokenHash = null;
    }

    internal bool SameShareAs(RightsHolderSpec spec, string? email) =>
        string.Equals(Email, email, StringComparison.OrdinalIgnoreCase) && Role == spec.Role && SplitBasisPoints == spec.SplitBasisPoints;

    internal void Rename(string name) => Name = name;
}
