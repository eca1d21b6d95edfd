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

/// <summary>
/// The opt-in, on its own page and per work: never part of sign-up. The text shown is the versioned text the
/// grant records; if the version changed while the page was open, the creator is asked to read it again.
/// </summary>
public sealed class ConsentModel(IMediator mediator, MarketDb db) : PageModel
{
    public string WorkTitle { get; private set; } = "";
    public string Text { get; private set; } = "";

    [BindProperty] public bool Agree { get; set; }
    [BindProperty] public string TextVersion { get; set; } = ConsentText.CurrentVersion;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new Command(id, User.UserId(), Agree, TextVersion, HttpContext.Connection.RemoteIpAddress?.ToString()), ct);
        }
        catch (WorkNotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(nameof(Agree), e.Message);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
        TempData["Flash"] = "Thank you. The work is opted in; your receipt is on the work's page.";
        return RedirectToPage("Details", new { id });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var title = await db.OwnedWorkTitleAsync(id, User.UserId(), ct);
        if (title is null) return false;
        WorkTitle = title;
        Text = ConsentText.For(title);
        TextVersion = ConsentText.CurrentVersion;
        return true;
    }

    public sealed record Command(Guid WorkId, string CreatorId, bool Agree, string TextVersion, string? RemoteAddress) : ICommand<Unit>;

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command request, CancellationToken ct)
        {
            var work = await db.LoadOwnedWorkAsync(request.WorkId, request.CreatorId, ct);
            db.ConsentRecords.Add(work.GrantConsent(request.CreatorId, request.Agree, request.TextVersion, request.RemoteAddress, clock.GetUtcNow()));
            return Unit.Value;
        }
    }
}
