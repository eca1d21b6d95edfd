namespace Market.Web.Storage;

/// <summary>
/// Where originals and previews are kept. Keys are ours (generated), never a user's file name, so no path a
/// user types can reach the disk. The local folder is the default; object storage comes behind the same face.
/// </summary>
public interface IFileStore
{
    /// <summary>Streams <paramref name="content"/> to a new object and returns its key and size.</summary>
    Task<StoredFile> SaveAsync(string prefix, Stream content, long maxBytes, CancellationToken cancellationToken);

    Stream OpenRead(string key);

    /// <summary>A path on local disk for libraries that read files (libvips). Object storage would download to a temp file.</summary>
    string LocalPath(string key);

    void Delete(string key);
}

public sealed record StoredFile(string Key, long Length);

public sealed class FileTooLargeException(long maxBytes) : Exception($"The file is larger than {maxBytes / (1024 * 1024)} MB.");

public sealed class StorageSettings
{
    /// <summary>Folder for the local store; relative paths are taken from the content root.</summary>
    public string Root { get; set; } = "App_Data/files";
}

public sealed class LocalFileStore : IFileStore
{
    private readonly string _root;

    public LocalFileStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public async Task<StoredFile> SaveAsync(string prefix, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        if (!prefix.All(c => char.IsAsciiLetterLower(c) || c == '-')) throw new ArgumentException("Bad prefix.", nameof(prefix));
        var key = $"{prefix}/{Guid.CreateVersion7():N}";
        var path = LocalPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".part";
        long length = 0;
        try
        {
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    // Counted while streaming: a client that lies about Content-Length is cut off here.
                    if (length > maxBytes) throw new FileTooLargeException(maxBytes);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            File.Move(temp, path);
            return new StoredFile(key, length);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public Stream OpenRead(string key) => new FileStream(LocalPath(key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    public string LocalPath(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException("Key outside the store.", nameof(key));
        return path;
    }

    public void Delete(string key)
    {
        var path = LocalPath(key);
        if (File.Exists(path)) File.Delete(path);
    }
}
