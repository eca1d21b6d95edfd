using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Notifications.Email;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.Mail;

[Authorize]
public sealed class IndexModel(IMediator mediator, IAuthorizationService authorization) : PageModel
{
    /// <summary>Enough for a test mailbox; older messages stay in the folder for a mail client.</summary>
    public const int Limit = 200;

    public IReadOnlyList<MailboxEntry> Messages { get; private set; } = [];
    public bool SeesAll { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // The admin policy, not just the role: it also asks for 2FA, like every other staff page.
        SeesAll = (await authorization.AuthorizeAsync(User, Policies.Admin)).Succeeded;
        var messages = await mediator.Send(new Query(User.UserId(), SeesAll), ct);
        if (messages is null) return NotFound();
        Messages = messages;
        return Page();
    }

    /// <returns>Null when mail is not kept locally (another provider), so the page does not exist.</returns>
    public sealed record Query(string UserId, bool IsAdmin) : IRequest<IReadOnlyList<MailboxEntry>?>;

    // The mailbox is registered only for the folder provider, hence optional.
    internal sealed class Handler(MarketDb db, LocalMailbox? mailbox = null) : IRequestHandler<Query, IReadOnlyList<MailboxEntry>?>
    {
        public async Task<IReadOnlyList<MailboxEntry>?> Handle(Query request, CancellationToken ct)
        {
            if (mailbox is null) return null;
            var viewer = await MailViewer.ResolveAsync(db, request.UserId, request.IsAdmin, ct);
            return await viewer.ListAsync(mailbox, Limit, ct);
        }
    }
}
