using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Market.Web.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Market.Web.Delivery;

/// <summary>
/// Writes a license's ZIP straight to the response, in constant memory whatever its size. ZipArchive in Create
/// mode on a stream that cannot seek writes each entry's sizes and CRC in a data descriptor after its data, so
/// nothing is buffered or written twice, and it switches to Zip64 records by itself once offsets pass 4 GiB
/// (checked with a 4.5 GB archive: Python's zipfile and Info-ZIP's unzip read it). Images are stored, not
/// deflated: they are compressed already, and deflating gigabytes would cost the CPU for nothing.
/// <para>
/// Order: LICENSE.txt and manifest.json first (if the download is cut, what arrived is still explained), the
/// files (each with its license embedded, or a .xmp sidecar), then croissant.json, which needs the SHA-256 of every
/// delivered file and so is written last, from hashes taken while the files streamed past.
/// </para>
/// </summary>
public sealed class LicenseArchive(DeliveredFiles deliveredFiles, SiteSettings site, ILogger<LicenseArchive> log)
{
    private const int CopyBufferBytes = 1024 * 1024;

    public static string DownloadName(Guid licenseId) => $"license-{licenseId}.zip";

    public async Task WriteAsync(LicenseDelivery delivery, byte[] manifestFile, Stream output, CancellationToken ct)
    {
        var license = delivery.License;
        var deliverable = delivery.Deliverable;
        var paths = deliverable.ToDictionary(f => f.Item.WorkId, f => "files/" + f.FileName);
        var archived = new List<ArchivedFile>();
        // Entries are dated by the license rather than by a clock (time comes only from the TimeProvider, and this is a fact of the license).
        var stamp = license.IssuedAt;

        var body = new AsyncOnlyWriteStream(output);
        await using (var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct))
        {
            var licenseText = Encoding.UTF8.GetBytes(LicenseText.For(delivery, paths, site));
            archived.Add(await AddBytesAsync(zip, "LICENSE.txt", "text/plain", licenseText, stamp, ct));
            archived.Add(await AddBytesAsync(zip, "manifest.json", "application/json", manifestFile, stamp, ct));

            // Pooled: a fresh megabyte per download would land on the large object heap every time.
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
            try
            {
                foreach (var file in deliverable)
                {
                    var path = paths[file.Item.WorkId];
                    var facts = XmpLicenseFacts.For(file.Item, delivery.Licensee, file.Sha256, file.AiGenerated, site);
                    await using var opened = await deliveredFiles.OpenAsync(file, facts, embed: true, ct);
                    archived.Add(await AddFileAsync(zip, path, file, opened, stamp, buffer.AsMemory(0, CopyBufferBytes), ct));
                    if (opened.Sidecar is { } sidecar)
                        archived.Add(await AddBytesAsync(zip, DeliveryNames.Sidecar(path), "application/rdf+xml", sidecar, stamp, ct));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            archived.Add(await AddBytesAsync(zip, "croissant.json", "application/ld+json", CroissantMetadata.Build(delivery, archived, site), stamp, ct));
        }
        await body.FlushAsync(ct);
        log.LogInformation("Delivered license {LicenseId} as a ZIP: {Files} files, {Bytes} bytes of content", license.Id, deliverable.Count,
            archived.Sum(a => a.Size));
    }

    /// <summary>Copies one file into a stored entry, hashing the bytes as they pass (for croissant.json).</summary>
    private static async Task<ArchivedFile> AddFileAsync(ZipArchive zip, string path, DeliveryFile file, OpenedFile opened, DateTimeOffset stamp,
        Memory<byte> buffer, CancellationToken ct)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.NoCompression);
        entry.LastWriteTime = stamp;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        await using (var target = await entry.OpenAsync(ct))
        {
            int read;
            while ((read = await opened.Content.ReadAsync(buffer, ct)) > 0)
            {
                sha.AppendData(buffer.Span[..read]);
                await target.WriteAsync(buffer[..read], ct);
                size += read;
            }
        }
        return new ArchivedFile(path, file.ContentType, size, Convert.ToHexStringLower(sha.GetHashAndReset()), file);
    }

    private static async Task<ArchivedFile> AddBytesAsync(ZipArchive zip, string path, string type, byte[] bytes, DateTimeOffset stamp, CancellationToken ct)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        entry.LastWriteTime = stamp;
        await using (var target = await entry.OpenAsync(ct)) await target.WriteAsync(bytes, ct);
        return new ArchivedFile(path, type, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}

/// <summary>
/// The ZIP as a result, for the license page and the API alike. Everything that can say no (not found, nothing
/// deliverable) has said it before this runs; from here on the status is 200 and the body streams. A failure half
/// way (a file missing from the store, the client gone) aborts the connection, so the client sees a broken
/// download rather than a valid-looking archive with files missing.
/// </summary>
public sealed class ArchiveResult(LicenseDelivery delivery, byte[] manifestFile) : IResult, IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => ExecuteAsync(context.HttpContext);

    public async Task ExecuteAsync(HttpContext http)
    {
        var archive = http.RequestServices.GetRequiredService<LicenseArchive>();
        var log = http.RequestServices.GetRequiredService<ILogger<ArchiveResult>>();
        var response = http.Response;
        response.ContentType = "application/zip";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = LicenseArchive.DownloadName(delivery.License.Id) }.ToString();
        response.Headers.CacheControl = "private, no-store";
        // Nothing between us and the socket may collect the body: a multi-gigabyte archive must flow through.
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var ct = http.RequestAborted;
        try
        {
            await response.StartAsync(ct);
            await archive.WriteAsync(delivery, manifestFile, response.Body, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.LogInformation("The client left during the ZIP of license {LicenseId}", delivery.License.Id);
        }
        catch (Exception e) when (e is StoredFileNotFoundException or IOException)
        {
            log.LogError(e, "The ZIP of license {LicenseId} failed half way; the connection is aborted", delivery.License.Id);
            http.Abort();
        }
    }
}
