using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Notifications.Email;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.Mail;

[Authorize]
public sealed class MessageModel(IMediator mediator, IAuthorizationService authorization) : PageModel
{
    public MailboxMessage? Message { get; private set; }
    public IHtmlContent Body { get; private set; } = HtmlString.Empty;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var isAdmin = (await authorization.AuthorizeAsync(User, Policies.Admin)).Succeeded;
        Message = await mediator.Send(new Query(id, User.UserId(), isAdmin), ct);
        if (Message is null) return NotFound();
        Body = MailText.ToHtml(Message.TextBody);
        return Page();
    }

    /// <returns>
    /// Null for a malformed id, a message that does not exist, one addressed to someone else, or when mail is
    /// not kept locally: all look the same from outside, so ids cannot be probed.
    /// </returns>
    public sealed record Query(string Id, string UserId, bool IsAdmin) : IRequest<MailboxMessage?>;

    internal sealed class Handler(MarketDb db, LocalMailbox? mailbox = null) : IRequestHandler<Query, MailboxMessage?>
    {
        public async Task<MailboxMessage?> Handle(Query request, CancellationToken ct)
        {
            if (mailbox is null || !MailFileNames.IsValidId(request.Id)) return null;
            var message = await mailbox.ReadAsync(request.Id, ct);
            if (message is null) return null;
            var viewer = await MailViewer.ResolveAsync(db, request.UserId, request.IsAdmin, ct);
            return viewer.MaySee(message) ? message : null;
        }
    }
}
