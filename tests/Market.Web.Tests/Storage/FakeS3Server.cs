using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Market.Web.Tests.Storage;

/// <summary>
/// Just enough of S3 for <c>S3FileStore</c>, served by Kestrel on a free loopback port: path-style object
/// PUT/GET/HEAD/DELETE, multipart uploads, and S3's XML errors. It is stricter than S3 where that catches our
/// mistakes: bodies must be signed whole (no <c>aws-chunked</c>, which several S3-compatible servers refuse),
/// a declared payload hash or MD5 must match the body, and every request must carry a SigV4 Authorization for
/// <see cref="AccessKey"/>. Every request is recorded, before it is judged, for tests to inspect.
/// </summary>
public sealed class FakeS3Server : IAsyncDisposable
{
    public const string AccessKey = "AKIAFAKEMARKETTEST01";
    public const string SecretKey = "fake/secret+key/that-must-never-travel";
    public const string Bucket = "market-test";
    public const long MinPartSize = 5L * 1024 * 1024;

    private static readonly XNamespace S3 = "http://s3.amazonaws.com/doc/2006-03-01/";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, StoredObject> _objects = new();
    private readonly ConcurrentDictionary<string, MultipartUpload> _uploads = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _connectionsClosed = new();

    private FakeS3Server(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    /// <summary>Objects by full key inside <see cref="Bucket"/>.</summary>
    public IReadOnlyDictionary<string, StoredObject> Objects => new Dictionary<string, StoredObject>(_objects);

    /// <summary>Multipart uploads started and neither completed nor aborted.</summary>
    public int PendingUploads => _uploads.Count;

    /// <summary>Requests this matches are answered 500 InternalError (after being recorded), every attempt.</summary>
    public Func<RecordedRequest, bool> FailWhen { get; set; } = _ => false;

    /// <summary>Object downloads send half their body, then drop the connection.</summary>
    public bool CutDownloadsShort { get; set; }

    /// <summary>Completes when the client or the server has closed the connection with this id.</summary>
    public Task ConnectionClosed(string connectionId) => ClosedSource(connectionId).Task;

    public static async Task<FakeS3Server> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        FakeS3Server? server = null;
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => async connection =>
            {
                try
                {
                    await next(connection);
                }
                finally
                {
                    server!.ClosedSource(connection.ConnectionId).TrySetResult();
                }
            }));
            // Parts are 16 MB; S3 itself takes up to 5 GB in one request.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        server = new FakeS3Server(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await ReadBodyAsync(request, context.RequestAborted);
        var recorded = new RecordedRequest(
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.Length,
            context.Connection.Id);
        _requests.Enqueue(recorded);
        context.Response.Headers["x-amz-request-id"] = Guid.NewGuid().ToString("N");

        if (RefuseAuthorization(recorded) is { } refusal)
        {
            await ErrorAsync(context, refusal.Status, refusal.Code, refusal.Message);
            return;
        }
        if (RefusePayload(recorded, body) is { } bad)
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, bad.Code, bad.Message);
            return;
        }
        if (FailWhen(recorded))
        {
            await ErrorAsync(context, HttpStatusCode.InternalServerError, "InternalError", "We encountered an internal error. Please try again.");
            return;
        }

        // Path style: /bucket/key. Our keys are URL-safe, so the decoded path is the key.
        var path = recorded.Path.TrimStart('/');
        var slash = path.IndexOf('/');
        if (slash <= 0 || slash == path.Length - 1)
        {
            await ErrorAsync(context, HttpStatusCode.NotImplemented, "NotImplemented", "Only object requests in path style are served here.");
            return;
        }
        var bucket = path[..slash];
        var key = path[(slash + 1)..];
        if (bucket != Bucket)
        {
            await ErrorAsync(context, HttpStatusCode.NotFound, "NoSuchBucket", "The specified bucket does not exist.");
            return;
        }

        var query = request.Query;
        var uploadId = query["uploadId"].ToString();
        switch (request.Method)
        {
            case "POST" when query.ContainsKey("uploads"):
                await CreateMultipartUploadAsync(context, key);
                break;
            case "POST" when uploadId.Length > 0:
                await CompleteMultipartUploadAsync(context, key, uploadId, body);
                break;
            case "PUT" when uploadId.Length > 0:
                await UploadPartAsync(context, key, uploadId, query["partNumber"].ToString(), body);
                break;
            case "DELETE" when uploadId.Length > 0:
                await AbortMultipartUploadAsync(context, key, uploadId);
                break;
            case "PUT" when request.Headers.ContainsKey("x-amz-copy-source"):
                await ErrorAsync(context, HttpStatusCode.NotImplemented, "NotImplemented", "Copy is not served here.");
                break;
            case "PUT":
                var stored = new StoredObject(body, request.ContentType ?? "binary/octet-stream", ETagOf(body));
                _objects[key] = stored;
                context.Response.Headers.ETag = stored.ETag;
                break;
            case "GET":
            case "HEAD":
                await GetObjectAsync(context, key);
                break;
            case "DELETE":
                _objects.TryRemove(key, out _);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await ErrorAsync(context, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.");
                break;
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static (HttpStatusCode Status, string Code, string Message)? RefuseAuthorization(RecordedRequest request)
    {
        var authorization = request.Header("Authorization");
        if (authorization is null || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
            return (HttpStatusCode.Forbidden, "AccessDenied", "Requests must be signed with AWS Signature Version 4.");
        if (!authorization.Contains($"Credential={AccessKey}/", StringComparison.Ordinal))
            return (HttpStatusCode.Forbidden, "InvalidAccessKeyId", "The AWS access key Id you provided does not exist in our records.");
        if (request.Header("x-amz-date") is null)
            return (HttpStatusCode.Forbidden, "AccessDenied", "Signed requests must carry x-amz-date.");
        return null;
    }

    private static (string Code, string Message)? RefusePayload(RecordedRequest request, byte[] body)
    {
        var contentSha256 = request.Header("x-amz-content-sha256");
        if (contentSha256 is null)
            return ("InvalidRequest", "Missing required header for this request: x-amz-content-sha256.");
        if (contentSha256.StartsWith("STREAMING-", StringComparison.Ordinal) || (request.Header("Content-Encoding") ?? "").Contains("aws-chunked", StringComparison.OrdinalIgnoreCase))
            return ("NotImplemented", "aws-chunked bodies are not accepted here, as by several S3-compatible servers.");
        if (contentSha256 != "UNSIGNED-PAYLOAD" && !string.Equals(contentSha256, Convert.ToHexStringLower(SHA256.HashData(body)), StringComparison.OrdinalIgnoreCase))
            return ("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        if (request.Header("Content-MD5") is { } md5 && md5 != Convert.ToBase64String(MD5.HashData(body)))
            return ("BadDigest", "The Content-MD5 you specified did not match what we received.");
        return null;
    }

    private async Task GetObjectAsync(HttpContext context, string key)
    {
        if (!_objects.TryGetValue(key, out var stored))
        {
            await ErrorAsync(context, HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist.", key);
            return;
        }
        var response = context.Response;
        response.ContentType = stored.ContentType;
        response.ContentLength = stored.Content.Length;
        response.Headers.ETag = stored.ETag;
        response.Headers.LastModified = stored.LastModified.ToString("R");
        if (HttpMethods.IsHead(context.Request.Method)) return;

        var length = CutDownloadsShort ? stored.Content.Length / 2 : stored.Content.Length;
        try
        {
            await response.Body.WriteAsync(stored.Content.AsMemory(0, length), context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return; // The client went away; nothing is left to answer.
        }
        if (CutDownloadsShort) context.Abort();
    }

    private async Task CreateMultipartUploadAsync(HttpContext context, string key)
    {
        var uploadId = Guid.NewGuid().ToString("N");
        _uploads[uploadId] = new MultipartUpload(key, context.Request.ContentType ?? "binary/octet-stream");
        await XmlAsync(context, new XElement(S3 + "InitiateMultipartUploadResult",
            new XElement(S3 + "Bucket", Bucket),
            new XElement(S3 + "Key", key),
            new XElement(S3 + "UploadId", uploadId)));
    }

    private async Task UploadPartAsync(HttpContext context, string key, string uploadId, string partNumberText, byte[] body)
    {
        if (!_uploads.TryGetValue(uploadId, out var upload) || upload.Key != key)
        {
            await ErrorAsync(context, HttpStatusCode.NotFound, "NoSuchUpload", "The specified multipart upload does not exist.", key);
            return;
        }
        if (!int.TryParse(partNumberText, out var partNumber) || partNumber is < 1 or > 10000)
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive.", key);
            return;
        }
        var etag = ETagOf(body);
        upload.Parts[partNumber] = (body, etag);
        context.Response.Headers.ETag = etag;
    }

    private async Task CompleteMultipartUploadAsync(HttpContext context, string key, string uploadId, byte[] body)
    {
        if (!_uploads.TryGetValue(uploadId, out var upload) || upload.Key != key)
        {
            await ErrorAsync(context, HttpStatusCode.NotFound, "NoSuchUpload", "The specified multipart upload does not exist.", key);
            return;
        }
        XDocument document;
        try
        {
            document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body));
        }
        catch (System.Xml.XmlException)
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "MalformedXML", "The XML you provided was not well-formed.", key);
            return;
        }
        var listed = document.Descendants().Where(e => e.Name.LocalName == "Part")
            .Select(p => (Number: int.Parse(p.Elements().Single(e => e.Name.LocalName == "PartNumber").Value),
                          ETag: p.Elements().Single(e => e.Name.LocalName == "ETag").Value))
            .ToList();
        if (listed.Count == 0 || !listed.Select(p => p.Number).SequenceEqual(listed.Select(p => p.Number).Order().Distinct()))
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "InvalidPartOrder", "The list of parts was not in ascending order.", key);
            return;
        }
        var parts = new List<byte[]>();
        foreach (var (number, etag) in listed)
        {
            if (!upload.Parts.TryGetValue(number, out var part) || part.ETag != etag)
            {
                await ErrorAsync(context, HttpStatusCode.BadRequest, "InvalidPart", "One or more of the specified parts could not be found.", key);
                return;
            }
            parts.Add(part.Content);
        }
        if (parts.SkipLast(1).Any(p => p.Length < MinPartSize))
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", key);
            return;
        }
        var content = parts.SelectMany(p => p).ToArray();
        // S3's multipart ETag: the MD5 of the parts' MD5s, then the part count.
        var digest = MD5.HashData(listed.SelectMany(p => Convert.FromHexString(p.ETag.Trim('"'))).ToArray());
        var stored = new StoredObject(content, upload.ContentType, $"\"{Convert.ToHexStringLower(digest)}-{parts.Count}\"");
        _objects[key] = stored;
        _uploads.TryRemove(uploadId, out _);
        await XmlAsync(context, new XElement(S3 + "CompleteMultipartUploadResult",
            new XElement(S3 + "Location", new Uri(Url, $"{Bucket}/{key}")),
            new XElement(S3 + "Bucket", Bucket),
            new XElement(S3 + "Key", key),
            new XElement(S3 + "ETag", stored.ETag)));
    }

    private async Task AbortMultipartUploadAsync(HttpContext context, string key, string uploadId)
    {
        if (!_uploads.TryGetValue(uploadId, out var upload) || upload.Key != key || !_uploads.TryRemove(uploadId, out _))
        {
            await ErrorAsync(context, HttpStatusCode.NotFound, "NoSuchUpload", "The specified multipart upload does not exist.", key);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private TaskCompletionSource ClosedSource(string connectionId) =>
        _connectionsClosed.GetOrAdd(connectionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static string ETagOf(byte[] content) => $"\"{Convert.ToHexStringLower(MD5.HashData(content))}\"";

    private static async Task XmlAsync(HttpContext context, XElement root)
    {
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(new XDocument(new XDeclaration("1.0", "UTF-8", null), root).ToString());
    }

    private static async Task ErrorAsync(HttpContext context, HttpStatusCode status, string code, string message, string? key = null)
    {
        context.Response.StatusCode = (int)status;
        // HEAD answers carry no body; the SDK then goes by the status alone, as with real S3.
        if (HttpMethods.IsHead(context.Request.Method)) return;
        var error = new XElement("Error", new XElement("Code", code), new XElement("Message", message));
        if (key is not null) error.Add(new XElement("Key", key));
        error.Add(new XElement("RequestId", context.Response.Headers["x-amz-request-id"].ToString()));
        await XmlAsync(context, error);
    }

    public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, long BodyLength, string ConnectionId)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

        public bool HasQuery(string name) =>
            Query.TrimStart('?').Split('&').Any(p => p == name || p.StartsWith(name + "=", StringComparison.Ordinal));
    }

    public sealed record StoredObject(byte[] Content, string ContentType, string ETag)
    {
        public DateTimeOffset LastModified { get; } = DateTimeOffset.UtcNow;
    }

    private sealed record MultipartUpload(string Key, string ContentType)
    {
        public ConcurrentDictionary<int, (byte[] Content, string ETag)> Parts { get; } = new();
    }
}
