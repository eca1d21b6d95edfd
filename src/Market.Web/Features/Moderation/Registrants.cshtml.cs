using Market.Domain;
using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Features.Registry;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Moderation;

/// <summary>Moderators check registry applications: pending ones first (oldest first), then the latest decided.</summary>
public sealed class RegistrantsModel(IMediator mediator) : PageModel
{
    [BindProperty] public Guid RegistrantId { get; set; }
    [BindProperty] public string? Note { get; set; }

    public IReadOnlyList<Registrant> Applications { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Applications = await mediator.Send(new Query(), ct);

    public Task<IActionResult> OnPostApproveAsync(CancellationToken ct) => DecideAsync(true, ct);
    public Task<IActionResult> OnPostRefuseAsync(CancellationToken ct) => DecideAsync(false, ct);

    private async Task<IActionResult> DecideAsync(bool approve, CancellationToken ct)
    {
        try
        {
            var registrant = await mediator.Send(new DecideRegistrant(RegistrantId, User.UserId(), approve, Note), ct);
            TempData["Flash"] = $"{registrant.LegalName} is {(approve ? "approved" : "refused")}; they have been told.";
            return RedirectToPage();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            await OnGetAsync(ct);
            return Page();
        }
    }

    public sealed record Query : IRequest<IReadOnlyList<Registrant>>;

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, IReadOnlyList<Registrant>>
    {
        public async Task<IReadOnlyList<Registrant>> Handle(Query request, CancellationToken ct)
        {
            var pending = await db.Registrants.AsNoTracking().Where(r => r.State == RegistrantState.Pending).OrderBy(r => r.AppliedAt).Take(200).ToListAsync(ct);
            var decided = await db.Registrants.AsNoTracking().Where(r => r.State != RegistrantState.Pending).OrderByDescending(r => r.DecidedAt).Take(50).ToListAsync(ct);
            return [.. pending, .. decided];
        }
    }
}
