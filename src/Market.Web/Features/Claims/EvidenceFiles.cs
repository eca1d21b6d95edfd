using Market.Domain;
using Market.Domain.Moderation;
using Market.Web.Features.Works;
using Market.Web.Storage;

namespace Market.Web.Features.Claims;

/// <summary>
/// The optional file a claimant attaches: an image or a PDF (a contract, a dated screenshot, the RAW file's
/// export). Its type is decided by its first bytes, never by its name or the browser's word, and it is stored
/// in the file store under its own prefix; it is only ever served back as a download, to the claimant and the
/// moderators.
/// </summary>
public sealed class EvidenceFiles(IFileStore files)
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const string Prefix = "evidence";

    public async Task<ClaimEvidenceFile?> StoreAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0) return null;
        if (file.Length > MaxBytes) throw new DomainException($"The evidence file must be at most {MaxBytes / (1024 * 1024)} MB.");
        var head = new byte[12];
        int read;
        await using (var peek = file.OpenReadStream())
            read = await peek.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var type = Sniff(head.AsSpan(0, read))
                   ?? throw new DomainException("The evidence file must be a PDF or an image (JPEG, PNG or WebP).");
        var key = StoreKeys.New(Prefix);
        await using (var content = file.OpenReadStream())
            await files.PutAsync(key, content, type, ct);
        return new ClaimEvidenceFile(key, UploadIntake.CleanFileName(file.FileName), type, file.Length);
    }

    /// <summary>A file stored for a claim that was then refused: removed, so nothing is left behind.</summary>
    public Task DiscardAsync(ClaimEvidenceFile? file) => file is null ? Task.CompletedTask : files.DeleteAsync(file.StorageKey, CancellationToken.None);

    public Task<Stream> OpenAsync(ClaimEvidenceFile file, CancellationToken ct) => files.OpenReadAsync(file.StorageKey, ct);

    /// <summary>The content type the leading bytes prove, or null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8)) return "application/pdf";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        return null;
    }
}
