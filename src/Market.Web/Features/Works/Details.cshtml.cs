using Hangfire;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Features.Licenses;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using Market.Domain.Licensing;
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
            await mediator.Send(new Withdraw(id, User.UserId(), HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()), ct);
        }
        catch (DomainException e)
        {
            return await ShowError(id, e, ct);
        }
        TempData["Flash"] = "Consent withdrawn. No new licenses will be sold; licenses already sold run to their end date.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostFlagAsync(Guid id, Guid flagId, FlagAnswer answer, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new AnswerFlag(id, User.UserId(), flagId, answer), ct);
        }
        catch (DomainException e)
        {
            return await ShowError(id, e, ct);
        }
        TempData["Flash"] = "Thank you; your answer is recorded.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRetireOfferAsync(Guid id, Guid offerId, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new RetireOffer(id, User.UserId(), offerId), ct);
        }
        catch (DomainException e)
        {
            return await ShowError(id, e, ct);
        }
        TempData["Flash"] = "Offer retired. Licenses already sold under it are unaffected.";
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

    public sealed record View(Work Work, IReadOnlyList<ConsentRecord> Consents, IReadOnlyList<ActiveLicense> Licenses);

    /// <summary>A license on this work that is still running: who holds it, for what, until when.</summary>
    public sealed record ActiveLicense(string Licensee, LicenseScope Scope, bool Commercial, DateTimeOffset EndsAt);

    internal sealed class QueryHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            // Scoped to the creator: another creator's id answers "not found", never "forbidden".
            var work = await db.Works.AsNoTracking().Include(w => w.Offers).Include(w => w.RightsHolders).Include(w => w.Flags)
                .AsSplitQuery()
                .FirstOrDefaultAsync(w => w.Id == request.Id && w.CreatorId == request.CreatorId, ct);
            if (work is null) return null;
            var consents = await db.ConsentRecords.AsNoTracking().Where(c => c.WorkId == work.Id).OrderBy(c => c.At).ToListAsync(ct);
            var now = clock.GetUtcNow();
            var items = await db.Set<LicenseItem>().AsNoTracking()
                .Where(i => i.WorkId == work.Id && i.EndsAt > now)
                .Select(i => new { i.LicenseId, i.Terms.Scope, i.Terms.Commercial, i.EndsAt })
                .ToListAsync(ct);
            var licensees = await db.LicenseeNamesAsync(items.Select(i => i.LicenseId), ct);
            var licenses = items.Select(i => new ActiveLicense(licensees.GetValueOrDefault(i.LicenseId, ""), i.Scope, i.Commercial, i.EndsAt))
                .OrderBy(x => x.EndsAt).ToList();
            return new View(work, consents, licenses);
        }
    }

    public sealed record AnswerFlag(Guid Id, string CreatorId, Guid FlagId, FlagAnswer Answer) : ICommand<Unit>;

    internal sealed class AnswerFlagHandler(MarketDb db, TimeProvider clock) : IRequestHandler<AnswerFlag, Unit>
    {
        public async Task<Unit> Handle(AnswerFlag request, CancellationToken ct)
        {
            var work = await db.Works.Include(w => w.Flags).FirstOrDefaultAsync(w => w.Id == request.Id && w.CreatorId == request.CreatorId, ct)
                ?? throw new WorkNotFoundException();
            work.AnswerFlag(request.CreatorId, request.FlagId, request.Answer, clock.GetUtcNow());
            return Unit.Value;
        }
    }

    public sealed record RetireOffer(Guid Id, string CreatorId, Guid OfferId) : ICommand<Unit>;

    internal sealed class RetireOfferHandler(MarketDb db) : IRequestHandler<RetireOffer, Unit>
    {
        public async Task<Unit> Handle(RetireOffer request, CancellationToken ct)
        {
            var work = await db.LoadOwnedWorkAsync(request.Id, request.CreatorId, ct);
            work.RetireOffer(request.CreatorId, request.OfferId);
            return Unit.Value;
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

    public sealed record Withdraw(Guid Id, string CreatorId, string? RemoteAddress, string? UserAgent = null) : ICommand<Unit>;

    /// <summary>
    /// Withdrawal stops new sales at once (the work leaves the catalog, and checkout re-checks every item), and
    /// the work is recalled from every license still running on it: no new downloads, while the license stays
    /// valid to its end for the copy already downloaded; each organisation holding one is told.
    /// </summary>
    internal sealed class WithdrawHandler(MarketDb db, IMediator mediator, TimeProvider clock) : IRequestHandler<Withdraw, Unit>
    {
        public async Task<Unit> Handle(Withdraw request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var work = await db.LoadOwnedWorkAsync(request.Id, request.CreatorId, ct);
            db.ConsentRecords.Add(work.WithdrawConsent(request.CreatorId, request.RemoteAddress, now, request.UserAgent));
            await mediator.Send(new RecallWork(work.Id, RecallCause.ConsentWithdrawn, "Consent withdrawn by the creator.", now), ct);
            return Unit.Value;
        }
    }
}

internal static class OwnedWorks
{
    /// <summary>Loads a work for a change by its creator; anyone else's id reads as not found.</summary>
    public static async Task<Work> LoadOwnedWorkAsync(this MarketDb db, Guid id, string creatorId, CancellationToken ct) =>
        await db.Works.Include(w => w.Offers).Include(w => w.RightsHolders).Include(w => w.Flags).AsSplitQuery()
            .FirstOrDefaultAsync(w => w.Id == id && w.CreatorId == creatorId, ct)
        ?? throw new WorkNotFoundException();

    /// <summary>The title of one of the creator's works, for pages about it; null for anyone else's id.</summary>
    public static Task<string?> OwnedWorkTitleAsync(this MarketDb db, Guid id, string creatorId, CancellationToken ct) =>
        db.Works.Where(w => w.Id == id && w.CreatorId == creatorId).Select(w => w.Title).FirstOrDefaultAsync(ct);
}

/// <summary>Thrown for an unknown work or someone else's; pages answer 404 and nothing changes.</summary>
public sealed class WorkNotFoundException() : DomainException("There is no such work among yours.");
