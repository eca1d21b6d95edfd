using Market.Domain.Catalog;

namespace Market.Domain.Moderation;

public enum ClaimState
{
    /// <summary>Filed; the work and its royalties are held until a moderator decides.</summary>
    Open = 0,
    /// <summary>The claimant proved they own the work: it was taken down and its royalties go to them.</summary>
    Upheld = 1,
    /// <summary>Not proven: the hold is released (unless another claim still holds the work).</summary>
    Rejected = 2,
    /// <summary>The claimant took it back before a decision.</summary>
    Withdrawn = 3,
    /// <summary>
    /// Closed without a decision on its merits because another claim on the same work was upheld first: the work
    /// is gone and its royalties already belong to that owner, so there is nothing left for this one to win.
    /// </summary>
    Superseded = 4,
}

/// <summary>What a claimant attached: a file kept in the file store (image or PDF), checked by its bytes.</summary>
public sealed record ClaimEvidenceFile(string StorageKey, string FileName, string ContentType, long ByteSize);

/// <summary>
/// Someone says a listed work is theirs. While it is open the work is off the market and its royalties are held;
/// a moderator upholds it (the work is taken down and its royalties, held and future, go to the claimant) or
/// rejects it. Every step is written to the audit trail by the handlers, in the same transaction.
/// </summary>
public sealed class Claim
{
    public const int MaxStatementLength = 4000;
    public const int MinStatementLength = 20;
    public const int MaxEvidenceTextLength = 8000;
    public const int MaxEvidenceUrls = 10;
    public const int MaxUrlLength = 2000;
    // The takedown reason (at most Work.MaxTakedownReasonLength) quotes it after a short prefix.
    public const int MaxReasonLength = 400;
    public const int MaxCounterStatementLength = 4000;

    private Claim() { ClaimantId = null!; UploaderId = null!; Statement = null!; EvidenceText = null!; EvidenceUrls = null!; }

    /// <summary>
    /// A new claim. <paramref name="holdId"/> is the claim id the work's royalties are held under in the ledger:
    /// this claim's own id when it is the one that holds the work, or the id of the earlier open claim that
    /// already holds it (a work is held once, whoever else claims it).
    /// </summary>
    public static Claim File(Guid id, Work work, string claimantId, string? statement, string? evidenceText, IEnumerable<string> evidenceUrls,
        ClaimEvidenceFile? evidenceFile, IReadOnlyCollection<Claim> openClaimsOnWork, DateTimeOffset now)
    {
        if (work.IsOwnedBy(claimantId)) throw new DomainException("You listed this work yourself; you cannot claim it.");
        // Only works on the market (or already held by another claim) can be claimed: a draft or refused work is
        // sold to no one, and a taken-down one has already been decided.
        if (work.State is not (WorkState.Listed or WorkState.Held))
            throw new DomainException("Only works listed in the catalog can be claimed.");
        if (openClaimsOnWork.Any(c => c.WorkId != work.Id || c.State != ClaimState.Open))
            throw new ArgumentException("Pass the work's open claims only.", nameof(openClaimsOnWork));
        if (openClaimsOnWork.Any(c => c.ClaimantId == claimantId))
            throw new DomainException("You already have an open claim on this work; add to it rather than filing another.");
        statement = statement?.Trim() ?? "";
        if (statement.Length < MinStatementLength)
            throw new DomainException($"Say in at least {MinStatementLength} characters why the work is yours.");
        if (statement.Length > MaxStatementLength) throw new DomainException($"The statement must be at most {MaxStatementLength} characters.");
        evidenceText = evidenceText?.Trim() ?? "";
        if (evidenceText.Length > MaxEvidenceTextLength) throw new DomainException($"The evidence text must be at most {MaxEvidenceTextLength} characters.");
        var urls = ValidUrls(evidenceUrls);
        if (evidenceText.Length == 0 && urls.Count == 0 && evidenceFile is null)
            throw new DomainException("Give some evidence: a description, links to where the work was first published, or a file.");
        var holder = openClaimsOnWork.OrderBy(c => c.FiledAt).FirstOrDefault();
        return new Claim
        {
            Id = id, WorkId = work.Id, ClaimantId = claimantId, UploaderId = work.CreatorId, Statement = statement,
            EvidenceText = evidenceText, EvidenceUrls = urls, EvidenceFile = evidenceFile, State = ClaimState.Open, FiledAt = now,
            HoldId = holder?.HoldId ?? id,
        };
    }

    /// <summary>Each line one link; only absolute http(s) links, so nothing like <c>javascript:</c> is ever shown as a link.</summary>
    public static List<string> ValidUrls(IEnumerable<string> urls)
    {
        var result = new List<string>();
        foreach (var raw in urls)
        {
            var text = raw.Trim();
            if (text.Length == 0) continue;
            if (text.Length > MaxUrlLength) throw new DomainException($"A link must be at most {MaxUrlLength} characters.");
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(uri.Host))
                throw new DomainException($"\"{(text.Length > 60 ? text[..60] + "…" : text)}\" is not a web address (http:// or https://).");
            if (!result.Contains(uri.AbsoluteUri)) result.Add(uri.AbsoluteUri);
        }
        if (result.Count > MaxEvidenceUrls) throw new DomainException($"Give at most {MaxEvidenceUrls} links.");
        return result;
    }

    public Guid Id { get; private set; }
    public Guid WorkId { get; private set; }
    public string ClaimantId { get; private set; }
    /// <summary>Who listed the work, copied at filing: the party the claim is against.</summary>
    public string UploaderId { get; private set; }
    public string Statement { get; private set; }
    public string EvidenceText { get; private set; }
    public List<string> EvidenceUrls { get; private set; }
    public ClaimEvidenceFile? EvidenceFile { get; private set; }
    public ClaimState State { get; private set; }
    /// <summary>The claim id the work's royalties are held under in the ledger (see <see cref="File"/>).</summary>
    public Guid HoldId { get; private set; }
    public DateTimeOffset FiledAt { get; private set; }
    public string? CounterStatement { get; private set; }
    public DateTimeOffset? CounterStatementAt { get; private set; }
    public string? DecidedByUserId { get; private set; }
    public string? DecisionReason { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    public bool IsOpen => State == ClaimState.Open;

    /// <summary>The uploader answers before the decision; a later answer replaces the earlier one (both are audited).</summary>
    public void Counter(string userId, string? statement, DateTimeOffset now)
    {
        if (userId != UploaderId) throw new DomainException("Only the person who listed the work can answer this claim.");
        EnsureOpen();
        statement = statement?.Trim() ?? "";
        if (statement.Length == 0) throw new DomainException("Write your answer to the claim.");
        if (statement.Length > MaxCounterStatementLength) throw new DomainException($"The answer must be at most {MaxCounterStatementLength} characters.");
        CounterStatement = statement;
        CounterStatementAt = now;
    }

    public void Uphold(string moderatorId, string? reason, DateTimeOffset now) => Decide(ClaimState.Upheld, moderatorId, reason, now);

    public void Reject(string moderatorId, string? reason, DateTimeOffset now) => Decide(ClaimState.Rejected, moderatorId, reason, now);

    public void Withdraw(string userId, DateTimeOffset now)
    {
        if (userId != ClaimantId) throw new DomainException("Only the claimant can withdraw a claim.");
        EnsureOpen();
        State = ClaimState.Withdrawn;
        DecidedAt = now;
        DecidedByUserId = userId;
    }

    /// <summary>Another claim on the same work was upheld; this one is closed with that as its reason.</summary>
    public void Supersede(Claim upheld, DateTimeOffset now)
    {
        if (upheld.WorkId != WorkId || upheld.State != ClaimState.Upheld || upheld.Id == Id)
            throw new ArgumentException("Only another upheld claim on the same work supersedes a claim.", nameof(upheld));
        EnsureOpen();
        State = ClaimState.Superseded;
        DecidedAt = now;
        DecidedByUserId = upheld.DecidedByUserId;
        DecisionReason = "Another claim on this work was upheld first: the work was taken down and its royalties go to that owner.";
    }

    private void Decide(ClaimState outcome, string moderatorId, string? reason, DateTimeOffset now)
    {
        EnsureOpen();
        if (moderatorId == ClaimantId || moderatorId == UploaderId)
            throw new DomainException("You are a party to this claim; another moderator must decide it.");
        reason = reason?.Trim() ?? "";
        if (reason.Length == 0) throw new DomainException("Give the reason for the decision; both parties are told it.");
        if (reason.Length > MaxReasonLength) throw new DomainException($"The reason must be at most {MaxReasonLength} characters.");
        State = outcome;
        DecidedByUserId = moderatorId;
        DecisionReason = reason;
        DecidedAt = now;
    }

    private void EnsureOpen()
    {
        if (State != ClaimState.Open) throw new DomainException($"This claim is already {State.ToString().ToLowerInvariant()}.");
    }
}
