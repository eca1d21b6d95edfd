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

/// <summary>Which kinds of notification also come by e-mail. Everything shows in the site regardless.</summary>
[Authorize]
public sealed class SettingsModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<NotificationKind> Kinds { get; } = Enum.GetValues<NotificationKind>();
    [BindProperty] public List<NotificationKind> Emailed { get; set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var off = await mediator.Send(new Query(User.UserId()), ct);
        Emailed = Kinds.Except(off).ToList();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await mediator.Send(new Command(User.UserId(), Emailed.Where(Enum.IsDefined).ToList()), ct);
        TempData["Flash"] = "E-mail settings saved.";
        return RedirectToPage();
    }

    public sealed record Query(string UserId) : IRequest<IReadOnlyList<NotificationKind>>;

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<NotificationKind>>
    {
        public async Task<IReadOnlyList<NotificationKind>> Handle(Query request, CancellationToken ct) =>
            await db.EmailOptOuts.Where(o => o.UserId == request.UserId).Select(o => o.Kind).ToListAsync(ct);
    }

    public sealed record Command(string UserId, IReadOnlyList<NotificationKind> Emailed) : ICommand<Unit>;

    internal sealed class Handler(MarketDb db) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command request, CancellationToken ct)
        {
            var existing = await db.EmailOptOuts.Where(o => o.UserId == request.UserId).ToListAsync(ct);
            db.EmailOptOuts.RemoveRange(existing);
            foreach (var kind in Enum.GetValues<NotificationKind>().Except(request.Emailed))
                db.EmailOptOuts.Add(new EmailOptOut { UserId = request.UserId, Kind = kind });
            return Unit.Value;
        }
    }
}
