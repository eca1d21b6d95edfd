namespace Market.Domain.Catalog;

/// <summary>
/// What a file says about itself in its embedded EXIF, IPTC and XMP metadata, as read at upload. Kept with the
/// work so the creator sees it, flags can be explained, and the record shows what the file claimed.
/// </summary>
/// <param name="DigitalSourceType">The IPTC digital source type (a term or its full URI), which marks AI-generated media.</param>
public sealed record EmbeddedMetadata(
    string? Title,
    string? Creator,
    string? CopyrightNotice,
    string? Description,
    string? DigitalSourceType)
{
    public const int MaxFieldLength = 500;

    public static EmbeddedMetadata None { get; } = new(null, null, null, null, null);

    public bool IsEmpty => this == None;
}
