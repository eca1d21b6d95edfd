using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Registry;

/// <summary>What the registry is, and where the caller's application stands. Open to anyone: applying starts here.</summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public Registrant? Application { get; private set; }
    public int ActiveEntries { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true) return;
        (Application, ActiveEntries) = await mediator.Send(new Query(User.UserId()), ct);
    }

    public sealed record Query(string UserId) : IRequest<(Registrant?, int)>;

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, (Registrant?, int)>
    {
        public async Task<(Registrant?, int)> Handle(Query request, CancellationToken ct)
        {
            var registrant = await db.Registrants.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == request.UserId, ct);
            if (registrant is null) return (null, 0);
            return (registrant, await db.ProtectedWorks.CountAsync(p => p.RegistrantId == registrant.Id && p.RemovedAt == null, ct));
        }
    }
}
