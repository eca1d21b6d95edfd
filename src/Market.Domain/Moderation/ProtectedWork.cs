namespace Market.Domain.Moderation;

public enum ProtectedWorkSource
{
    /// <summary>The registrant uploaded the image; we keep a private preview for moderators' side-by-side view.</summary>
    Upload = 1,
    /// <summary>Only the hash was submitted: the image never left the registrant's hands, and we hold none.</summary>
    Hashes = 2,
}

/// <summary>
/// An entry of the protected-works registry: a work nobody but its rights holder may list. The scan matches
/// uploads against it (SHA-256 when we saw the file, the perceptual hash always). Removing it keeps the row, so
/// past cases still show what they matched.
/// </summary>
public sealed class ProtectedWork
{
    public const int MaxLabelLength = 200;

    private ProtectedWork() { Label = null!; PerceptualHash = null!; }

    /// <param name="perceptualHash">Lowercase hex, in the form the scan stores on works, so the two compare as they are.</param>
    public static ProtectedWork Register(Registrant registrant, string? label, ProtectedWorkSource source, string perceptualHash, int? quality,
        string? sha256, string? imageKey, DateTimeOffset now)
    {
        registrant.EnsureCanRegister();
        label = label?.Trim();
        if (string.IsNullOrEmpty(label)) throw new DomainException("Give the work a label, so you and the moderators can tell it apart.");
        if (label.Length > MaxLabelLength) throw new DomainException($"A label must be at most {MaxLabelLength} characters.");
        if (source == ProtectedWorkSource.Hashes && (sha256 is not null || imageKey is not null))
            throw new ArgumentException("A hash-only entry holds no file.");
        return new ProtectedWork
        {
            Id = Guid.CreateVersion7(now), RegistrantId = registrant.Id, Label = label, Source = source,
            PerceptualHash = perceptualHash.ToLowerInvariant(), Quality = quality, Sha256 = sha256, ImageKey = imageKey, RegisteredAt = now,
        };
    }

    public Guid Id { get; private set; }
    public Guid RegistrantId { get; private set; }
    public string Label { get; private set; }
    public ProtectedWorkSource Source { get; private set; }
    public string PerceptualHash { get; private set; }
    /// <summary>PDQ's quality (0–100) when known.</summary>
    public int? Quality { get; private set; }
    public string? Sha256 { get; private set; }
    /// <summary>The private preview of an uploaded entry: served to moderators only.</summary>
    public string? ImageKey { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset? RemovedAt { get; private set; }

    public bool IsActive => RemovedAt is null;

    public void Remove(Registrant by, DateTimeOffset now)
    {
        if (by.Id != RegistrantId) throw new DomainException("There is no such entry in your registry.");
        if (!IsActive) throw new DomainException("This entry was removed already.");
        RemovedAt = now;
    }
}
