namespace Market.Web.Storage;

/// <summary>
/// Where originals and previews are kept: a local folder by default, S3-compatible object storage by
/// configuration (<c>Storage:Provider</c>). Keys are ours (see <see cref="StoreKeys"/>), never a user's file
/// name, so nothing a user types can reach a path or a bucket key.
/// </summary>
public interface IFileStore
{
    /// <summary>Stores <paramref name="content"/> (read to its end) under <paramref name="key"/>.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a finished local file under <paramref name="key"/> and takes it over: the local store moves it
    /// (no copy), object storage uploads it and deletes the local file.
    /// </summary>
    Task PutFileAsync(string key, string localPath, string contentType, CancellationToken cancellationToken);

    /// <summary>Opens the object for reading; <see cref="StoredFileNotFoundException"/> if there is none.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// A path on local disk holding the object, for libraries that read files (libvips decodes faster and in
    /// less memory from a file). The local store lends its own file; object storage downloads a temporary copy
    /// that disposing deletes.
    /// </summary>
    Task<LocalFile> GetLocalFileAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the object; deleting one that is not there is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

/// <summary>A file on local disk lent by a store; a temporary copy is deleted on dispose.</summary>
public sealed class LocalFile(string path, bool temporary) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        if (temporary) File.Delete(Path);
    }
}

public sealed class StoredFileNotFoundException(string key) : Exception($"No stored file has the key {key}.");

public sealed class FileTooLargeException(long maxBytes) : Exception($"The file is larger than {FormatSize(maxBytes)}.")
{
    public static string FormatSize(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MB" : $"{Math.Max(1, bytes / 1024)} KB";
}

/// <summary>The store's keys: a prefix naming the kind of object, then a time-ordered id.</summary>
public static class StoreKeys
{
    public const string Originals = "originals";
    public const string Previews = "previews";

    public static string New(string prefix)
    {
        EnsurePrefix(prefix);
        return $"{prefix}/{Guid.CreateVersion7():N}";
    }

    /// <summary>Refuses anything that is not a key we made, before it reaches a path or a request.</summary>
    public static string Validate(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0 || key.Length != slash + 33) throw new ArgumentException("Not a store key.", nameof(key));
        EnsurePrefix(key[..slash]);
        if (!key.AsSpan(slash + 1).ContainsOnly("0123456789abcdef")) throw new ArgumentException("Not a store key.", nameof(key));
        return key;
    }

    private static void EnsurePrefix(string prefix)
    {
        if (prefix.Length == 0 || !prefix.All(c => char.IsAsciiLetterLower(c) || c == '-'))
            throw new ArgumentException("A key prefix is lower-case letters and dashes.", nameof(prefix));
    }
}

internal static class SpanExtensions
{
    public static bool ContainsOnly(this ReadOnlySpan<char> span, string allowed) => span.IndexOfAnyExcept(allowed) < 0;
}
