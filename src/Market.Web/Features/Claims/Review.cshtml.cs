using Market.Domain;
using Market.Domain.Licensing;
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
/// A moderator reads one claim with everything needed to decide it (the work, both parties, the evidence, the
/// uploader's answer and earlier strikes, the work's sales, its audit history) and upholds or rejects it with a
/// reason both parties are told.
/// </summary>
[Authorize(Policy = Policies.Moderator)]
public sealed class ReviewModel(IMediator mediator, IFileStore files) : PageModel
{
    [BindProperty] public string? Reason { get; set; }

    public View Claim { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var claim = await mediator.Send(new Query(id), ct);
        if (claim is null) return NotFound();
        Claim = claim;
        return Page();
    }

    public async Task<IActionResult> OnGetEvidenceAsync(Guid id, CancellationToken ct)
    {
        var claim = await mediator.Send(new Query(id), ct);
        if (claim?.EvidenceFile is not { } file) return NotFound();
        return File(await new EvidenceFiles(files).OpenAsync(file, ct), file.ContentType, file.FileName);
    }

    /// <summary>The work's preview, whatever its state: the public preview route serves listed works only.</summary>
    public async Task<IActionResult> OnGetPreviewAsync(Guid id, CancellationToken ct)
    {
        var claim = await mediator.Send(new Query(id), ct);
        if (claim?.PreviewKey is not { } key) return NotFound();
        return File(await files.OpenReadAsync(key, ct), "image/jpeg");
    }

    public Task<IActionResult> OnPostUpholdAsync(Guid id, CancellationToken ct) => DecideAsync(id, uphold: true, ct);

    public Task<IActionResult> OnPostRejectAsync(Guid id, CancellationToken ct) => DecideAsync(id, uphold: false, ct);

    private async Task<IActionResult> DecideAsync(Guid id, bool uphold, CancellationToken ct)
    {
        ClaimState outcome;
        try
        {
            outcome = await mediator.Send(new ClaimCommands.Decide(id, User.UserId(), uphold, Reason), ct);
        }
        catch (NoSuchClaimException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            var claim = await mediator.Send(new Query(id), ct);
            if (claim is null) return NotFound();
            Claim = claim;
            ModelState.AddModelError(nameof(Reason), e.Message);
            return Page();
        }
        TempData["Flash"] = outcome == ClaimState.Upheld
            ? "Claim upheld: the work was taken down, its licenses recalled, its royalties go to the claimant, and the uploader was sanctioned."
            : "Claim rejected: both parties were told.";
        return RedirectToPage(new { id });
    }

    public sealed record Query(Guid ClaimId) : IRequest<View?>;

    public sealed record Party(string Id, string Name, string? Email);

    public sealed record History(DateTimeOffset At, string Actor, string Action, string Detail);

    public sealed record View(Claim Claim, string WorkTitle, string WorkState, string? PreviewKey, Party Claimant, Party Uploader, int Sales,
        IReadOnlyList<Sanction> UploaderStrikes, IReadOnlyList<History> Audit, int OtherOpenClaims)
    {
        public ClaimEvidenceFile? EvidenceFile => Claim.EvidenceFile;
    }

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            // Moderators see every claim: the page's policy is the access check.
            var claim = await db.Claims.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.ClaimId, ct);
            if (claim is null) return null;
            var work = await db.Works.AsNoTracking().Where(w => w.Id == claim.WorkId).Select(w => new { w.Title, w.State, w.PreviewKey }).FirstAsync(ct);
            var users = await db.Users.AsNoTracking().Where(u => u.Id == claim.ClaimantId || u.Id == claim.UploaderId)
                .ToDictionaryAsync(u => u.Id, u => new Party(u.Id, u.DisplayName, u.Email), ct);
            var sales = await db.Set<LicenseItem>().CountAsync(i => i.WorkId == claim.WorkId, ct);
            var strikes = await db.Sanctions.AsNoTracking().Where(s => s.UserId == claim.UploaderId).OrderBy(s => s.At).ToListAsync(ct);
            var audit = await db.AuditEntries.AsNoTracking().Where(a => a.WorkId == claim.WorkId).OrderBy(a => a.At).Take(500).ToListAsync(ct);
            var actors = await db.DisplayNamesAsync(audit.Select(a => a.ActorId), ct);
            var others = await db.Claims.CountAsync(c => c.WorkId == claim.WorkId && c.State == ClaimState.Open && c.Id != claim.Id, ct);
            return new View(claim, work.Title, work.State.ToString(), work.PreviewKey, users[claim.ClaimantId], users[claim.UploaderId], sales, strikes,
                audit.Select(a => new History(a.At, actors.GetValueOrDefault(a.ActorId, a.ActorId), a.Action, a.Detail)).ToList(), others);
        }
    }
}
