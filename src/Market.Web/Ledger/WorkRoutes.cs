using Marten;
using Market.Billing.Claims;
using Market.Billing.Sales;

namespace Market.Web.Ledger;

public static class WorkRoutes
{
    /// <summary>The works among <paramref name="workIds"/> whose royalties a claim holds or redirects, read in the command's transaction.</summary>
    public static async Task<IReadOnlyDictionary<Guid, WorkRoute>> ForAsync(IDocumentSession ledger, IEnumerable<Guid> workIds, CancellationToken ct)
    {
        var routes = await ledger.LoadManyAsync<RoyaltyRoute>(ct, workIds.Distinct().ToArray());
        return routes.ToDictionary(r => r.Id, r => r.ToRoute());
    }
}
