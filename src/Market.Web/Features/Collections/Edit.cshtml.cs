using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Collections;

/// <summary>
/// A curator's own curated bundle: title, works, publish. Creators pick from their own works for sale; the
/// marketplace's admins may add any work by its id. Only the curator who made it can change it.
/// </summary>
public sealed class EditModel(IMediator mediator) : PageModel
{
    public Draft? Curated { get; private set; }
    public IReadOnlyList<(Guid Id, string Title)> MyWorks { get; private set; } = [];

    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Description { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } existing)
        {
            Curated = await mediator.Send(new Query(existing, User.UserId()), ct);
            if (Curated is null) return NotFound();
            Title = Curated.Title;
            Description = Curated.Description;
        }
        MyWorks = await mediator.Send(new MyWorksForSale(User.UserId()), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid? id, CancellationToken ct)
    {
        try
        {
            id = await mediator.Send(new Save(id, User.UserId(), User.IsInRole(Roles.Admin), Title, Description), ct);
        }
        catch (DomainException e)
        {
            return await ShowError(id, e, ct);
        }
        TempData["Flash"] = "Saved.";
        return RedirectToPage(new { id });
    }

    public Task<IActionResult> OnPostAddAsync(Guid id, Guid workId, CancellationToken ct) => RunAsync(id, new Change(id, User.UserId(), ChangeKind.Add, workId), ct);
    public Task<IActionResult> OnPostRemoveAsync(Guid id, Guid workId, CancellationToken ct) => RunAsync(id, new Change(id, User.UserId(), ChangeKind.Remove, workId), ct);
    public Task<IActionResult> OnPostPublishAsync(Guid id, CancellationToken ct) => RunAsync(id, new Change(id, User.UserId(), ChangeKind.Publish, null), ct);
    public Task<IActionResult> OnPostUnpublishAsync(Guid id, CancellationToken ct) => RunAsync(id, new Change(id, User.UserId(), ChangeKind.Unpublish, null), ct);

    private async Task<IActionResult> RunAsync(Guid id, Change change, CancellationToken ct)
    {
        try
        {
            await mediator.Send(change, ct);
        }
        catch (DomainException e)
        {
            return await ShowError(id, e, ct);
        }
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> ShowError(Guid? id, DomainException e, CancellationToken ct)
    {
        if (id is { } existing && (Curated = await mediator.Send(new Query(existing, User.UserId()), ct)) is null) return NotFound();
        MyWorks = await mediator.Send(new MyWorksForSale(User.UserId()), ct);
        ModelState.AddModelError("", e.Message);
        return Page();
    }

    public sealed record Draft(Guid Id, string Title, string Description, bool Published, IReadOnlyList<(Guid WorkId, string Title)> Works);

    public sealed record Query(Guid Id, string CuratorId) : IRequest<Draft?>;

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, Draft?>
    {
        public async Task<Draft?> Handle(Query request, CancellationToken ct)
        {
            var c = await db.CuratedBundles.AsNoTracking().Include(x => x.Items)
                .FirstOrDefaultAsync(x => x.Id == request.Id && x.CuratorUserId == request.CuratorId, ct);
            if (c is null) return null;
            var ids = c.Items.Select(i => i.WorkId).ToList();
            var titles = await db.Works.Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Title, ct);
            return new Draft(c.Id, c.Title, c.Description, c.IsPublished,
                c.Items.OrderBy(i => i.Position).Select(i => (i.WorkId, titles.GetValueOrDefault(i.WorkId, "?"))).ToList());
        }
    }

    public sealed record MyWorksForSale(string CreatorId) : IRequest<IReadOnlyList<(Guid, string)>>;

    internal sealed class MyWorksHandler(MarketDb db) : IRequestHandler<MyWorksForSale, IReadOnlyList<(Guid, string)>>
    {
        public async Task<IReadOnlyList<(Guid, string)>> Handle(MyWorksForSale request, CancellationToken ct) =>
            (await db.Works.AsNoTracking().Where(w => w.CreatorId == request.CreatorId && w.State == WorkState.Listed)
                .OrderBy(w => w.Title).Take(500).Select(w => new { w.Id, w.Title }).ToListAsync(ct))
            .Select(w => (w.Id, w.Title)).ToList();
    }

    public sealed record Save(Guid? Id, string CuratorId, bool AsMarketplace, string? Title, string? Description) : ICommand<Guid>;

    internal sealed class SaveHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Save, Guid>
    {
        public async Task<Guid> Handle(Save request, CancellationToken ct)
        {
            if (request.Id is { } id)
            {
                var existing = await db.RequireCuratedAsync(id, request.CuratorId, ct);
                existing.Describe(request.Title, request.Description);
                return id;
            }
            var now = clock.GetUtcNow();
            var curated = CuratedBundle.Draft(Guid.CreateVersion7(now), request.CuratorId, request.AsMarketplace, request.Title, request.Description, now);
            db.CuratedBundles.Add(curated);
            return curated.Id;
        }
    }

    public enum ChangeKind { Add, Remove, Publish, Unpublish }

    public sealed record Change(Guid Id, string CuratorId, ChangeKind Kind, Guid? WorkId) : ICommand<Unit>;

    internal sealed class ChangeHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Change, Unit>
    {
        public async Task<Unit> Handle(Change request, CancellationToken ct)
        {
            var curated = await db.RequireCuratedAsync(request.Id, request.CuratorId, ct);
            switch (request.Kind)
            {
                case ChangeKind.Add:
                    var work = await db.Works.Include(w => w.Offers).Include(w => w.RightsHolders).FirstOrDefaultAsync(w => w.Id == request.WorkId, ct)
                        ?? throw new DomainException("There is no work with that id.");
                    // The cheapest offer is the curated one; buyers can switch offers in their own bundle.
                    var offer = work.ActiveOffers.OrderBy(o => o.PriceMinor).FirstOrDefault()
                        ?? throw new DomainException($"\"{work.Title}\" is not for sale.");
                    curated.Add(work, offer.Id);
                    db.Entry(curated.Items[^1]).State = EntityState.Added;
                    break;
                case ChangeKind.Remove:
                    curated.Remove(request.WorkId ?? Guid.Empty);
                    break;
                case ChangeKind.Publish:
                    curated.Publish(clock.GetUtcNow());
                    break;
                case ChangeKind.Unpublish:
                    curated.Unpublish();
                    break;
            }
            return Unit.Value;
        }
    }
}

internal static class CuratedQueries
{
    public static async Task<CuratedBundle> RequireCuratedAsync(this MarketDb db, Guid id, string curatorId, CancellationToken ct) =>
        await db.CuratedBundles.Include(x => x.Items).FirstOrDefaultAsync(x => x.Id == id && x.CuratorUserId == curatorId, ct)
        ?? throw new DomainException("There is no such curated bundle of yours.");
}
