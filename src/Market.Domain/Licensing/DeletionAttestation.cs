namespace Market.Domain.Licensing;

/// <summary>What the signer fills in on the attestation form, as typed.</summary>
/// <param name="SignerName">The signer's full name, typed: the signature.</param>
/// <param name="SignerTitle">Their role or title in the organisation, so the creator can see who vouches for it.</param>
/// <param name="DataDeleted">The data was deleted from all storage, backups included.</param>
/// <param name="ModelsDestroyedOrRetrained">Every model trained on the data was destroyed or retrained without it.</param>
/// <param name="NoModelsTrained">No model was trained on the data (the honest alternative to the box above).</param>
/// <param name="Statement">What was deleted or destroyed, and where, in the signer's words.</param>
/// <param name="DoneOn">The day the deletion was completed.</param>
/// <param name="EarlyReason">Why the data was deleted before the items ended, when it was.</param>
public sealed record AttestationForm(
    string? SignerName, string? SignerTitle, bool DataDeleted, bool ModelsDestroyedOrRetrained, bool NoModelsTrained,
    string? Statement, DateOnly? DoneOn, string? EarlyReason);

/// <summary>
/// An organisation's signed statement that it deleted the data of some license items (and destroyed or retrained
/// the models, when the terms say so). It covers one group of items ending together, or taken down together; it
/// is the creators' evidence that the duty after the term was honoured, so once signed nothing about it changes.
/// </summary>
public sealed class DeletionAttestation
{
    public const int MaxNameLength = 200;
    public const int MaxTitleLength = 120;
    public const int MaxStatementLength = 4000;
    public const int MaxEarlyReasonLength = 1000;
    public const int MaxUserAgentLength = 400;

    private readonly List<AttestedItem> _items = [];

    private DeletionAttestation() { SignedByUserId = null!; SignerName = null!; SignerTitle = null!; Statement = null!; }

    /// <summary>
    /// Signs for every item of <paramref name="obligation"/> not attested yet. Deleting before the items end is
    /// allowed (an organisation that stops using the data should not have to keep it to the end) but must be
    /// deliberate: a deletion dated before the end needs a stated reason, and signing early ends the organisation's
    /// access to those items.
    /// </summary>
    /// <param name="trainingRunsReported">Training runs reported on the license: with any, "no model was trained" is not credible.</param>
    public static DeletionAttestation Sign(Guid id, Obligation obligation, Guid organisationId, DateTimeOffset licenseIssuedAt, string userId,
        AttestationForm form, int trainingRunsReported, string? remoteAddress, string? userAgent, DateTimeOffset now)
    {
        var open = obligation.OpenItems;
        if (open.Count == 0) throw new DomainException("These items have been attested already.");

        var name = Collapse(form.SignerName);
        if (name.Length < 2) throw new DomainException("Type your full name to sign the attestation.");
        if (name.Length > MaxNameLength) throw new DomainException($"Your name must be at most {MaxNameLength} characters.");
        var title = Collapse(form.SignerTitle);
        if (title.Length == 0) throw new DomainException("Give your role or title in the organisation.");
        if (title.Length > MaxTitleLength) throw new DomainException($"Your role or title must be at most {MaxTitleLength} characters.");

        if (!form.DataDeleted)
            throw new DomainException("Confirm that the data has been deleted from all storage, backups included. Do not sign until it has been.");
        if (form.ModelsDestroyedOrRetrained && form.NoModelsTrained)
            throw new DomainException("Tick one of the two: the models were destroyed or retrained, or no model was trained on the data.");
        if (form.NoModelsTrained && trainingRunsReported > 0)
            throw new DomainException(
                $"{trainingRunsReported} training run{(trainingRunsReported == 1 ? " was" : "s were")} reported on this license, so models were trained on its data. " +
                "Confirm what became of them instead.");
        if (obligation.Duty == ExpiryDuty.DestroyOrRetrainModels && !form.ModelsDestroyedOrRetrained && !form.NoModelsTrained)
            throw new DomainException(
                "The license requires every model trained on this data to be destroyed or retrained without it: confirm that this was done, " +
                "or that no model was trained on it.");

        var statement = form.Statement?.Trim() ?? "";
        if (statement.Length == 0) throw new DomainException("Describe what was deleted or destroyed, and where.");
        if (statement.Length > MaxStatementLength) throw new DomainException($"The description must be at most {MaxStatementLength} characters.");

        if (form.DoneOn is not { } doneOn) throw new DomainException("Give the date the deletion was completed.");
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (doneOn > today) throw new DomainException("The deletion date is in the future. Sign once the deletion is done.");
        var issued = DateOnly.FromDateTime(licenseIssuedAt.UtcDateTime);
        if (doneOn < issued)
            throw new DomainException($"The license was issued on {issued:yyyy-MM-dd}; a deletion before that cannot have been of its data.");

        var endDay = DateOnly.FromDateTime(obligation.EndsAt.UtcDateTime);
        var early = doneOn < endDay || now < obligation.EndsAt;
        var reason = form.EarlyReason?.Trim();
        if (early && string.IsNullOrEmpty(reason))
            throw new DomainException(
                $"These items run until {endDay:yyyy-MM-dd}. To attest a deletion before then, say why (for example, that you stopped using the data).");
        if (early && reason!.Length > MaxEarlyReasonLength)
            throw new DomainException($"The reason must be at most {MaxEarlyReasonLength} characters.");

        var attestation = new DeletionAttestation
        {
            Id = id,
            LicenseId = obligation.LicenseId,
            OrganisationId = organisationId,
            Basis = obligation.Basis,
            EndsAt = obligation.EndsAt,
            DueAt = obligation.DueAt,
            Duty = obligation.Duty,
            SignedByUserId = userId,
            SignerName = name,
            SignerTitle = title,
            DataDeleted = true,
            ModelsDestroyedOrRetrained = form.ModelsDestroyedOrRetrained,
            NoModelsTrained = form.NoModelsTrained,
            Statement = statement,
            DoneOn = doneOn,
            EarlyReason = early ? reason : null,
            SignedAt = now,
            RemoteAddress = remoteAddress is { Length: > 64 } ? remoteAddress[..64] : remoteAddress,
            UserAgent = userAgent is { Length: > MaxUserAgentLength } ? userAgent[..MaxUserAgentLength] : userAgent,
        };
        attestation._items.AddRange(open.Select(i => new AttestedItem(id, i.ItemId)));
        return attestation;
    }

    /// <summary>Trimmed, with runs of whitespace made one space: a typed name, not a layout.</summary>
    private static string Collapse(string? value) =>
        string.Join(' ', (value ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public Guid Id { get; private set; }
    public Guid LicenseId { get; private set; }
    public Guid OrganisationId { get; private set; }
    public DutyBasis Basis { get; private set; }
    /// <summary>When the covered items ended (or were taken down).</summary>
    public DateTimeOffset EndsAt { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    /// <summary>The duty the signer attested to, as the terms set it.</summary>
    public ExpiryDuty Duty { get; private set; }
    public IReadOnlyList<AttestedItem> Items => _items;
    public string SignedByUserId { get; private set; }
    public string SignerName { get; private set; }
    public string SignerTitle { get; private set; }
    public bool DataDeleted { get; private set; }
    public bool ModelsDestroyedOrRetrained { get; private set; }
    public bool NoModelsTrained { get; private set; }
    public string Statement { get; private set; }
    public DateOnly DoneOn { get; private set; }
    /// <summary>Set exactly when the deletion came before the items' end: why the organisation stopped early.</summary>
    public string? EarlyReason { get; private set; }
    public DateTimeOffset SignedAt { get; private set; }
    public string? RemoteAddress { get; private set; }
    public string? UserAgent { get; private set; }

    public bool IsEarly => EarlyReason is not null;
    public bool WasLate => SignedAt > DueAt;

    /// <summary>The models part of the statement, in words, for the people who read it later.</summary>
    public string ModelsText => ModelsDestroyedOrRetrained
        ? "models trained on it destroyed or retrained"
        : NoModelsTrained ? "no model was trained on it" : "models not covered (the terms did not require it)";
}

/// <summary>One license item a deletion attestation covers. An item is attested at most once.</summary>
public sealed class AttestedItem
{
    private AttestedItem() { }

    internal AttestedItem(Guid attestationId, Guid licenseItemId)
    {
        AttestationId = attestationId;
        LicenseItemId = licenseItemId;
    }

    public Guid AttestationId { get; private set; }
    public Guid LicenseItemId { get; private set; }
}
