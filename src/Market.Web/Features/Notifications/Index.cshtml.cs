using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Notifications;

/// <summary>The signed-in user's notifications, newest first; opening one marks it read.</summary>
[Authorize]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 100;

    public IReadOnlyList<Notification> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Items = await mediator.Send(new Query(User.UserId()), ct);

    /// <summary>Marks one read and follows its link; a link is always a path inside this site.</summary>
    public async Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken ct)
    {
        var link = await mediator.Send(new MarkRead(User.UserId(), id), ct);
        return link is not null && link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal) ? LocalRedirect(link) : RedirectToPage();
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await mediator.Send(new MarkRead(User.UserId(), null), ct);
        return RedirectToPage();
    }

    public sealed record Query(string UserId) : IRequest<IReadOnlyList<Notification>>;

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Notification>>
    {
        public async Task<IReadOnlyList<Notification>> Handle(Query request, CancellationToken ct) =>
            await db.Notifications.AsNoTracking().Where(n => n.UserId == request.UserId)
                .OrderByDescending(n => n.CreatedAt).Take(PageSize).ToListAsync(ct);
    }

    /// <param name="Id">One notification, or null for all.</param>
    public sealed record MarkRead(string UserId, Guid? Id) : ICommand<string?>;

    internal sealed class MarkReadHandler(MarketDb db, TimeProvider clock) : IRequestHandler<MarkRead, string?>
    {
        public async Task<string?> Handle(MarkRead request, CancellationToken ct)
        {
            // Scoped to the user: someone else's id matches nothing, and nothing changes.
            var items = await db.Notifications
                .Where(n => n.UserId == request.UserId && n.ReadAt == null && (request.Id == null || n.Id == request.Id)).ToListAsync(ct);
            var now = clock.GetUtcNow();
            foreach (var n in items) n.ReadAt = now;
            if (request.Id is null) return null;
            return await db.Notifications.Where(n => n.UserId == request.UserId && n.Id == request.Id).Select(n => n.Link).FirstOrDefaultAsync(ct);
        }
    }
}
