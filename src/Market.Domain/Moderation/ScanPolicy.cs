using Market.Domain.Catalog;

namespace Market.Domain.Moderation;

/// <summary>What a detection finding points at: another account's work, or an entry of the protected-works registry.</summary>
public enum MatchTarget
{
    Work = 1,
    ProtectedWork = 2,
}

/// <summary>How the platform treats a work whose file declares it AI-generated (setting <c>Detection:AiGenerated</c>).</summary>
public enum AiGeneratedHandling
{
    /// <summary>List it, labelled when the creator confirmed it (the flag flow on upload).</summary>
    Label = 0,
    /// <summary>Quarantine it for a moderator to look at before it is listed.</summary>
    Review = 1,
    /// <summary>Refuse it.</summary>
    Refuse = 2,
}

/// <summary>The scanned work as the policy needs it.</summary>
/// <param name="AiGeneratedDeclared">The file's metadata declared it AI-generated (whatever the creator answered), or the creator confirmed it.</param>
public sealed record ScannedWork(Guid WorkId, string CreatorId, string Sha256, bool AiGeneratedDeclared);

/// <summary>A work or registry entry with the very same bytes (SHA-256).</summary>
/// <param name="TargetOwnerUserId">The work's creator or the entry's registrant; null only for data from outside (never today).</param>
/// <param name="TargetState">The matched work's state (null for a registry entry), so the message to the creator can say what it is.</param>
public sealed record ExactDuplicate(MatchTarget Kind, Guid TargetId, string? TargetOwnerUserId, string TargetTitle, WorkState? TargetState = null);

/// <summary>A work or registry entry whose perceptual hash is within the match threshold.</summary>
/// <param name="Distance">Bits apart, when the matcher measures one.</param>
/// <param name="Edit">Which edit of the upload matched (near-identical, mirrored, cropped, border, local features + rotated 5° …), for the moderator.</param>
public sealed record NearMatch(MatchTarget Kind, Guid TargetId, string? TargetOwnerUserId, int? Distance, string Edit);

public sealed record ScanFindings(IReadOnlyList<ExactDuplicate> Exact, IReadOnlyList<NearMatch> Near)
{
    public static ScanFindings None { get; } = new([], []);
}

public enum ScanOutcome
{
    Listed = 1,
    Quarantined = 2,
    Rejected = 3,
}

/// <summary>A review case the decision opens: one per match, and one for an AI-generated declaration under <see cref="AiGeneratedHandling.Review"/>.</summary>
public sealed record CaseToOpen(ReviewCaseKind Kind, Guid? TargetId, string? TargetOwnerUserId, int? Distance, string Edit);

/// <param name="Reason">For a rejection: what the creator is told.</param>
/// <param name="Notes">What was seen and deliberately let through (a near match to the creator's own work), for the audit trail.</param>
public sealed record ScanDecision(ScanOutcome Outcome, string? Reason, IReadOnlyList<CaseToOpen> Cases, IReadOnlyList<string> Notes);

/// <summary>
/// The upload scan's rule, kept apart from hashing and matching so that swapping the hash (PDQ) or the matcher
/// (the robust pipeline, the GPU index) cannot change what a match means. In order:
/// an exact copy of the creator's own live work is refused (they meant to upload it once); a refused AI-generated
/// declaration is refused; an exact or near copy of another account's work or of any registry entry is
/// quarantined with one review case each, never listed until a moderator clears them; an AI-generated declaration
/// under "review" is quarantined too; anything else is listed. A near match to the creator's own work is fine —
/// variants of one's own photograph are normal — and is only noted.
/// </summary>
public static class ScanPolicy
{
    public const string ExactEdit = "exact copy (same SHA-256)";

    public static ScanDecision Decide(ScannedWork work, ScanFindings findings, AiGeneratedHandling aiGenerated)
    {
        var notes = new List<string>();
        bool Own(string? owner) => owner is not null && owner == work.CreatorId;

        var ownExact = findings.Exact.FirstOrDefault(d => d.Kind == MatchTarget.Work && Own(d.TargetOwnerUserId) && d.TargetId != work.WorkId
            // A withdrawn work is meant to be uploaded again to be offered again.
            && d.TargetState != WorkState.Withdrawn);
        if (ownExact is not null)
            return new ScanDecision(ScanOutcome.Rejected, ownExact.TargetState switch
            {
                WorkState.TakenDown => $"This file is an exact copy of your work \"{ownExact.TargetTitle}\", which a moderator took down. It cannot be listed again.",
                WorkState.Listed => $"This file is an exact copy of your work \"{ownExact.TargetTitle}\", which is already listed.",
                _ => $"This file is an exact copy of your work \"{ownExact.TargetTitle}\", which you uploaded already. List that one instead.",
            }, [], notes);

        if (work.AiGeneratedDeclared && aiGenerated == AiGeneratedHandling.Refuse)
            return new ScanDecision(ScanOutcome.Rejected,
                "The file's metadata declares it AI-generated, and this marketplace does not accept AI-generated works.", [], notes);

        var cases = new List<CaseToOpen>();
        var seen = new HashSet<(MatchTarget, Guid)>();
        foreach (var d in findings.Exact)
        {
            if (d.TargetId == work.WorkId && d.Kind == MatchTarget.Work) continue;
            if (d.Kind == MatchTarget.Work && Own(d.TargetOwnerUserId)) continue;
            if (seen.Add((d.Kind, d.TargetId))) cases.Add(new CaseToOpen(KindOf(d.Kind), d.TargetId, d.TargetOwnerUserId, 0, ExactEdit));
        }
        // The closest match first, so a target found by several edits opens one case, on its best evidence.
        foreach (var m in findings.Near.OrderBy(m => m.Distance ?? int.MaxValue))
        {
            if (m.TargetId == work.WorkId && m.Kind == MatchTarget.Work) continue;
            if (m.Kind == MatchTarget.Work && Own(m.TargetOwnerUserId))
            {
                notes.Add($"Near match ({m.Distance?.ToString() ?? "?"} bits, {m.Edit}) to the creator's own work {m.TargetId}: allowed.");
                continue;
            }
            if (seen.Add((m.Kind, m.TargetId))) cases.Add(new CaseToOpen(KindOf(m.Kind), m.TargetId, m.TargetOwnerUserId, m.Distance, m.Edit));
        }
        if (work.AiGeneratedDeclared && aiGenerated == AiGeneratedHandling.Review)
            cases.Add(new CaseToOpen(ReviewCaseKind.DeclaredAiGenerated, null, null, null, "declared AI-generated in the file's metadata"));

        return cases.Count > 0
            ? new ScanDecision(ScanOutcome.Quarantined, null, cases, notes)
            : new ScanDecision(ScanOutcome.Listed, null, [], notes);
    }

    private static ReviewCaseKind KindOf(MatchTarget target) =>
        target == MatchTarget.Work ? ReviewCaseKind.WorkMatch : ReviewCaseKind.ProtectedWorkMatch;
}
