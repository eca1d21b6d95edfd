using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Mediation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Licenses;

/// <summary>
/// Renewal is a checkout of the same items: a new bundle holding every work of the license that is still for
/// sale, under the same offer if it is still offered, else an offer with the same terms, else the cheapest one
/// (the buyer sees the terms before paying). Works no longer for sale are listed, not silently dropped.
/// </summary>
public static class Renew
{
    public sealed record Command(Guid LicenseId, Guid OrganisationId, string UserId) : ICommand<Result>;

    public sealed record Result(Guid BundleId, IReadOnlyList<string> Skipped);

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command request, CancellationToken ct)
        {
            var license = await db.Licenses.AsNoTracking().Include(l => l.Items)
                .FirstOrDefaultAsync(l => l.Id == request.LicenseId && l.OrganisationId == request.OrganisationId, ct)
                ?? throw new DomainException("There is no such license for your organisation.");
            var ids = license.Items.Select(i => i.WorkId).ToList();
            var works = await db.Works.Include(w => w.Offers).Include(w => w.RightsHolders).Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
            var now = clock.GetUtcNow();
            var bundle = Bundle.Open(Guid.CreateVersion7(now), request.OrganisationId, request.UserId, now, $"Renewal of license {license.Id.ToString()[..8]}");
            var skipped = new List<string>();
            foreach (var item in license.Items.OrderBy(i => i.WorkTitle))
            {
                if (!works.TryGetValue(item.WorkId, out var work) || !work.IsForSale || item.RecalledAt is not null)
                {
                    skipped.Add($"“{item.WorkTitle}” is no longer for sale.");
                    continue;
                }
                var offers = work.ActiveOffers.ToList();
                var offer = offers.FirstOrDefault(o => o.Id == item.OfferId)
                    ?? offers.FirstOrDefault(o => o.Terms == item.Terms)
                    ?? offers.OrderBy(o => o.PriceMinor).First();
                try
                {
                    bundle.Add(work, offer.Id, now);
                }
                catch (DomainException e)
                {
                    skipped.Add(e.Message);
                }
            }
            if (bundle.Items.Count == 0) throw new DomainException("None of this license's works is for sale any more, so it cannot be renewed.");
            db.Bundles.Add(bundle);
            return new Result(bundle.Id, skipped);
        }
    }
}
