using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Storage;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Claims;

/// <summary>
/// Anyone signed in with a verified e-mail address files a claim that a listed work is theirs: a statement and
/// evidence (text, links, an optional file). Filing holds the work and its royalties until a moderator decides.
/// </summary>
[Authorize]
[RequestSizeLimit(EvidenceFiles.MaxBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = EvidenceFiles.MaxBytes + 1024 * 1024)]
public sealed class FileModel(IMediator mediator, IFileStore files) : PageModel
{
    [BindProperty] public string? Statement { get; set; }
    [BindProperty] public string? EvidenceText { get; set; }
    [BindProperty] public string? EvidenceUrls { get; set; }
    [BindProperty] public IFormFile? EvidenceFile { get; set; }

    public Target Work { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid workId, CancellationToken ct)
    {
        var work = await mediator.Send(new Query(workId), ct);
        if (work is null) return NotFound();
        Work = work;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid workId, CancellationToken ct)
    {
        var work = await mediator.Send(new Query(workId), ct);
        if (work is null) return NotFound();
        Work = work;
        var evidence = new EvidenceFiles(files);
        ClaimEvidenceFile? stored = null;
        try
        {
            stored = await evidence.StoreAsync(EvidenceFile, ct);
            var id = await mediator.Send(new ClaimCommands.FileClaim(workId, User.UserId(), Statement, EvidenceText, EvidenceUrls, stored), ct);
            TempData["Flash"] = "Your claim was filed. The work is out of the catalog and its royalties are held until a moderator decides.";
            return RedirectToPage("Details", new { id });
        }
        catch (DomainException e)
        {
            // The claim was refused: the file stored for it goes too.
            await evidence.DiscardAsync(stored);
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        catch
        {
            await evidence.DiscardAsync(stored);
            throw;
        }
    }

    public sealed record Query(Guid WorkId) : IRequest<Target?>;

    public sealed record Target(Guid Id, string Title, string CreatorName, bool HasPreview, bool AlreadyHeld);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, Target?>
    {
        public async Task<Target?> Handle(Query request, CancellationToken ct)
        {
            // Only works buyers can see (listed) or that another claim already holds; anything else is "not found".
            var work = await db.Works.AsNoTracking()
                .Where(w => w.Id == request.WorkId && (w.State == WorkState.Listed || w.State == WorkState.Held))
                .Select(w => new { w.Id, w.Title, w.CreatorId, w.PreviewKey, w.State }).FirstOrDefaultAsync(ct);
            if (work is null) return null;
            var names = await db.DisplayNamesAsync([work.CreatorId], ct);
            return new Target(work.Id, work.Title, names.GetValueOrDefault(work.CreatorId, "?"), work.PreviewKey is not null && work.State == WorkState.Listed,
                work.State == WorkState.Held);
        }
    }
}
