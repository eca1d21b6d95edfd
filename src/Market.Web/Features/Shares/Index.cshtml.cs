using Market.Domain;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Shares;

/// <summary>
/// A signed-in person's shares in other creators' works: the ones paid to their account, and the requests
/// addressed to their e-mail. Answering here ("by account") needs a verified e-mail address; otherwise the
/// e-mailed link is the way.
/// </summary>
[Authorize]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public bool EmailVerified { get; private set; }
    [BindProperty] public string? Reason { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public Task<IActionResult> OnPostConfirmAsync(Guid workId, Guid holderId, CancellationToken ct) => AnswerAsync(workId, holderId, true, ct);

    public Task<IActionResult> OnPostRefuseAsync(Guid workId, Guid holderId, CancellationToken ct) => AnswerAsync(workId, holderId, false, ct);

    private async Task<IActionResult> AnswerAsync(Guid workId, Guid holderId, bool confirm, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new Answer(workId, holderId, User.UserId(), confirm, Reason), ct);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            await LoadAsync(ct);
            return Page();
        }
        TempData["Flash"] = confirm ? "Share confirmed." : "Share refused; the creator has been told.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct) => (Rows, EmailVerified) = await mediator.Send(new Query(User.UserId()), ct);

    public sealed record Row(Guid WorkId, Guid HolderId, string WorkTitle, string CreatorName, string Role, string Percent, ShareStatus Status);

    public sealed record Query(string UserId) : IRequest<(IReadOnlyList<Row>, bool)>;

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, (IReadOnlyList<Row>, bool)>
    {
        public async Task<(IReadOnlyList<Row>, bool)> Handle(Query request, CancellationToken ct)
        {
            var me = await db.Users.AsNoTracking().FirstAsync(u => u.Id == request.UserId, ct);
            var email = me.Email ?? "";
            // The creator's own share of their own works is on their dashboard, not here.
            var rows = await db.RightsHolders.AsNoTracking()
                .Where(h => (h.UserId == me.Id && h.Email != null) || (h.Email != null && h.Email.ToLower() == email.ToLower()))
                .Join(db.Works, h => h.WorkId, w => w.Id, (h, w) => new { h, w.Title, w.CreatorId })
                .OrderByDescending(x => x.h.RequestedAt).Take(500).ToListAsync(ct);
            var names = await db.DisplayNamesAsync(rows.Select(r => r.CreatorId), ct);
            return (rows.Select(r => new Row(r.h.WorkId, r.h.Id, r.Title, names.GetValueOrDefault(r.CreatorId, ""),
                Domain.Licensing.License.RoleText(r.h.Role), Domain.Catalog.Shares.Percent(r.h.SplitBasisPoints), r.h.Status)).ToList(), me.EmailConfirmed);
        }
    }

    public sealed record Answer(Guid WorkId, Guid HolderId, string UserId, bool Confirm, string? Reason) : ICommand<Unit>;

    internal sealed class AnswerHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<Answer, Unit>
    {
        public async Task<Unit> Handle(Answer request, CancellationToken ct)
        {
            var me = await db.Users.AsNoTracking().FirstAsync(u => u.Id == request.UserId, ct);
            if (!me.EmailConfirmed)
                throw new DomainException("Verify your e-mail address first, or use the link we e-mailed you.");
            var work = await db.Works.Include(w => w.RightsHolders).FirstOrDefaultAsync(w => w.Id == request.WorkId, ct)
                ?? throw new DomainException("There is no share for you to answer on this work.");
            var holder = work.AnswerShareAsAccount(request.HolderId, me.Id, me.Email, request.Confirm, request.Reason, clock.GetUtcNow());
            await ShareAnswers.TellCreatorAsync(notifier, work, holder, ct);
            return Unit.Value;
        }
    }
}
