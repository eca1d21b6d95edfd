using Market.Domain;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Shares;

/// <summary>
/// The e-mailed link: a rights holder confirms or refuses their share, with or without an account. The token
/// is the proof of the e-mail address; signed in with an account using that address, the royalties go to it.
/// </summary>
[AllowAnonymous]
public sealed class RespondModel(IMediator mediator, UserManager<MarketUser> users) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Reason { get; set; }
    public ShareView? Share { get; private set; }
    public string? Answered { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Share = await mediator.Send(new Query(Token), ct);
        return Page();
    }

    public Task<IActionResult> OnPostConfirmAsync(CancellationToken ct) => AnswerAsync(true, ct);

    public Task<IActionResult> OnPostRefuseAsync(CancellationToken ct) => AnswerAsync(false, ct);

    private async Task<IActionResult> AnswerAsync(bool confirm, CancellationToken ct)
    {
        string? userId = null;
        if (User.Identity?.IsAuthenticated == true && await users.GetUserAsync(User) is { } me)
            userId = me.Id;
        try
        {
            var answer = await mediator.Send(new Command(Token ?? "", confirm, userId, Reason), ct);
            Answered = answer;
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            Share = await mediator.Send(new Query(Token), ct);
        }
        return Page();
    }

    public sealed record ShareView(string WorkTitle, string CreatorName, string HolderName, string Role, string Percent, bool Expired);

    public sealed record Query(string? Token) : IRequest<ShareView?>;

    internal sealed class QueryHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Query, ShareView?>
    {
        public async Task<ShareView?> Handle(Query request, CancellationToken ct)
        {
            if (string.IsNullOrEmpty(request.Token) || request.Token.Length > 100) return null;
            var hash = ShareRequests.Hash(request.Token);
            var row = await db.RightsHolders.AsNoTracking().Where(h => h.TokenHash == hash)
                .Join(db.Works, h => h.WorkId, w => w.Id, (h, w) => new { Holder = h, w.Title, w.CreatorId })
                .FirstOrDefaultAsync(ct);
            if (row is null) return null;
            var creator = (await db.DisplayNamesAsync([row.CreatorId], ct)).GetValueOrDefault(row.CreatorId, "The creator");
            var expired = row.Holder.TokenIssuedAt is { } issued && clock.GetUtcNow() - issued > RightsHolder.LinkLifetime;
            return new ShareView(row.Title, creator, row.Holder.Name, Domain.Licensing.License.RoleText(row.Holder.Role),
                Domain.Catalog.Shares.Percent(row.Holder.SplitBasisPoints), expired);
        }
    }

    /// <param name="UserId">The signed-in account, if any; it is linked only when its e-mail is the one named.</param>
    public sealed record Command(string Token, bool Confirm, string? UserId, string? Reason) : ICommand<string>;

    internal sealed class Handler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<Command, string>
    {
        public async Task<string> Handle(Command request, CancellationToken ct)
        {
            var invalid = new DomainException("This link is no longer valid: the share was answered already, or the creator changed the rights holders.");
            if (request.Token.Length is 0 or > 100) throw invalid;
            var hash = ShareRequests.Hash(request.Token);
            var workId = await db.RightsHolders.Where(h => h.TokenHash == hash).Select(h => (Guid?)h.WorkId).FirstOrDefaultAsync(ct) ?? throw invalid;
            var work = await db.Works.Include(w => w.RightsHolders).FirstAsync(w => w.Id == workId, ct);
            var holderEmail = work.RightsHolders.First(h => h.TokenHash == hash).Email;
            string? linkTo = null;
            if (request.UserId is { } userId)
            {
                var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
                if (string.Equals(email, holderEmail, StringComparison.OrdinalIgnoreCase)) linkTo = userId;
            }
            var holder = work.AnswerShareByLink(hash, request.Confirm, linkTo, request.Reason, clock.GetUtcNow());
            await ShareAnswers.TellCreatorAsync(notifier, work, holder, ct);
            return request.Confirm
                ? $"Thank you. Your share of {Domain.Catalog.Shares.Percent(holder.SplitBasisPoints)} of “{work.Title}” is confirmed." +
                  (linkTo is null ? " Royalties are held for you until you sign in with an account using this e-mail address." : " Royalties go to your account.")
                : $"You refused the share of “{work.Title}”. It stays off the market, and its creator has been told.";
        }
    }
}

internal static class ShareAnswers
{
    public static Task TellCreatorAsync(Notifier notifier, Work work, RightsHolder holder, CancellationToken ct) =>
        notifier.NotifyAsync(work.CreatorId, NotificationKind.ShareAnswered,
            holder.Status == ShareStatus.Confirmed
                ? $"{holder.Name} confirmed their share of “{work.Title}”"
                : $"{holder.Name} refused their share of “{work.Title}”",
            holder.Status == ShareStatus.Confirmed
                ? (work.HoldersConfirmed ? "Every rights holder has confirmed; the work can be sold once it is listed." : "Others have still to answer.")
                : $"The work cannot be sold until the rights holders are settled. Their reason: {holder.RefusalReason ?? "none given"}.",
            $"/Works/Details/{work.Id}", ct);
}
