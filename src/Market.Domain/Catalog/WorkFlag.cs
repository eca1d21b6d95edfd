namespace Market.Domain.Catalog;

public enum FlagKind
{
    /// <summary>The file's metadata names someone else as its creator.</summary>
    MetadataNamesAnotherCreator = 1,
    /// <summary>The file's metadata declares it made with generative AI.</summary>
    DeclaredAiGenerated = 2,
}

/// <summary>How the creator answered a flag.</summary>
public enum FlagAnswer
{
    /// <summary>"The name in the file is mine (a pseudonym, my studio) or I hold the rights to license it."</summary>
    RightsConfirmed = 1,
    /// <summary>"Yes, it is AI-generated": the work is labelled so.</summary>
    AiGeneratedConfirmed = 2,
    /// <summary>"No, the metadata is wrong: I made it without generative AI."</summary>
    AiGeneratedDenied = 3,
}

/// <summary>
/// Something the upload's metadata said that the creator must answer before the work can be listed. The row
/// keeps what was found and how, when and by whom it was answered: it is the record, so it is never deleted.
/// </summary>
public sealed class WorkFlag
{
    public const int MaxDetailLength = 600;

    private WorkFlag() { Detail = null!; }

    internal WorkFlag(Guid id, Guid workId, FlagKind kind, string detail, DateTimeOffset raisedAt)
    {
        Id = id; WorkId = workId; Kind = kind; RaisedAt = raisedAt;
        Detail = detail.Length > MaxDetailLength ? detail[..MaxDetailLength] : detail;
    }

    public Guid Id { get; private set; }
    public Guid WorkId { get; private set; }
    public FlagKind Kind { get; private set; }
    public string Detail { get; private set; }
    public DateTimeOffset RaisedAt { get; private set; }
    public FlagAnswer? Answer { get; private set; }
    public string? AnsweredBy { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }

    public bool IsOpen => Answer is null;

    internal void Resolve(FlagAnswer answer, string userId, DateTimeOffset now)
    {
        if (!IsOpen) throw new DomainException("This flag was already answered.");
        var fits = Kind switch
        {
            FlagKind.MetadataNamesAnotherCreator => answer == FlagAnswer.RightsConfirmed,
            FlagKind.DeclaredAiGenerated => answer is FlagAnswer.AiGeneratedConfirmed or FlagAnswer.AiGeneratedDenied,
            _ => false,
        };
        if (!fits) throw new DomainException("That answer does not fit this flag.");
        Answer = answer;
        AnsweredBy = userId;
        AnsweredAt = now;
    }

    public static string AnswerText(FlagAnswer answer) => answer switch
    {
        FlagAnswer.RightsConfirmed => "The creator confirmed the name in the file is theirs, or that they hold the rights to license the work.",
        FlagAnswer.AiGeneratedConfirmed => "The creator confirmed the work is AI-generated; it is labelled so.",
        FlagAnswer.AiGeneratedDenied => "The creator stated the work was made without generative AI and the metadata is wrong.",
        _ => "",
    };
}
