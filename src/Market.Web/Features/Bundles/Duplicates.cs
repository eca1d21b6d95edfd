using System.Security.Cryptography;
using System.Text;
using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Mediation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Bundles;

/// <summary>
/// The near-duplicates inside a bundle (PDQ distance within <see cref="Market.Domain.Detection.PdqHash.MatchThreshold"/>),
/// shown before checkout because training on near-copies makes a model memorise them, and removed in one click.
/// </summary>
public static class Duplicates
{
    public sealed record Query(Guid BundleId, Guid OrganisationId, string UserId) : IRequest<View?>;

    public sealed record Member(Guid WorkId, string Title);

    public sealed record Group(IReadOnlyList<Member> Works, int MaxDistance)
    {
        public Member Kept => Works[0];
    }

    /// <summary><paramref name="Fingerprint"/> names the bundle's items as the page showed them; a removal checks it.</summary>
    public sealed record View(IReadOnlyList<Group> Groups, string Fingerprint)
    {
        public int Removable => Groups.Sum(g => g.Works.Count - 1);
    }

    /// <summary>Removes all but the first-added work of each group; refused if the bundle changed since <see cref="Fingerprint"/>.</summary>
    public sealed record Remove(Guid BundleId, Guid OrganisationId, string UserId, string? Fingerprint) : ICommand<int>;

    /// <summary>The bundle's works in the order they were added: the order decides which work of a group is kept.</summary>
    private static List<BundleItem> Ordered(Bundle bundle) => bundle.Items.OrderBy(i => i.AddedAt).ThenBy(i => i.Id).ToList();

    /// <summary>A digest of the bundle's work ids in order: any add, removal or reorder changes it.</summary>
    internal static string FingerprintOf(IEnumerable<BundleItem> ordered) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(",", ordered.Select(i => i.WorkId.ToString("N"))))));

    private static async Task<IReadOnlyList<DuplicateGroup>> GroupsAsync(MarketDb db, List<BundleItem> ordered, CancellationToken ct)
    {
        var ids = ordered.Select(i => i.WorkId).ToList();
        var hashes = await db.Works.AsNoTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.PerceptualHash, ct);
        return BundleDuplicates.Find(ordered.Select(i => new HashedItem(i.WorkId, hashes.GetValueOrDefault(i.WorkId))).ToList());
    }

    internal sealed class QueryHandler(MarketDb db) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            var bundle = await db.Bundles.AsNoTracking().Include(b => b.Items).VisibleTo(request.OrganisationId, request.UserId)
                .FirstOrDefaultAsync(b => b.Id == request.BundleId, ct);
            if (bundle is null) return null;
            var ordered = Ordered(bundle);
            var groups = await GroupsAsync(db, ordered, ct);
            var ids = groups.SelectMany(g => g.WorkIds).ToList();
            var titles = await db.Works.AsNoTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Title, ct);
            return new View(groups.Select(g => new Group(g.WorkIds.Select(id => new Member(id, titles[id])).ToList(), g.MaxDistance)).ToList(),
                FingerprintOf(ordered));
        }
    }

    internal sealed class RemoveHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Remove, int>
    {
        public async Task<int> Handle(Remove request, CancellationToken ct)
        {
            // The row lock makes a concurrent edit of the bundle wait, so the fingerprint compared is the one removed from.
            await db.Database.ExecuteSqlAsync($"select 1 from market.bundles where \"Id\" = {request.BundleId} for update", ct);
            var bundle = await db.RequireBundleAsync(request.BundleId, request.OrganisationId, request.UserId, ct);
            var ordered = Ordered(bundle);
            if (request.Fingerprint != FingerprintOf(ordered))
                throw new DomainException("The bundle changed since you opened it; nothing was removed. Look at the duplicates again.");
            var now = clock.GetUtcNow();
            var removed = 0;
            foreach (var workId in (await GroupsAsync(db, ordered, ct)).SelectMany(g => g.Remove))
            {
                bundle.Remove(workId, now);
                removed++;
            }
            if (removed == 0) throw new DomainException("There are no near-duplicates in this bundle.");
            return removed;
        }
    }
}
