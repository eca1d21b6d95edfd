namespace Market.Domain.Moderation;

public enum SanctionKind
{
    /// <summary>A strike on record and a warning; nothing is blocked.</summary>
    Warning = 0,
    /// <summary>No uploads until <see cref="Sanction.UploadsBlockedUntil"/>.</summary>
    UploadsSuspended = 1,
    /// <summary>No uploads, ever (an administrator's appeal aside).</summary>
    UploadsBlocked = 2,
}

/// <summary>
/// What an upheld theft claim did to the account that listed the work. One record per upheld claim, naming it,
/// so a moderator sees every strike with its cause, and an appeal can point at the exact claim.
/// </summary>
public sealed class Sanction
{
    private Sanction() { UserId = null!; Explanation = null!; }

    public Sanction(Guid id, string userId, Guid claimId, int strike, SanctionKind kind, DateTimeOffset? uploadsBlockedUntil, string explanation, DateTimeOffset at)
    {
        Id = id; UserId = userId; ClaimId = claimId; Strike = strike; Kind = kind; UploadsBlockedUntil = uploadsBlockedUntil; Explanation = explanation; At = at;
    }

    public Guid Id { get; private set; }
    public string UserId { get; private set; }
    public Guid ClaimId { get; private set; }
    /// <summary>1 for the account's first upheld claim, 2 for the second, …</summary>
    public int Strike { get; private set; }
    public SanctionKind Kind { get; private set; }
    /// <summary>Set for a suspension; null for a warning and for a permanent block.</summary>
    public DateTimeOffset? UploadsBlockedUntil { get; private set; }
    public string Explanation { get; private set; }
    public DateTimeOffset At { get; private set; }

    public bool BlocksUploadsAt(DateTimeOffset now) => Kind switch
    {
        SanctionKind.UploadsBlocked => true,
        SanctionKind.UploadsSuspended => UploadsBlockedUntil > now,
        _ => false,
    };
}

/// <summary>
/// The sanction ladder for upheld theft claims against the account that listed the work.
/// <list type="number">
/// <item>First strike: a warning. One mistaken upload (a file bought from a stock site whose license did not
/// allow resale, a co-author dispute) should not end an account; the lost royalties and the takedown are already
/// the consequence, and the strike makes a second one count.</item>
/// <item>Second strike: uploads suspended for 90 days. A pattern has started; the pause stops further listings
/// while the uploader's other works are re-checked, and is long enough to matter but not final.</item>
/// <item>Third strike and beyond: uploads blocked permanently. Three proven thefts is a business model, not an
/// accident. The account's other works are <i>not</i> delisted automatically: each was not proven stolen, and
/// taking them down would recall licenses and hurt co-holders on a suspicion; the re-check of the uploader's
/// works (detection) and further claims deal with them one by one.</item>
/// </list>
/// Strikes never expire: the marketplace is young and has no basis yet for choosing a period.
/// </summary>
public static class SanctionLadder
{
    public static readonly TimeSpan Suspension = TimeSpan.FromDays(90);

    /// <param name="earlierStrikes">How many upheld claims against the account were sanctioned before this one.</param>
    public static Sanction For(Guid id, string uploaderId, Guid claimId, int earlierStrikes, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(earlierStrikes);
        var strike = earlierStrikes + 1;
        return strike switch
        {
            1 => new Sanction(id, uploaderId, claimId, strike, SanctionKind.Warning, null,
                "Warning: a claim that you listed someone else's work was upheld. This is your first strike; a second suspends your uploads for 90 days.", now),
            2 => new Sanction(id, uploaderId, claimId, strike, SanctionKind.UploadsSuspended, now + Suspension,
                $"Second strike: your uploads are suspended for 90 days, until {(now + Suspension):yyyy-MM-dd}. A third strike blocks them permanently.", now),
            _ => new Sanction(id, uploaderId, claimId, strike, SanctionKind.UploadsBlocked, null,
                $"Strike {strike}: your uploads are blocked permanently.", now),
        };
    }

    /// <summary>The message an upload gets while a sanction blocks it, or null when the account may upload.</summary>
    public static string? UploadRefusal(IEnumerable<Sanction> sanctions, DateTimeOffset now)
    {
        var blocking = sanctions.Where(s => s.BlocksUploadsAt(now)).ToList();
        if (blocking.Any(s => s.Kind == SanctionKind.UploadsBlocked))
            return "Your uploads are blocked permanently because claims that you listed other people's works were upheld.";
        var until = blocking.Select(s => s.UploadsBlockedUntil).Max();
        return until is { } u
            ? $"Your uploads are suspended until {u:yyyy-MM-dd HH:mm} UTC because claims that you listed other people's works were upheld."
            : null;
    }
}
