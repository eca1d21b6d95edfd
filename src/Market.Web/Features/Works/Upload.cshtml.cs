using Market.Domain;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using Market.Web.Storage;
using MediatR;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Market.Web.Features.Works;

/// <summary>
/// Many files at once. The page's script sends each file in its own request with the antiforgery token in a
/// header, so nothing reads the form: the multipart body is read section by section and every file streams
/// straight to the staging folder (server memory stays flat whatever the size). Without script, the plain
/// form post works too; ASP.NET then buffers the files to disk before we see them.
/// </summary>
[RequestSizeLimit(UploadLimits.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = UploadLimits.MaxRequestBytes)]
public sealed class UploadModel(UploadIntake intake, StorageSettings storage) : PageModel
{
    public IReadOnlyList<UploadOutcome> Outcomes { get; private set; } = [];
    public long MaxFileBytes => storage.MaxFileBytes;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcomes = new List<UploadOutcome>();
        var creatorId = User.UserId();
        if (HttpContext.Features.Get<IFormFeature>()?.Form is { } form)
        {
            // The form was already read (the antiforgery token came as a form field): files are buffered on disk.
            foreach (var file in form.Files.Take(UploadLimits.MaxFilesPerRequest))
            {
                await using var content = file.OpenReadStream();
                outcomes.Add(await intake.AcceptAsync(creatorId, file.FileName, content, ct));
            }
        }
        else if (MediaTypeHeaderValue.TryParse(Request.ContentType, out var type)
                 && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                 && HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 and <= 200 } boundary)
        {
            var reader = new MultipartReader(boundary, Request.Body);
            while (await NextSectionAsync(reader, outcomes, ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition()) continue;
                var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value;
                if (outcomes.Count == UploadLimits.MaxFilesPerRequest)
                {
                    outcomes.Add(new UploadOutcome(UploadIntake.CleanFileName(name), null,
                        $"At most {UploadLimits.MaxFilesPerRequest} files go in one upload; send the rest in another."));
                    break;
                }
                outcomes.Add(await intake.AcceptAsync(creatorId, name, section.Body, ct));
            }
        }

        if (outcomes.Count == 0)
            outcomes.Add(new UploadOutcome("", null, "Choose one or more image files."));
        if (WantsJson())
            return new JsonResult(outcomes.Select(o => new { o.FileName, o.WorkId, o.Error, Url = o.WorkId is { } id ? Url.Page("Details", new { id }) : null }))
            {
                StatusCode = outcomes.All(o => o.Accepted) ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity,
            };
        Outcomes = outcomes;
        return Page();
    }

    /// <summary>The next part of the body; a malformed or cut-off body ends the upload with a result saying so.</summary>
    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, List<UploadOutcome> outcomes, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (Exception e) when (e is IOException or InvalidDataException && !ct.IsCancellationRequested)
        {
            outcomes.Add(new UploadOutcome("", null, "The upload was cut off or is not a valid multipart form. Try again."));
            return null;
        }
    }

    private bool WantsJson() => Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
}

public static class UploadLimits
{
    /// <summary>One request may carry several files; each is also held to Storage:MaxFileBytes as it streams.</summary>
    public const long MaxRequestBytes = 4L * 1024 * 1024 * 1024;
    public const int MaxFilesPerRequest = 500;
}

/// <summary>Creates the draft work for a stored original.</summary>
public static class Upload
{
    public sealed record Command(string CreatorId, string? Title, string? Description, StoredImage Image, EmbeddedMetadata? Metadata = null) : ICommand<Guid>;

    internal sealed class Handler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<Command, Guid>
    {
        public async Task<Guid> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            // An account sanctioned for upheld theft claims (Claims/ClaimCommands) may be barred from uploading.
            var sanctions = await db.Sanctions.AsNoTracking().Where(s => s.UserId == request.CreatorId).ToListAsync(ct);
            if (Market.Domain.Moderation.SanctionLadder.UploadRefusal(sanctions, now) is { } refusal) throw new DomainException(refusal);
            var creatorName = (await db.DisplayNamesAsync([request.CreatorId], ct)).GetValueOrDefault(request.CreatorId);
            var work = Work.Upload(Guid.CreateVersion7(now), request.CreatorId, request.Title, request.Description, request.Image, now,
                creatorName, request.Metadata);
            db.Works.Add(work);
            if (work.HasOpenFlags)
                await notifier.NotifyAsync(request.CreatorId, NotificationKind.WorkFlagged, $"“{work.Title}” needs your answer",
                    string.Join(" ", work.Flags.Select(f => f.Detail)) + " Answer on the work's page; it cannot be listed until you do.",
                    $"/Works/Details/{work.Id}", ct);
            return work.Id;
        }
    }
}
