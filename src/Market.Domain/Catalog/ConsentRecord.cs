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
    public const int MaxUserAgentLength = 400;
    public const int MaxTermsLength = 4000;

    private ConsentRecord() { UserId = null!; TextVersion = null!; Text = null!; Terms = null!; }

    public ConsentRecord(Guid workId, string userId, ConsentAction action, string textVersion, string text,
        string? remoteAddress, DateTimeOffset at, string? userAgent = null, string? terms = null)
    {
        Id = Guid.CreateVersion7(at);
        WorkId = workId;
        UserId = userId;
        Action = action;
        TextVersion = textVersion;
        Text = text;
        RemoteAddress = remoteAddress;
        At = at;
        UserAgent = userAgent is { Length: > MaxUserAgentLength } ? userAgent[..MaxUserAgentLength] : userAgent;
        terms ??= "";
        Terms = terms.Length > MaxTermsLength ? terms[..MaxTermsLength] : terms;
    }

    public Guid Id { get; private set; }
    public Guid WorkId { get; private set; }
    public string UserId { get; private set; }
    public ConsentAction Action { get; private set; }
    public string TextVersion { get; private set; }
    public string Text { get; private set; }
    public string? RemoteAddress { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary>The browser that sent the consent, as it described itself: part of "from where".</summary>
    public string? UserAgent { get; private set; }
    /// <summary>The license offers in force at that moment, in words: what the creator agreed buyers may buy.</summary>
    public string Terms { get; private set; }
}
