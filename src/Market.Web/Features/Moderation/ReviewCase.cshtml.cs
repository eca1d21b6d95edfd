using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Storage;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Moderation;

/// <summary>
/// One case: the held upload and what it matched, side by side, with the distance, the edit that matched, both
/// owners and the history; and the decision. The folder's Moderator policy is the access check (the route is
/// /Moderation/Review/{id}, the page lives in /Moderation).
/// </summary>
public sealed class ReviewCaseModel(IMediator mediator) : PageModel
{
    [BindProperty] public string? Note { get; set; }

    public View Case { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var view = await mediator.Send(new Query(id), ct);
        if (view is null) return NotFound();
        Case = view;
        return Page();
    }

    public Task<IActionResult> OnPostClearAsync(Guid id, CancellationToken ct) => DecideAsync(id, confirm: false, ct);

    public Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken ct) => DecideAsync(id, confirm: true, ct);

    private async Task<IActionResult> DecideAsync(Guid id, bool confirm, CancellationToken ct)
    {
        try
        {
            var state = await mediator.Send(new DecideReviewCase(id, User.UserId(), confirm, Note), ct);
            TempData["Flash"] = state == ReviewCaseState.Cleared ? "Case cleared." : "Case confirmed: the upload is refused and its creator told how to appeal.";
            return Redirect($"/Moderation/Review/{id}");
        }
        catch (NoSuchCaseException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(nameof(Note), e.Message);
            return await OnGetAsync(id, ct);
        }
    }

    /// <summary>The two images: the held upload's preview, and the matched work's preview or the registry entry's private copy.</summary>
    public async Task<IActionResult> OnGetImageAsync(Guid id, string side, [FromServices] MarketDb db, [FromServices] IFileStore files, CancellationToken ct)
    {
        var review = await db.ReviewCases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (review is null) return NotFound();
        string? key = side switch
        {
            "upload" => await db.Works.Where(w => w.Id == review.WorkId).Select(w => w.PreviewKey).FirstOrDefaultAsync(ct),
            "target" when review.Kind == ReviewCaseKind.WorkMatch =>
                await db.Works.Where(w => w.Id == review.TargetId).Select(w => w.PreviewKey).FirstOrDefaultAsync(ct),
            "target" when review.Kind == ReviewCaseKind.ProtectedWorkMatch =>
                await db.ProtectedWorks.Where(p => p.Id == review.TargetId).Select(p => p.ImageKey).FirstOrDefaultAsync(ct),
            _ => null,
        };
        if (key is null) return NotFound();
        Response.Headers.CacheControl = "private, no-store";
        return File(await files.OpenReadAsync(key, ct), "image/jpeg");
    }

    public sealed record Query(Guid Id) : IRequest<View?>;

    public sealed record Side(string Heading, string Title, string Owner, string State, string? ImageUrl, string? NoImageNote, IReadOnlyList<(string Label, string Value)> Facts);

    public sealed record HistoryLine(DateTimeOffset At, string Actor, string Action, string Detail);

    public sealed record View(Guid Id, Guid WorkId, ReviewCaseKind Kind, ReviewCaseState State, int? Distance, string Edit, DateTimeOffset OpenedAt,
        string? DecidedBy, DateTimeOffset? DecidedAt, string? Note, Side Upload, Side Target, IReadOnlyList<HistoryLine> History, int OtherOpenCases);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            var c = await db.ReviewCases.AsNoTracking().FirstOrDefaultAsync(x => x.Id == request.Id, ct);
            if (c is null) return null;
            var work = await db.Works.AsNoTracking().Include(w => w.Flags).FirstAsync(w => w.Id == c.WorkId, ct);
            var people = new List<string> { work.CreatorId };
            Work? targetWork = null;
            ProtectedWork? entry = null;
            Registrant? registrant = null;
            if (c.Kind == ReviewCaseKind.WorkMatch)
            {
                targetWork = await db.Works.AsNoTracking().FirstOrDefaultAsync(w => w.Id == c.TargetId, ct);
                if (targetWork is not null) people.Add(targetWork.CreatorId);
            }
            else if (c.Kind == ReviewCaseKind.ProtectedWorkMatch)
            {
                entry = await db.ProtectedWorks.AsNoTracking().FirstOrDefaultAsync(p => p.Id == c.TargetId, ct);
                if (entry is not null) registrant = await db.Registrants.AsNoTracking().FirstAsync(r => r.Id == entry.RegistrantId, ct);
            }
            var trail = await db.AuditEntries.AsNoTracking()
                .Where(a => a.WorkId == work.Id || (a.Subject == AuditSubject.ReviewCase && a.SubjectId == c.Id))
                .OrderBy(a => a.At).ThenBy(a => a.Id).Take(200).ToListAsync(ct);
            people.AddRange(trail.Select(a => a.ActorId));
            if (c.DecidedBy is not null) people.Add(c.DecidedBy);
            var accounts = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id))
                .ToDictionaryAsync(u => u.Id, u => $"{u.DisplayName} <{u.Email}>", ct);
            string Who(string id) => id == AuditEntry.System ? "the system" : accounts.GetValueOrDefault(id, "unknown account");

            var upload = new Side("Held upload", work.Title, Who(work.CreatorId), work.Status,
                work.PreviewKey is null ? null : $"/Moderation/Review/{c.Id}?handler=Image&side=upload", work.PreviewKey is null ? "No preview was made." : null,
                [("Work id", work.Id.ToString()), ("Uploaded (UTC)", work.CreatedAt.ToString("yyyy-MM-dd HH:mm")), ("File", work.OriginalFileName),
                 ("SHA-256", work.Sha256 ?? ""), ("Perceptual hash", work.PerceptualHash ?? "")]);
            var target = c.Kind switch
            {
                ReviewCaseKind.WorkMatch when targetWork is not null => new Side("Matched work", targetWork.Title, Who(targetWork.CreatorId), targetWork.Status,
                    targetWork.PreviewKey is null ? null : $"/Moderation/Review/{c.Id}?handler=Image&side=target", targetWork.PreviewKey is null ? "No preview was made." : null,
                    [("Work id", targetWork.Id.ToString()), ("Uploaded (UTC)", targetWork.CreatedAt.ToString("yyyy-MM-dd HH:mm")),
                     ("SHA-256", targetWork.Sha256 ?? ""), ("Perceptual hash", targetWork.PerceptualHash ?? "")]),
                ReviewCaseKind.ProtectedWorkMatch when entry is not null && registrant is not null => new Side("Protected-registry entry", entry.Label,
                    $"{registrant.LegalName}{(registrant.Organisation is null ? "" : $" ({registrant.Organisation})")} <{registrant.Email}>",
                    entry.IsActive ? "registered" : "removed from the registry",
                    entry.ImageKey is null ? null : $"/Moderation/Review/{c.Id}?handler=Image&side=target",
                    entry.ImageKey is null ? "No image is held: the rights holder registered this work by its hash only, so the image never left their hands." : null,
                    [("Entry id", entry.Id.ToString()), ("Registered (UTC)", entry.RegisteredAt.ToString("yyyy-MM-dd HH:mm")),
                     ("Registered by", entry.Source == ProtectedWorkSource.Upload ? "upload" : "hash only"),
                     ("Perceptual hash", entry.PerceptualHash), ("Quality", entry.Quality?.ToString() ?? "not given")]),
                ReviewCaseKind.DeclaredAiGenerated => new Side("Declaration", "Declared AI-generated", Who(work.CreatorId), "",
                    null, string.Join(" ", work.Flags.Where(f => f.Kind == FlagKind.DeclaredAiGenerated).Select(f => f.Detail + (f.Answer is { } a ? " " + WorkFlag.AnswerText(a) : ""))), []),
                _ => new Side("Matched", "(no longer exists)", "", "", null, "The matched record could not be found.", []),
            };
            var others = await db.ReviewCases.CountAsync(x => x.WorkId == work.Id && x.Id != c.Id && x.State == ReviewCaseState.Open, ct);
            return new View(c.Id, work.Id, c.Kind, c.State, c.Distance, c.Edit, c.OpenedAt, c.DecidedBy is null ? null : Who(c.DecidedBy), c.DecidedAt, c.Note,
                upload, target, trail.Select(a => new HistoryLine(a.At, Who(a.ActorId), a.Action, a.Detail)).ToList(), others);
        }
    }
}
