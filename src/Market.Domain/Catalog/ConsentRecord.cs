namespace Market.Domain.Catalog;

public enum ConsentAction
{
    Granted = 1,
    Withdrawn = 2,
}

/// <summary>
/// One grant or withdrawal of consent, append-only: who, when, from where, under which text version. The
/// creator's receipts and any later dispute rest on these rows, so they are never updated.
/// </summary>
public sealed class ConsentRecord
{
    private ConsentRecord() { UserId = null!; TextVersion = null!; Text = null!; }

    public ConsentRecord(Guid workId, string userId, ConsentAction action, string textVersion, string text,
        string? remoteAddress, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7(at);
        WorkId = workId;
        UserId = userId;
        Action = action;
        TextVersion = textVersion;
        Text = text;
        RemoteAddress = remoteAddress;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid WorkId { get; private set; }
    public string UserId { get; private set; }
    public ConsentAction Action { get; private set; }
    public string TextVersion { get; private set; }
    public string Text { get; private set; }
    public string? RemoteAddress { get; private set; }
    public DateTimeOffset At { get; private set; }
}
