namespace Market.Web.Notifications;

/// <summary>What a notification is about; each user chooses per kind whether it also comes by e-mail.</summary>
public enum NotificationKind
{
    ShareConfirmationRequested = 1,
    ShareAnswered = 2,
    LicenseSold = 3,
    TrainingRunReported = 4,
    LicenseExpiring = 5,
    LicenseExpired = 6,
    WorkFlagged = 7,
    ClaimFiled = 8,
    ConsentWithdrawn = 9,
    WorkScanned = 10,
    AttestationOverdue = 11,
    WorkRecalled = 12,
    WorkTakenDown = 13,
    DeletionAttested = 14,
    // 20+: organisations and bundles (lower numbers are left for licensing and detection kinds).
    MembershipChanged = 20,
    BundleShared = 21,
    // 30+: payouts.
    PayoutSent = 30,
    PayoutFailed = 31,
    // 40+: the royalty ledger.
    SaleRefunded = 40,
    // 60+: ownership claims (ClaimFiled, above, tells the uploader a claim was filed).
    ClaimReceived = 60,
    ClaimDecided = 61,
    ClaimAnswered = 62,
    SanctionApplied = 63,
    // 50+: the review queue and the protected-works registry.
    ReviewDecided = 50,
    CopyRefused = 51,
    RegistrantDecided = 52,
}

/// <summary>A message shown in the site to one user; e-mailed too unless they opted out of its kind.</summary>
public sealed class Notification
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 2000;

    public required Guid Id { get; init; }
    public required string UserId { get; init; }
    public required NotificationKind Kind { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    /// <summary>A path inside the site ("/Works/Details/…"), never an absolute URL, so it cannot point elsewhere.</summary>
    public string? Link { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; set; }

    public static string Describe(NotificationKind kind) => kind switch
    {
        NotificationKind.ShareConfirmationRequested => "Someone names you as a rights holder and asks you to confirm your share",
        NotificationKind.ShareAnswered => "A rights holder confirms or refuses their share of your work",
        NotificationKind.LicenseSold => "A license on your work is sold",
        NotificationKind.TrainingRunReported => "A buyer reports a training run that used your work",
        NotificationKind.LicenseExpiring => "A license is about to expire",
        NotificationKind.LicenseExpired => "A license has expired",
        NotificationKind.WorkFlagged => "One of your works is flagged and needs your answer",
        NotificationKind.ClaimFiled => "A claim is filed about one of your works",
        NotificationKind.ConsentWithdrawn => "A creator withdraws consent for a work your organisation licensed",
        NotificationKind.WorkScanned => "Your submitted work is listed, or refused by the checks",
        NotificationKind.AttestationOverdue => "A deletion attestation is overdue (your organisation's, or any, for marketplace admins)",
        NotificationKind.WorkRecalled => "A work your organisation licensed is taken down and recalled",
        NotificationKind.WorkTakenDown => "A moderator takes down a work you created or hold rights in",
        NotificationKind.DeletionAttested => "A licensee attests that it deleted your work's data at the end of a license",
        NotificationKind.MembershipChanged => "You join or leave an organisation, or your role in it changes",
        NotificationKind.BundleShared => "A colleague shares a bundle with your organisation",
        NotificationKind.PayoutSent => "A payout is sent to your payout account",
        NotificationKind.PayoutFailed => "A payout to you fails and the money returns to your balance",
        NotificationKind.SaleRefunded => "A sale of your work is refunded or charged back",
        NotificationKind.ClaimReceived => "A claim you filed is received and the work is held",
        NotificationKind.ClaimDecided => "A claim you filed, or one about your work, is decided or closed",
        NotificationKind.ClaimAnswered => "The uploader answers a claim you filed",
        NotificationKind.SanctionApplied => "A sanction is applied to your account after an upheld claim",
        NotificationKind.ReviewDecided => "A moderator decides on your work held for review",
        NotificationKind.CopyRefused => "A copy of your work or registry entry is refused by a moderator",
        NotificationKind.RegistrantDecided => "A moderator decides on your application to the protected-works registry",
        _ => kind.ToString(),
    };
}

/// <summary>A user's "don't e-mail me about this": the in-site notification still appears.</summary>
public sealed class EmailOptOut
{
    public required string UserId { get; init; }
    public required NotificationKind Kind { get; init; }
}

/// <summary>
/// An e-mail waiting to go out, written in the same transaction as the change it reports, so a rolled-back
/// command sends nothing and a committed one cannot lose its e-mail to a crash. <see cref="SendEmailJob"/> sends it.
/// </summary>
public sealed class OutboxEmail
{
    public required Guid Id { get; init; }
    public required string To { get; init; }
    public string? ToName { get; init; }
    public required string Subject { get; init; }
    public required string TextBody { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
