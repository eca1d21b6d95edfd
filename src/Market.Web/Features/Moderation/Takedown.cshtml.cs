using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Moderation;

/// <summary>
/// A moderator finds a work by its id, reads who listed it and how many licenses hold it, and takes it down with a
/// reason. Detection (issue 6) will raise cases that end in the same <see cref="TakeDownWork"/> command.
/// </summary>
public sealed class TakedownModel(IMediator mediator) : PageModel
{
    /// <summary>As typed: a malformed id gets a message, not a 400.</summary>
    [BindProperty(SupportsGet = true)] public string? WorkId { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public View? Work { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(WorkId)) return Page();
        if (!Guid.TryParse(WorkId.Trim(), out var id))
        {
            ModelState.AddModelError(nameof(WorkId), "A work id looks like 0193a1b2-…: the id at the end of the work's address.");
            return Page();
        }
        Work = await mediator.Send(new Query(id), ct);
        if (Work is null) ModelState.AddModelError(nameof(WorkId), "There is no work with that id.");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Guid.TryParse(WorkId, out var id)) return NotFound();
        TakedownResult result;
        try
        {
            result = await mediator.Send(new TakeDownWork(id, User.UserId(), Reason), ct);
        }
        catch (NoSuchWorkException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            Work = await mediator.Send(new Query(id), ct);
            if (Work is null) return NotFound();
            ModelState.AddModelError(nameof(Reason), e.Message);
            return Page();
        }
        TempData["Flash"] = $"“{result.Title}” was taken down. {result.LicensesRecalled} license{(result.LicensesRecalled == 1 ? "" : "s")} recalled; " +
                            "the organisations, the creator and the rights holders have been told.";
        return RedirectToPage(new { WorkId = id.ToString() });
    }

    public sealed record Query(Guid Id) : IRequest<View?>;

    public sealed record View(Guid Id, string Title, string State, string CreatorName, string? CreatorEmail, DateTimeOffset CreatedAt,
        string? Sha256, IReadOnlyList<string> Holders, int RunningLicenses, DateTimeOffset? TakenDownAt, string? TakedownReason);

    internal sealed class QueryHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            // Moderators see every work, whoever listed it: the policy on the folder is the access check.
            var work = await db.Works.AsNoTracking().Include(w => w.RightsHolders).FirstOrDefaultAsync(w => w.Id == request.Id, ct);
            if (work is null) return null;
            var creator = await db.Users.Where(u => u.Id == work.CreatorId).Select(u => new { u.DisplayName, u.Email }).FirstAsync(ct);
            var now = clock.GetUtcNow();
            var running = await db.Set<LicenseItem>().CountAsync(i => i.WorkId == work.Id && i.EndsAt > now, ct);
            return new View(work.Id, work.Title, work.Status, creator.DisplayName, creator.Email, work.CreatedAt, work.Sha256,
                work.RightsHolders.Select(h => $"{h.Name} ({License.RoleText(h.Role)}, {Market.Domain.Catalog.Shares.Percent(h.SplitBasisPoints)}, {h.Status.ToString().ToLowerInvariant()})").ToList(),
                running, work.TakenDownAt, work.TakedownReason);
        }
    }
}
