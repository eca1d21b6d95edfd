namespace Market.Web.Storage;

/// <summary>
/// The first stop of every upload: request bytes stream into a local file, counted as they come, so a file
/// over the limit is cut off at the limit whatever Content-Length claimed, and no upload is ever held in
/// memory. The staged file is inspected (decoded header, then a full streaming decode) before anything is
/// stored; only then is it handed to the <see cref="IFileStore"/>.
/// </summary>
public sealed class UploadStaging
{
    private const int BufferSize = 81920;
    private readonly string _folder;

    public UploadStaging(string folder)
    {
        _folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(_folder);
    }

    public async Task<StagedFile> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_folder, $"{Guid.CreateVersion7():N}.part");
        long length = 0;
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            var buffer = new byte[BufferSize];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                length += read;
                if (length > maxBytes) throw new FileTooLargeException(maxBytes);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return new StagedFile(path, length);
    }
}

/// <summary>An upload on local disk awaiting inspection. Disposing deletes it unless a store has taken it.</summary>
public sealed class StagedFile(string path, long length) : IDisposable
{
    public string Path { get; } = path;
    public long Length { get; } = length;

    public void Dispose() => File.Delete(Path);
}
