using System.Text;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Data;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Delivery;

/// <summary>One item of a license with what delivering it needs: where its original is and what it was.</summary>
public sealed record DeliveryFile(
    LicenseItem Item,
    string StoreKey,
    string ContentType,
    long ByteSize,
    string? Sha256,
    bool AiGenerated,
    DateTimeOffset? ConsentGrantedAt,
    string? ConsentTextVersion)
{
    /// <summary>The name inside the archive and in Content-Disposition: the title made safe, a short work id, the extension of the type.</summary>
    public string FileName { get; init; } = "";
}

/// <summary>A license as delivery sees it at one moment: which items may be downloaded now and why the others may not.</summary>
public sealed record LicenseDelivery(License License, string Licensee, IReadOnlyList<DeliveryFile> Files, DateTimeOffset Now)
{
    public IReadOnlyList<DeliveryFile> Deliverable => Files.Where(f => f.Item.IsDeliverable(Now)).ToList();

    public DeliveryFile? File(Guid workId) => Files.FirstOrDefault(f => f.Item.WorkId == workId);

    /// <summary>Why an item is not delivered, in words for the person who asked; null when it is.</summary>
    public string? Refusal(DeliveryFile file) => Refusal(file.Item, Now);

    public static string? Refusal(LicenseItem item, DateTimeOffset now)
    {
        if (item.RecalledAt is { } recalled)
            return $"“{item.WorkTitle}” was recalled on {recalled:yyyy-MM-dd}: {item.RecallReason} It may no longer be downloaded.";
        if (now >= item.EndsAt)
            return $"The license for “{item.WorkTitle}” ended on {item.EndsAt:yyyy-MM-dd}; it may no longer be downloaded, and the duties at its end apply " +
                   $"({LicenseTerms.DutyText(item.Terms.DutyAtExpiry)}, attested within {item.Terms.AttestWithinDays} days).";
        if (now < item.StartsAt) return $"The license for “{item.WorkTitle}” starts on {item.StartsAt:yyyy-MM-dd}.";
        return null;
    }
}

/// <summary>Loads a license for delivery, scoped to the organisation: another organisation's license id is not found.</summary>
public sealed record LoadDelivery(Guid LicenseId, Guid OrganisationId) : IRequest<LicenseDelivery?>;

internal sealed class LoadDeliveryHandler(MarketDb db, TimeProvider clock) : IRequestHandler<LoadDelivery, LicenseDelivery?>
{
    public async Task<LicenseDelivery?> Handle(LoadDelivery request, CancellationToken ct)
    {
        var license = await db.Licenses.AsNoTracking().Include(l => l.Items)
            .FirstOrDefaultAsync(l => l.Id == request.LicenseId && l.OrganisationId == request.OrganisationId, ct);
        if (license is null) return null;
        var licensee = await db.Organisations.Where(o => o.Id == license.OrganisationId).Select(o => o.Name).FirstAsync(ct);
        var workIds = license.Items.Select(i => i.WorkId).ToList();
        var works = await db.Works.AsNoTracking().Where(w => workIds.Contains(w.Id))
            .Select(w => new { w.Id, w.OriginalKey, w.ContentType, w.ByteSize, w.Sha256, w.AiGenerated, w.OriginalFileName })
            .ToDictionaryAsync(w => w.Id, ct);
        // The consent each item was sold under: the last grant before the license was issued (a later withdrawal
        // does not undo a license already sold, and the record of consent stays true for it).
        var grants = (await db.ConsentRecords.AsNoTracking()
                .Where(c => workIds.Contains(c.WorkId) && c.Action == ConsentAction.Granted && c.At <= license.IssuedAt)
                .Select(c => new { c.WorkId, c.At, c.TextVersion })
                .ToListAsync(ct))
            .GroupBy(c => c.WorkId)
            .ToDictionary(g => g.Key, g => g.MaxBy(c => c.At)!);

        var files = new List<DeliveryFile>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in license.Items.OrderBy(i => i.WorkTitle, StringComparer.Ordinal).ThenBy(i => i.WorkId))
        {
            // A work row never goes away while a license holds it (the foreign keys restrict), but be exact anyway.
            if (!works.TryGetValue(item.WorkId, out var work)) continue;
            grants.TryGetValue(item.WorkId, out var grant);
            var name = DeliveryNames.FileName(item.WorkTitle, item.WorkId, work.ContentType, work.OriginalFileName, names);
            files.Add(new DeliveryFile(item, work.OriginalKey, work.ContentType, work.ByteSize, work.Sha256, work.AiGenerated, grant?.At, grant?.TextVersion)
            {
                FileName = name,
            });
        }
        return new LicenseDelivery(license, licensee, files, clock.GetUtcNow());
    }
}

/// <summary>File names inside archives and downloads. Made from user text, so nothing in them may reach a path.</summary>
public static class DeliveryNames
{
    public const int MaxTitleChars = 60;

    public static string FileName(string title, Guid workId, string contentType, string? originalFileName, ISet<string> taken)
    {
        var stem = SafeTitle(title);
        var id = workId.ToString("N");
        // The end of a version-7 id is random; its start is a timestamp that works uploaded together share.
        var name = $"{stem}-{id[^8..]}{Extension(contentType, originalFileName)}";
        if (!taken.Add(name))
        {
            name = $"{stem}-{id}{Extension(contentType, originalFileName)}";
            taken.Add(name);
        }
        return name;
    }

    /// <summary>Letters and digits of any script, and dashes for everything else, at most <see cref="MaxTitleChars"/>.</summary>
    public static string SafeTitle(string title)
    {
        var safe = new StringBuilder(Math.Min(title.Length, MaxTitleChars));
        var dash = false;
        foreach (var rune in title.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                if (dash && safe.Length > 0) safe.Append('-');
                dash = false;
                if (safe.Length + rune.Utf16SequenceLength > MaxTitleChars) break;
                safe.Append(rune.ToString());
            }
            else dash = true;
        }
        return safe.Length == 0 ? "work" : safe.ToString();
    }

    public static string Extension(string contentType, string? originalFileName) => contentType switch
    {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/webp" => ".webp",
        "image/tiff" => ".tif",
        "image/gif" => ".gif",
        _ => SafeExtension(originalFileName),
    };

    private static string SafeExtension(string? fileName)
    {
        var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        return ext.Length is > 1 and <= 6 && ext[1..].All(char.IsAsciiLetterOrDigit) ? ext : ".bin";
    }

    /// <summary>An Adobe-style sidecar: the image's name with .xmp instead of its extension.</summary>
    public static string Sidecar(string fileName) => Path.ChangeExtension(fileName, ".xmp");
}
