using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Market.Web.Storage;

/// <summary>
/// Object storage behind <see cref="IFileStore"/>: any S3-compatible server (MinIO, Garage, Ceph RGW, ...)
/// at <see cref="S3StorageSettings.ServiceUrl"/>, or Amazon S3 itself when no URL is given.
/// </summary>
/// <remarks>
/// Requests are signed with a hash of the whole payload rather than sent as <c>aws-chunked</c> streams, and
/// checksums are only added where the S3 API requires them: several S3-compatible servers refuse the chunked
/// and trailing-checksum forms that the SDK otherwise uses by default.
/// </remarks>
public sealed class S3FileStore : IFileStore, IDisposable
{
    /// <summary>
    /// Files larger than this go up in parts of this size: each part is a request the SDK can retry on its
    /// own, and a part is small enough that hashing it for the signature costs little.
    /// </summary>
    public const long PartSize = 16L * 1024 * 1024;

    private const int BufferSize = 81920;
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly string _tempFolder;
    private readonly ILogger<S3FileStore> _logger;

    /// <param name="settings">Checked with <see cref="S3StorageSettings.Validate"/> here as well as at startup.</param>
    /// <param name="tempFolder">Where downloads for <see cref="GetLocalFileAsync"/> and spooled uploads are written.</param>
    public S3FileStore(S3StorageSettings settings, string tempFolder, ILogger<S3FileStore> logger)
    {
        settings.Validate();
        _client = CreateClient(settings);
        _bucket = settings.Bucket!;
        _prefix = settings.NormalizedPrefix;
        _tempFolder = Path.GetFullPath(tempFolder);
        _logger = logger;
        Directory.CreateDirectory(_tempFolder);
    }

    public static AmazonS3Client CreateClient(S3StorageSettings settings)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(settings.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }
        else
        {
            config.ServiceURL = settings.ServiceUrl;
            // With a service URL the SDK cannot tell the region from the host; the signature still names one.
            config.AuthenticationRegion = settings.Region;
        }
        // Without keys the SDK's own chain applies (environment, profile, instance role): right on AWS itself.
        return string.IsNullOrEmpty(settings.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        // The SDK reads a seekable stream from its start and needs its length; anything else (a network
        // stream, a stream already partly read, or one worth uploading in parts) goes through a local file.
        if (content.CanSeek && content.Position == 0 && content.Length <= PartSize)
        {
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                ContentType = contentType,
                InputStream = content,
                AutoCloseStream = false,
                UseChunkEncoding = false,
            }, cancellationToken);
            return;
        }

        var spool = TempPath("upload");
        try
        {
            await using (var target = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
                await content.CopyToAsync(target, BufferSize, cancellationToken);
            await UploadFileAsync(objectKey, spool, contentType, cancellationToken);
        }
        finally
        {
            File.Delete(spool);
        }
    }

    public async Task PutFileAsync(string key, string localPath, string contentType, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        await UploadFileAsync(objectKey, localPath, contentType, cancellationToken);
        // Only once the object exists: a failed upload leaves the caller its file to retry or clean up.
        File.Delete(localPath);
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        var response = await GetObjectAsync(key, objectKey, cancellationToken);
        return new ObjectBodyStream(response);
    }

    public async Task<LocalFile> GetLocalFileAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        using var response = await GetObjectAsync(key, objectKey, cancellationToken);
        var path = TempPath("download");
        try
        {
            // A body cut short fails here: HttpClient holds the response to its Content-Length.
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
                await response.ResponseStream.CopyToAsync(target, BufferSize, cancellationToken);
            return new LocalFile(path, temporary: true);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = objectKey }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            // S3 answers 204 for a missing key; a few compatible servers answer 404, which means the same here.
        }
    }

    public void Dispose() => _client.Dispose();

    private string ObjectKey(string key) => _prefix + StoreKeys.Validate(key);

    private string TempPath(string kind) => Path.Combine(_tempFolder, $"{Guid.CreateVersion7():N}.{kind}");

    private async Task<GetObjectResponse> GetObjectAsync(string key, string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = objectKey }, cancellationToken);
        }
        // Only a missing key: a missing bucket or a refused signature is a configuration fault, not a missing file.
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            throw new StoredFileNotFoundException(key);
        }
    }

    private async Task UploadFileAsync(string objectKey, string localPath, string contentType, CancellationToken cancellationToken)
    {
        var length = new FileInfo(localPath).Length;
        if (length <= PartSize)
        {
            // A single PUT is atomic on S3: the old object (or none) stays visible until the new one is complete.
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                ContentType = contentType,
                FilePath = localPath,
                UseChunkEncoding = false,
            }, cancellationToken);
            return;
        }
        await UploadInPartsAsync(objectKey, localPath, length, contentType, cancellationToken);
    }

    // Our own part loop rather than TransferUtility: every part request must opt out of aws-chunked bodies,
    // and a failed upload must be aborted, so its parts neither become an object nor linger as storage.
    private async Task UploadInPartsAsync(string objectKey, string localPath, long length, string contentType, CancellationToken cancellationToken)
    {
        var created = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = objectKey,
            ContentType = contentType,
        }, cancellationToken);
        var uploadId = created.UploadId;
        try
        {
            var parts = new List<PartETag>();
            var partNumber = 1;
            // Parts go up one after another: the SDK streams each from the file, so memory stays flat.
            for (long position = 0; position < length; position += PartSize, partNumber++)
            {
                var size = Math.Min(PartSize, length - position);
                var part = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket,
                    Key = objectKey,
                    UploadId = uploadId,
                    PartNumber = partNumber,
                    FilePath = localPath,
                    FilePosition = position,
                    PartSize = size,
                    IsLastPart = position + size == length,
                    UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(partNumber, part.ETag));
            }
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                UploadId = uploadId,
                PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            await AbortAsync(objectKey, uploadId);
            throw;
        }
    }

    private async Task AbortAsync(string objectKey, string uploadId)
    {
        try
        {
            // Not the caller's token: a cancelled upload is exactly the one whose parts must go.
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                UploadId = uploadId,
            }, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The upload's own failure is the one to report; a bucket lifecycle rule for incomplete multipart
            // uploads removes what an abort could not.
            _logger.LogWarning(e, "Could not abort multipart upload {UploadId} of {ObjectKey}.", uploadId, objectKey);
        }
    }

    /// <summary>An object's body whose disposal also releases the response and its connection.</summary>
    private sealed class ObjectBodyStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _body = response.ResponseStream;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => _body.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _body.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _body.ReadAsync(buffer, cancellationToken);

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) response.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>Configuration section <c>Storage:S3</c>, used when <c>Storage:Provider</c> is <c>s3</c>.</summary>
public sealed class S3StorageSettings
{
    public const string Section = "Storage:S3";

    /// <summary>
    /// The server, e.g. <c>http://127.0.0.1:9000</c> for MinIO, Garage or Ceph. Left empty, Amazon S3 itself
    /// in <see cref="Region"/> is used.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The region requests are signed for; most S3-compatible servers accept <c>us-east-1</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    public string? Bucket { get; set; }

    /// <summary>Optional folder inside the bucket, e.g. <c>market/</c>, so one bucket can serve several deployments.</summary>
    public string? Prefix { get; set; }

    /// <summary>Access key id; with <see cref="SecretKey"/>, or both empty for the SDK's own credential chain.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Set from the environment or a secret store (<c>Storage__S3__SecretKey</c>), never from a checked-in file.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Bucket in the path, not the host name: what self-hosted servers without wildcard DNS need.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>The prefix as used in keys: empty, or ending in exactly one slash.</summary>
    public string NormalizedPrefix =>
        string.IsNullOrWhiteSpace(Prefix) ? "" : Prefix.Trim().TrimEnd('/') + "/";

    /// <summary>Throws one message naming every setting that is missing or wrong; values of keys are never shown.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Bucket))
            problems.Add($"{Section}:Bucket is required.");
        else if (Bucket.Any(c => c == '/' || char.IsWhiteSpace(c)))
            problems.Add($"{Section}:Bucket must be a bucket name, without slashes or spaces.");

        if (string.IsNullOrWhiteSpace(ServiceUrl))
        {
            if (string.IsNullOrWhiteSpace(Region))
                problems.Add($"{Section}:ServiceUrl is required (or, for Amazon S3 itself, {Section}:Region).");
        }
        else if (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{Section}:ServiceUrl must be an absolute http or https URL, e.g. http://127.0.0.1:9000.");
        }

        if (string.IsNullOrWhiteSpace(Region))
            problems.Add($"{Section}:Region must not be empty; S3-compatible servers usually take us-east-1.");

        var hasAccessKey = !string.IsNullOrEmpty(AccessKey);
        var hasSecretKey = !string.IsNullOrEmpty(SecretKey);
        if (hasAccessKey && !hasSecretKey)
            problems.Add($"{Section}:SecretKey is required when {Section}:AccessKey is set (e.g. environment variable Storage__S3__SecretKey).");
        if (hasSecretKey && !hasAccessKey)
            problems.Add($"{Section}:AccessKey is required when {Section}:SecretKey is set.");

        var prefix = NormalizedPrefix;
        if (prefix.Length > 0 && (prefix[..^1].Split('/').Any(s => s is "" or "." or "..")
                                  || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.')))
            problems.Add($"{Section}:Prefix must be a relative folder of letters, digits, '-', '_', '.' and '/', e.g. market/.");

        if (problems.Count > 0)
            throw new InvalidOperationException("S3 storage is not configured: " + string.Join(" ", problems));
    }

    public override string ToString() =>
        $"S3 bucket {Bucket} at {(string.IsNullOrWhiteSpace(ServiceUrl) ? $"Amazon S3 {Region}" : ServiceUrl)}, prefix '{NormalizedPrefix}'";
}
