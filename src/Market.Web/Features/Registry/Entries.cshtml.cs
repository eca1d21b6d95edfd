using Market.Web.Detection;
using System.Security.Cryptography;
using Market.Domain;
using Market.Domain.Detection;
using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Imaging;
using Market.Web.Storage;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NetVips;

namespace Market.Web.Features.Registry;

/// <summary>
/// An approved registrant's entries: register by upload or by hashes, remove. Every query and command is scoped to
/// the caller's own registrant, found by their account.
/// </summary>
[Authorize]
[RequestSizeLimit(MaxImageBytes + 1024 * 1024)]
public sealed class EntriesModel(IMediator mediator) : PageModel
{
    public const long MaxImageBytes = 50L * 1024 * 1024;
    /// <summary>Store prefix of registry images: kept apart from the public previews.</summary>
    public const string ImagePrefix = "registry";

    [BindProperty] public string? Label { get; set; }
    [BindProperty] public IFormFile? Image { get; set; }
    [BindProperty] public string? Lines { get; set; }
    [BindProperty] public IFormFile? LinesFile { get; set; }

    public View? Registry { get; private set; }
    public IReadOnlyList<HashLineError> LineErrors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Registry = await mediator.Send(new Query(User.UserId()), ct);
        return Registry is null ? Redirect("/Registry") : Page();
    }

    public async Task<IActionResult> OnPostUploadAsync([FromServices] UploadStaging staging, [FromServices] StorageSettings settings,
        [FromServices] ImageInspector images, [FromServices] IFileStore files, CancellationToken ct)
    {
        // Checked before any file work, and again inside the command.
        if (await mediator.Send(new Query(User.UserId()), ct) is not { CanRegister: true }) return await FailAsync("A moderator has not approved your application yet.", ct);
        if (Image is null || Image.Length == 0) return await FailAsync("Choose an image to register.", ct);
        string? key = null;
        try
        {
            using var staged = await staging.StageAsync(Image.OpenReadStream(), Math.Min(settings.MaxFileBytes, MaxImageBytes), ct);
            images.Inspect(staged.Path);
            string sha256;
            await using (var stream = System.IO.File.OpenRead(staged.Path))
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
            // The same pipeline the upload scan runs, so an entry and a later upload compare like two uploads.
            var fingerprint = DetectionPipeline.Fingerprint(staged.Path);
            var preview = images.Preview(staged.Path);
            key = StoreKeys.New(ImagePrefix);
            using (var previewStream = new MemoryStream(preview))
                await files.PutAsync(key, previewStream, "image/jpeg", ct);
            var whole = fingerprint.Hashes.First(h => h.View == HashView.Whole && h.Dihedral == 0);
            await mediator.Send(new RegisterUploadedWork(User.UserId(), Label, sha256, whole.Hash.ToHex(), key, FingerprintCodec.Encode(fingerprint)), ct);
        }
        catch (Exception e) when (e is BadImageException or DomainException or FileTooLargeException or VipsException or OpenCvSharp.OpenCVException)
        {
            if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
            return await FailAsync(e is VipsException ? "The file could not be decoded." : e.Message, ct);
        }
        TempData["Flash"] = $"“{Label?.Trim()}” is registered.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostHashesAsync(CancellationToken ct)
    {
        var text = Lines;
        if (LinesFile is { Length: > 0 })
        {
            if (LinesFile.Length > 1024 * 1024) return await FailAsync("The file of hashes must be at most 1 MB.", ct);
            using var reader = new StreamReader(LinesFile.OpenReadStream());
            text = await reader.ReadToEndAsync(ct);
        }
        try
        {
            var count = await mediator.Send(new RegisterHashes(User.UserId(), text), ct);
            TempData["Flash"] = $"{count} work{(count == 1 ? "" : "s")} registered by hash.";
            return RedirectToPage();
        }
        catch (HashLinesException e)
        {
            LineErrors = e.Errors;
            return await FailAsync(e.Message, ct);
        }
        catch (DomainException e)
        {
            return await FailAsync(e.Message, ct);
        }
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid entryId, CancellationToken ct)
    {
        try
        {
            var label = await mediator.Send(new RemoveProtectedWork(User.UserId(), entryId), ct);
            TempData["Flash"] = $"“{label}” was removed from the registry.";
            return RedirectToPage();
        }
        catch (DomainException e)
        {
            return await FailAsync(e.Message, ct);
        }
    }

    private async Task<IActionResult> FailAsync(string message, CancellationToken ct)
    {
        ModelState.AddModelError("", message);
        Registry = await mediator.Send(new Query(User.UserId()), ct);
        return Registry is null ? Redirect("/Registry") : Page();
    }

    public sealed record Query(string UserId) : IRequest<View?>;

    public sealed record Entry(Guid Id, string Label, ProtectedWorkSource Source, string PerceptualHash, int? Quality, DateTimeOffset RegisteredAt);

    public sealed record View(bool CanRegister, string Standing, IReadOnlyList<Entry> Entries);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            var registrant = await db.Registrants.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == request.UserId, ct);
            if (registrant is null) return null;
            var standing = "";
            try { registrant.EnsureCanRegister(); }
            catch (DomainException e) { standing = e.Message; }
            var entries = await db.ProtectedWorks.AsNoTracking()
                .Where(p => p.RegistrantId == registrant.Id && p.RemovedAt == null)
                .OrderByDescending(p => p.RegisteredAt).Take(1000)
                .Select(p => new Entry(p.Id, p.Label, p.Source, p.PerceptualHash, p.Quality, p.RegisteredAt))
                .ToListAsync(ct);
            return new View(registrant.CanRegister, standing, entries);
        }
    }
}
