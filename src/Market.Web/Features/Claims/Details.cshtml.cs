using Market.Domain;
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
/// One claim, for its two parties only: the claimant (who may withdraw it) and the person who listed the work
/// (who may answer it). Anyone else, whatever id they type, gets 404. The uploader sees the claimant's statement,
/// evidence text and links and display name, but not their e-mail address nor the evidence file, which may hold
/// private papers (contracts, IDs) meant for the moderators.
/// </summary>
[Authorize]
public sealed class DetailsModel(IMediator mediator, IFileStore files) : PageModel
{
    [BindProperty] public string? CounterStatement { get; set; }

    public View Claim { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var claim = await mediator.Send(new Query(id, User.UserId()), ct);
        if (claim is null) return NotFound();
        Claim = claim;
        return Page();
    }

    /// <summary>The evidence file, as a download, to the claimant who attached it.</summary>
    public async Task<IActionResult> OnGetEvidenceAsync(Guid id, CancellationToken ct)
    {
        var claim = await mediator.Send(new Query(id, User.UserId()), ct);
        if (claim is not { IsClaimant: true, EvidenceFile: { } file }) return NotFound();
        return File(await new EvidenceFiles(files).OpenAsync(file, ct), file.ContentType, file.FileName);
    }

    public Task<IActionResult> OnPostCounterAsync(Guid id, CancellationToken ct) =>
        RunAsync(id, new ClaimCommands.Counter(id, User.UserId(), CounterStatement), "Your answer was recorded; the moderators read it with the claim.", ct);

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct) =>
        RunAsync(id, new ClaimCommands.Withdraw(id, User.UserId()), "Your claim was withdrawn.", ct);

    private async Task<IActionResult> RunAsync(Guid id, IRequest<Unit> command, string done, CancellationToken ct)
    {
        try
        {
            await mediator.Send(command, ct);
        }
        catch (NoSuchClaimException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            var claim = await mediator.Send(new Query(id, User.UserId()), ct);
            if (claim is null) return NotFound();
            Claim = claim;
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        TempData["Flash"] = done;
        return RedirectToPage(new { id });
    }

    public sealed record Query(Guid ClaimId, string UserId) : IRequest<View?>;

    public sealed record View(Guid Id, Guid WorkId, string WorkTitle, bool IsClaimant, string ClaimantName, string UploaderName, ClaimState State,
        string Statement, string EvidenceText, IReadOnlyList<string> EvidenceUrls, ClaimEvidenceFile? EvidenceFile, DateTimeOffset FiledAt,
        string? CounterStatement, DateTimeOffset? CounterStatementAt, string? DecisionReason, DateTimeOffset? DecidedAt);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            // Scoped to the caller's side of the claim: this filter is the access check.
            var claim = await db.Claims.AsNoTracking()
                .FirstOrDefaultAsync(c => c.Id == request.ClaimId && (c.ClaimantId == request.UserId || c.UploaderId == request.UserId), ct);
            if (claim is null) return null;
            var title = await db.Works.Where(w => w.Id == claim.WorkId).Select(w => w.Title).FirstAsync(ct);
            var names = await db.DisplayNamesAsync([claim.ClaimantId, claim.UploaderId], ct);
            var isClaimant = claim.ClaimantId == request.UserId;
            return new View(claim.Id, claim.WorkId, title, isClaimant, names.GetValueOrDefault(claim.ClaimantId, "?"), names.GetValueOrDefault(claim.UploaderId, "?"),
                claim.State, claim.Statement, claim.EvidenceText, claim.EvidenceUrls, isClaimant ? claim.EvidenceFile : null, claim.FiledAt,
                claim.CounterStatement, claim.CounterStatementAt, claim.DecisionReason, claim.DecidedAt);
        }
    }
}
