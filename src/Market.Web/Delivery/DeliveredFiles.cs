using System.Security.Cryptography;
using Market.Web.Storage;

namespace Market.Web.Delivery;

/// <summary>A file ready to send: its bytes as delivered, their length, and the sidecar when the format holds no XMP of ours.</summary>
public sealed class OpenedFile(Stream content, long length, string? embeddedFormat, byte[]? sidecar, string entityTag, LocalFile lease) : IAsyncDisposable
{
    public Stream Content { get; } = content;
    public long Length { get; } = length;
    /// <summary>jpeg, png, webp or tiff when the packet is inside the file; null for the original as uploaded.</summary>
    public string? EmbeddedFormat { get; } = embeddedFormat;
    /// <summary>The packet to ship beside the file (as <c>name.xmp</c>) when it could not go inside.</summary>
    public byte[]? Sidecar { get; } = sidecar;
    /// <summary>Quoted strong ETag: the same for the same bytes, different for embedded and original.</summary>
    public string EntityTag { get; } = entityTag;

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync();
        lease.Dispose();
    }
}

/// <summary>
/// Opens licensed originals for delivery. The store lends a local file (the local store its own; object storage a
/// temporary copy, deleted when the file is disposed) because the embedder needs to seek, and ranges need it too.
/// One file is open at a time per download, so the disk a download borrows is at most one original.
/// </summary>
public sealed class DeliveredFiles(IFileStore store)
{
    public async Task<OpenedFile> OpenAsync(DeliveryFile file, XmpLicenseFacts facts, bool embed, CancellationToken ct)
    {
        var lease = await store.GetLocalFileAsync(file.StoreKey, ct);
        FileStream? source = null;
        try
        {
            source = new FileStream(lease.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, useAsync: true);
            var originalTag = file.Sha256 ?? Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(file.StoreKey)));
            if (!embed) return new OpenedFile(source, source.Length, null, null, $"\"{originalTag}\"", lease);

            var packet = LicenseXmp.Packet(facts);
            var packetTag = Convert.ToHexStringLower(SHA256.HashData(packet))[..16];
            var plan = XmpEmbedder.Plan(source, packet);
            if (plan is null) return new OpenedFile(source, source.Length, null, packet, $"\"{originalTag}\"", lease);
            return new OpenedFile(plan.Open(source), plan.Length, plan.Format, null, $"\"{originalTag[..32]}-xmp-{packetTag}\"", lease);
        }
        catch
        {
            if (source is not null) await source.DisposeAsync();
            lease.Dispose();
            throw;
        }
    }
}
