using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Domain;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using Market.Web.Licensing;
using Market.Web.Delivery;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Licenses;

public sealed class DetailsModel(IMediator mediator, MarketDb db, LicenseSigner signer, SiteSettings site) : PageModel
{
    public License? License { get; private set; }
    public IReadOnlyList<TrainingRun> Runs { get; private set; } = [];

    [BindProperty] public string? ModelName { get; set; }
    [BindProperty] public string? ModelVersion { get; set; }
    [BindProperty] public DateOnly? TrainedOn { get; set; }

    public async Task<IActionResult> OnPostTrainingRunAsync(Guid id, CancellationToken ct)
    {
        try
        {
            if (TrainedOn is null) throw new DomainException("Give the date the model was trained.");
            await mediator.Send(new ReportTrainingRun(id, Guid.Parse(User.OrganisationId()!), User.UserId(), ModelName, ModelVersion, TrainedOn.Value), ct);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            return await OnGetAsync(id, ct);
        }
        TempData["Flash"] = "Training run reported. The creators of the works in it have been told.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRenewAsync(Guid id, CancellationToken ct)
    {
        Renew.Result renewal;
        try
        {
            renewal = await mediator.Send(new Renew.Command(id, Guid.Parse(User.OrganisationId()!), User.UserId()), ct);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            return await OnGetAsync(id, ct);
        }
        TempData["Flash"] = renewal.Skipped.Count == 0
            ? "A renewal bundle with the same works is ready. Check the terms and prices, then check out."
            : $"A renewal bundle is ready. Left out: {string.Join(" ", renewal.Skipped)}";
        return RedirectToPage("/Bundles/Details", new { id = renewal.BundleId });
    }

    /// <summary>The signed manifest to keep with the data: JSON with the manifest for reading and the JWS that proves it.</summary>
    public async Task<IActionResult> OnGetManifestAsync(Guid id, CancellationToken ct)
    {
        var file = await db.SignedManifestFileAsync(signer, site, id, Guid.Parse(User.OrganisationId()!), ct);
        if (file is null) return NotFound();
        return File(file, "application/json", ManifestFile.DownloadName(id));
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        License = await mediator.Send(new Query(id, Guid.Parse(User.OrganisationId()!)), ct);
        if (License is null) return NotFound();
        Runs = await db.TrainingRuns.AsNoTracking().Where(r => r.LicenseId == id).OrderByDescending(r => r.TrainedOn).ToListAsync(ct);
        return Page();
    }

    public sealed record Query(Guid Id, Guid OrganisationId) : IRequest<License?>;

    internal sealed class Handler(MarketDb db) : IRequestHandler<Query, License?>
    {
        // Scoped to the organisation: another organisation's license id is simply not found.
        public Task<License?> Handle(Query request, CancellationToken ct) =>
            db.Licenses.AsNoTracking().Include(l => l.Items)
                .FirstOrDefaultAsync(l => l.Id == request.Id && l.OrganisationId == request.OrganisationId, ct);
    }

    public sealed record ReportTrainingRun(Guid LicenseId, Guid OrganisationId, string UserId, string? ModelName, string? ModelVersion, DateOnly TrainedOn)
        : ICommand<Guid>;

    /// <summary>Records the run and tells every creator whose work is in the license, at training time.</summary>
    internal sealed class ReportTrainingRunHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<ReportTrainingRun, Guid>
    {
        public async Task<Guid> Handle(ReportTrainingRun request, CancellationToken ct)
        {
            var license = await db.Licenses.AsNoTracking().Include(l => l.Items)
                .FirstOrDefaultAsync(l => l.Id == request.LicenseId && l.OrganisationId == request.OrganisationId, ct)
                ?? throw new DomainException("There is no such license for your organisation.");
            var now = clock.GetUtcNow();
            var run = TrainingRun.Report(Guid.CreateVersion7(now), license, request.UserId, request.ModelName, request.ModelVersion, request.TrainedOn, now);
            db.TrainingRuns.Add(run);
            var licensee = await db.Organisations.Where(o => o.Id == license.OrganisationId).Select(o => o.Name).FirstAsync(ct);
            foreach (var creator in license.Items.GroupBy(i => i.CreatorId))
                await notifier.NotifyAsync(creator.Key, NotificationKind.TrainingRunReported,
                    $"{licensee} trained {run.ModelName} {run.ModelVersion} on your work",
                    $"{licensee} reports training {run.ModelName} (version {run.ModelVersion}) on {run.TrainedOn:yyyy-MM-dd} under license {license.Id}, " +
                    $"which includes {string.Join(", ", creator.Select(i => $"“{i.WorkTitle}”"))}. The license's terms say what the model may be used for.",
                    "/Works", ct);
            return run.Id;
        }
    }
}
