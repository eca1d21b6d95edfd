using Hangfire;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Works;

public sealed class DetailsModel(IMediator mediator, IBackgroundJobClient jobs) : PageModel
{
    public View? Work { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Work = await mediator.Send(new Query(id, User.UserId()), ct);
        return Work is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new Submit(id, User.UserId()), ct);
        }
        catch (DomainException e)
        {
            return await ShowError(id, e, ct);
        }
        // Enqueued only after the command committed, so the job never sees the work before it is Scanning.
        jobs.Enqueue<ScanWorkJob>(job => job.RunAsync(id, CancellationToken.None));
        TempData["Flash"] = "Submitted. The work is being checked and will be listed in a moment.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new Withdraw(id, User.UserId(), HttpContext.Connection.RemoteIpAddress?.ToString()), ct);
        }
        catch (DomainException e)
        {
            return await ShowError(id, e, ct);
        }
        TempData["Flash"] = "Consent withdrawn. No new licenses will be sold; licenses already sold run to their end date.";
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> ShowError(Guid id, DomainException e, CancellationToken ct)
    {
        Work = await mediator.Send(new Query(id, User.UserId()), ct);
        if (Work is null) return NotFound();
        ModelState.AddModelError("", e.Message);
        return Page();
    }

    public sealed record Query(Guid Id, string CreatorId) : IRequest<View?>;

    public sealed record View(Work Work, IReadOnlyList<ConsentRecord> Consents);

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            // Scoped to the creator: another creator's id answers "not found", never "forbidden".
            var work = await db.Works.AsNoTracking().Include(w => w.Offers)
                .FirstOrDefaultAsync(w => w.Id == request.Id && w.CreatorId == request.CreatorId, ct);
            if (work is null) return null;
            var consents = await db.ConsentRecords.AsNoTracking().Where(c => c.WorkId == work.Id).OrderBy(c => c.At).ToListAsync(ct);
            return new View(work, consents);
        }
    }

    public sealed record Submit(Guid Id, string CreatorId) : ICommand<Unit>;

    internal sealed class SubmitHandler(MarketDb db) : IRequestHandler<Submit, Unit>
    {
        public async Task<Unit> Handle(Submit request, CancellationToken ct)
        {
            var work = await db.LoadOwnedWorkAsync(request.Id, request.CreatorId, ct);
            work.SubmitForListing(request.CreatorId);
            return Unit.Value;
        }
    }

    public sealed record Withdraw(Guid Id, string CreatorId, string? RemoteAddress) : ICommand<Unit>;

    internal sealed class WithdrawHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Withdraw, Unit>
    {
        public async Task<Unit> Handle(Withdraw request, CancellationToken ct)
        {
            var work = await db.LoadOwnedWorkAsync(request.Id, request.CreatorId, ct);
            db.ConsentRecords.Add(work.WithdrawConsent(request.CreatorId, request.RemoteAddress, clock.GetUtcNow()));
            return Unit.Value;
        }
    }
}

internal static class OwnedWorks
{
    /// <summary>Loads a work for a change by its creator; anyone else's id reads as not found.</summary>
    public static async Task<Work> LoadOwnedWorkAsync(this MarketDb db, Guid id, string creatorId, CancellationToken ct) =>
        await db.Works.Include(w => w.Offers).FirstOrDefaultAsync(w => w.Id == id && w.CreatorId == creatorId, ct)
        ?? throw new WorkNotFoundException();

    /// <summary>The title of one of the creator's works, for pages about it; null for anyone else's id.</summary>
    public static Task<string?> OwnedWorkTitleAsync(this MarketDb db, Guid id, string creatorId, CancellationToken ct) =>
        db.Works.Where(w => w.Id == id && w.CreatorId == creatorId).Select(w => w.Title).FirstOrDefaultAsync(ct);
}

/// <summary>Thrown for an unknown work or someone else's; pages answer 404 and nothing changes.</summary>
public sealed class WorkNotFoundException() : DomainException("There is no such work among yours.");
