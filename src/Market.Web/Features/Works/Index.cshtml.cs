
using MediatR;
using Market.Billing.Reports;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Works;

/// <summary>
/// The creator's dashboard: every work with its state, who holds running licenses on which work and until
/// when, and sales and earnings to date (from the ledger's balances, per currency).
/// </summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public Dashboard View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => View = await mediator.Send(new Query(User.UserId()), ct);

    public sealed record Query(string CreatorId) : IRequest<Dashboard>;

    public sealed record Dashboard(IReadOnlyList<Row> Works, IReadOnlyList<RunningLicense> Licenses, IReadOnlyList<Earning> Earnings, int ItemsSold,
        IReadOnlyList<Run> TrainingRuns)
    {
        public int Count(string status) => Works.Count(w => w.Status == status);
    }

    public sealed record Row(Guid Id, string Title, string Status, string? RejectionReason, bool HasConsent, int Offers, int ActiveLicenses, DateTimeOffset CreatedAt);

    public sealed record RunningLicense(Guid WorkId, string WorkTitle, string Licensee, LicenseScope Scope, bool Commercial, DateTimeOffset EndsAt);

    /// <summary>What the ledger owes the creator in one currency: payable (pending + available) and held.</summary>
    public sealed record Earning(string Currency, long PendingMinor, long AvailableMinor, long HeldMinor);

    /// <summary>A training run a licensee reported on a license holding some of the creator's works.</summary>
    public sealed record Run(string Licensee, string ModelName, string ModelVersion, DateOnly TrainedOn, IReadOnlyList<string> Works);

    internal sealed class Handler(MarketDb db, Npgsql.NpgsqlDataSource ledger, TimeProvider clock) : IRequestHandler<Query, Dashboard>
    {
        public async Task<Dashboard> Handle(Query request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var works = await db.Works.AsNoTracking().Include(w => w.RightsHolders).Include(w => w.Flags).Include(w => w.Offers).AsSplitQuery()
                .Where(w => w.CreatorId == request.CreatorId)
                .OrderByDescending(w => w.CreatedAt)
                .ToListAsync(ct);
            var licenses = await db.Set<LicenseItem>().AsNoTracking()
                .Where(i => i.CreatorId == request.CreatorId)
                .Select(i => new { i.LicenseId, i.WorkId, i.WorkTitle, i.Terms.Scope, i.Terms.Commercial, i.EndsAt })
                .ToListAsync(ct);
            var licensees = await db.LicenseeNamesAsync(licenses.Where(l => l.EndsAt > now).Select(l => l.LicenseId), ct);
            var running = licenses.Where(l => l.EndsAt > now)
                .Select(l => new RunningLicense(l.WorkId, l.WorkTitle, licensees.GetValueOrDefault(l.LicenseId, ""), l.Scope, l.Commercial, l.EndsAt))
                .OrderBy(l => l.EndsAt).ToList();
            var perWork = running.GroupBy(l => l.WorkId).ToDictionary(g => g.Key, g => g.Count());
            var rows = works.Select(w => new Row(w.Id, w.Title, w.Status, w.RejectionReason, w.HasConsent, w.ActiveOffers.Count(),
                perWork.GetValueOrDefault(w.Id), w.CreatedAt)).ToList();
            var balances = await PayeeBalances.ForPayeeAsync(ledger, request.CreatorId, ct);
            var earnings = balances.Select(b => new Earning(b.Currency, b.PendingMinor, b.AvailableMinor, b.HeldMinor)).ToList();
            var licenseIds = licenses.Select(l => l.LicenseId).Distinct().ToList();
            var runs = await db.TrainingRuns.AsNoTracking().Where(r => licenseIds.Contains(r.LicenseId))
                .OrderByDescending(r => r.TrainedOn).Take(200).ToListAsync(ct);
            var runLicensees = await db.LicenseeNamesAsync(runs.Select(r => r.LicenseId), ct);
            var trainingRuns = runs.Select(r => new Run(runLicensees.GetValueOrDefault(r.LicenseId, ""), r.ModelName, r.ModelVersion, r.TrainedOn,
                licenses.Where(l => l.LicenseId == r.LicenseId).Select(l => l.WorkTitle).Distinct().ToList())).ToList();
            return new Dashboard(rows, running, earnings, licenses.Count, trainingRuns);
        }
    }
}
