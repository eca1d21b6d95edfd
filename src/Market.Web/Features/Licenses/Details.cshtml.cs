using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Licenses;

public sealed class DetailsModel(IMediator mediator) : PageModel
{
    public License? License { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        License = await mediator.Send(new Query(id, Guid.Parse(User.OrganisationId()!)), ct);
        return License is null ? NotFound() : Page();
    }

    public sealed record Query(Guid Id, Guid OrganisationId) : IRequest<License?>;

    internal sealed class Handler(MarketDb db) : IRequestHandler<Query, License?>
    {
        // Scoped to the organisation: another organisation's license id is simply not found.
        public Task<License?> Handle(Query request, CancellationToken ct) =>
            db.Licenses.AsNoTracking().Include(l => l.Items)
                .FirstOrDefaultAsync(l => l.Id == request.Id && l.OrganisationId == request.OrganisationId, ct);
    }
}
