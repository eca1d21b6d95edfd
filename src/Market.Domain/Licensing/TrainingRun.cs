namespace Market.Domain.Licensing;

/// <summary>
/// A buyer's report that a model was trained on a license's data: which model, which version, when. Creators
/// are told at training time that their work was used; the report is the record of it and is never edited.
/// </summary>
public sealed class TrainingRun
{
    public const int MaxModelNameLength = 200;
    public const int MaxModelVersionLength = 100;

    private TrainingRun() { ReportedByUserId = null!; ModelName = null!; ModelVersion = null!; }

    public static TrainingRun Report(Guid id, License license, string reportedByUserId, string? modelName, string? modelVersion, DateOnly trainedOn,
        DateTimeOffset now)
    {
        modelName = modelName?.Trim();
        modelVersion = modelVersion?.Trim();
        if (string.IsNullOrEmpty(modelName)) throw new DomainException("Name the model that was trained.");
        if (modelName.Length > MaxModelNameLength) throw new DomainException($"The model name must be at most {MaxModelNameLength} characters.");
        if (string.IsNullOrEmpty(modelVersion)) throw new DomainException("Give the model's version.");
        if (modelVersion.Length > MaxModelVersionLength) throw new DomainException($"The version must be at most {MaxModelVersionLength} characters.");
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (trainedOn > today) throw new DomainException("A training run is reported once it has happened: the date is in the future.");
        var issued = DateOnly.FromDateTime(license.IssuedAt.UtcDateTime);
        if (trainedOn < issued) throw new DomainException($"The license was issued on {issued:yyyy-MM-dd}; a run before that was not under it.");
        var lastEnd = DateOnly.FromDateTime(license.Items.Max(i => i.EndsAt).UtcDateTime);
        if (trainedOn > lastEnd) throw new DomainException($"Every item of this license ended by {lastEnd:yyyy-MM-dd}; a run after that is not covered by it.");
        return new TrainingRun
        {
            Id = id, LicenseId = license.Id, OrganisationId = license.OrganisationId, ReportedByUserId = reportedByUserId,
            ModelName = modelName, ModelVersion = modelVersion, TrainedOn = trainedOn, ReportedAt = now,
        };
    }

    public Guid Id { get; private set; }
    public Guid LicenseId { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string ReportedByUserId { get; private set; }
    public string ModelName { get; private set; }
    public string ModelVersion { get; private set; }
    public DateOnly TrainedOn { get; private set; }
    public DateTimeOffset ReportedAt { get; private set; }
}
