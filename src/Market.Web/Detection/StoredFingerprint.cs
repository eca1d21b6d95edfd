using Market.Domain.Moderation;

namespace Market.Web.Detection;

/// <summary>
/// The detection fingerprint of one work or protected-registry entry, kept so detection workers build their
/// catalog from the database instead of decoding every original again. Rows are only ever added: a worker
/// catches up by reading the rows after the last id it has, and whether a match still counts (the work listed,
/// the entry not removed) is decided against the database at the moment of the match.
/// </summary>
public sealed class StoredFingerprint
{
    private StoredFingerprint() { Data = null!; }

    /// <param name="data">The fingerprint as <see cref="FingerprintCodec.Encode"/> wrote it.</param>
    public StoredFingerprint(MatchTarget kind, Guid targetId, byte[] data, DateTimeOffset now)
    {
        FingerprintCodec.Decode(data); // refuse anything a worker could not read back
        Kind = kind;
        TargetId = targetId;
        Data = data;
        CreatedAt = now;
    }

    public long Id { get; private set; }
    public MatchTarget Kind { get; private set; }
    public Guid TargetId { get; private set; }
    public byte[] Data { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The catalog key a match reports, e.g. <c>Work:9b2c…</c>.</summary>
    public static string Key(MatchTarget kind, Guid id) => $"{kind}:{id:N}";

    public static (MatchTarget Kind, Guid Id)? ParseKey(string key)
    {
        var colon = key.IndexOf(':');
        return colon > 0 && Enum.TryParse<MatchTarget>(key[..colon], out var kind) && Guid.TryParseExact(key[(colon + 1)..], "N", out var id)
            ? (kind, id)
            : null;
    }
}
