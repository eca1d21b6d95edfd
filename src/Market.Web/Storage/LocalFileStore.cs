namespace Market.Web.Storage;

/// <summary>The default store: a folder on this machine (<c>Storage:Root</c>).</summary>
public sealed class LocalFileStore : IFileStore
{
    private readonly string _root;

    public LocalFileStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written beside and renamed into place, so a reader never sees half a file.
        var temp = path + ".part";
        try
        {
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                await content.CopyToAsync(target, 81920, cancellationToken);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public Task PutFileAsync(string key, string localPath, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Staged uploads live under the same root (see UploadStaging), so this is a rename, not a copy.
        File.Move(localPath, path, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) throw new StoredFileNotFoundException(key);
        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    public Task<LocalFile> GetLocalFileAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) throw new StoredFileNotFoundException(key);
        return Task.FromResult(new LocalFile(path, temporary: false));
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        // File.Delete tolerates a missing file but not a missing folder (no original stored yet at all).
        var path = PathOf(key);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, StoreKeys.Validate(key)));
        // Validate already refuses dots and slashes; this is the second lock on the same door.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException("Key outside the store.", nameof(key));
        return path;
    }
}
