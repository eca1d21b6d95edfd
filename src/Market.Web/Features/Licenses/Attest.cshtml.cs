using Market.Domain;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Licenses;

/// <summary>
/// Where a buyer signs the deletion attestation for a group of a license's items: after they ended or were taken
/// down, or early, with a reason, once the organisation has stopped using them.
/// </summary>
public sealed class AttestModel(IMediator mediator) : PageModel
{
    /// <summary>Which group of items (<see cref="Obligation.Key"/>); the first one still open when not given.</summary>
    [BindProperty(SupportsGet = true)] public string? Group { get; set; }
    [BindProperty] public string? SignerName { get; set; }
    [BindProperty] public string? SignerTitle { get; set; }
    [BindProperty] public bool DataDeleted { get; set; }
    [BindProperty] public bool ModelsDestroyedOrRetrained { get; set; }
    [BindProperty] public bool NoModelsTrained { get; set; }
    [BindProperty] public string? Statement { get; set; }
    [BindProperty] public DateOnly? DoneOn { get; set; }
    [BindProperty] public string? EarlyReason { get; set; }

    public View? License { get; private set; }
    public Obligation? Selected { get; private set; }
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Group is not null && Selected is null) ModelState.AddModelError("", "This license has no such group of items.");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        try
        {
            var form = new AttestationForm(SignerName, SignerTitle, DataDeleted, ModelsDestroyedOrRetrained, NoModelsTrained, Statement, DoneOn, EarlyReason);
            await mediator.Send(new Command(id, Guid.Parse(User.OrganisationId()!), User.UserId(), Group, form,
                HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString()), ct);
        }
        catch (LicenseNotFoundException)
        {
            return NotFound();
        }
        catch (Exception e) when (e is DomainException or DbUpdateException)
        {
            // A unique index refuses an item attested twice; that only happens when two people sign at once.
            if (!await LoadAsync(id, ct)) return NotFound();
            ModelState.AddModelError("", e is DomainException ? e.Message : "These items were attested by someone else a moment ago.");
            return Page();
        }
        TempData["Flash"] = "Deletion attestation signed. The creators of the works have been told.";
        return RedirectToPage("Details", new { id });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        License = await mediator.Send(new Query(id, Guid.Parse(User.OrganisationId()!)), ct);
        if (License is null) return false;
        Now = License.Now;
        Selected = Group is null
            ? License.Obligations.FirstOrDefault(o => !o.Attested)
            : License.Obligations.FirstOrDefault(o => o.Key == Group);
        Group = Selected?.Key;
        return true;
    }

    public sealed record Query(Guid LicenseId, Guid OrganisationId) : IRequest<View?>;

    public sealed record View(Guid LicenseId, DateTimeOffset IssuedAt, IReadOnlyList<Obligation> Obligations, int TrainingRuns, DateTimeOffset Now);

    internal sealed class QueryHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken ct)
        {
            // Scoped to the organisation: another organisation's license id is simply not found.
            var license = await db.Licenses.AsNoTracking().Where(l => l.Id == request.LicenseId && l.OrganisationId == request.OrganisationId)
                .Select(l => new { l.Id, l.IssuedAt }).FirstOrDefaultAsync(ct);
            if (license is null) return null;
            var obligations = ExpirySchedule.Obligations(await db.ItemTermsAsync(db.Set<LicenseItem>().Where(i => i.LicenseId == license.Id), ct));
            var runs = await db.TrainingRuns.CountAsync(r => r.LicenseId == license.Id, ct);
            return new View(license.Id, license.IssuedAt, obligations, runs, clock.GetUtcNow());
        }
    }

    public sealed record Command(Guid LicenseId, Guid OrganisationId, string UserId, string? Group, AttestationForm Form, string? RemoteAddress, string? UserAgent)
        : ICommand<Guid>;

    /// <summary>
    /// Signs for the group's open items. Signing early also takes those items out of deliveries: the organisation
    /// has just declared it deleted them. Every creator whose work is covered is told, with what was attested.
    /// </summary>
    internal sealed class CommandHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<Command, Guid>
    {
        public async Task<Guid> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var license = await db.Licenses.Include(l => l.Items)
                .FirstOrDefaultAsync(l => l.Id == request.LicenseId && l.OrganisationId == request.OrganisationId, ct)
                ?? throw new LicenseNotFoundException();
            var obligation = ExpirySchedule.Obligations(await db.ItemTermsAsync(db.Set<LicenseItem>().Where(i => i.LicenseId == license.Id), ct))
                .FirstOrDefault(o => o.Key == request.Group)
                ?? throw new DomainException("Choose which of the license's items you are attesting for.");
            var runs = await db.TrainingRuns.CountAsync(r => r.LicenseId == license.Id, ct);
            var attestation = DeletionAttestation.Sign(Guid.CreateVersion7(now), obligation, license.OrganisationId, license.IssuedAt, request.UserId,
                request.Form, runs, request.RemoteAddress, request.UserAgent, now);
            db.DeletionAttestations.Add(attestation);

            var covered = license.Items.Where(i => attestation.Items.Any(a => a.LicenseItemId == i.Id)).ToList();
            foreach (var item in covered.Where(i => i.IsDeliverable(now)))
                license.Recall(item.WorkId, $"Deleted before the end; deletion attested by {attestation.SignerName}.", now);

            var organisation = await db.Organisations.Where(o => o.Id == license.OrganisationId).Select(o => o.Name).FirstAsync(ct);
            foreach (var creator in covered.GroupBy(i => i.CreatorId))
                await notifier.NotifyAsync(creator.Key, NotificationKind.DeletionAttested,
                    $"{organisation} attested deleting the data of your work",
                    $"{organisation} signed a deletion attestation for {string.Join(", ", creator.Select(i => $"“{i.WorkTitle}”"))} under license {license.Id}: " +
                    $"the data was deleted from all storage, backups included, on {attestation.DoneOn:yyyy-MM-dd}; {attestation.ModelsText}. " +
                    $"Signed by {attestation.SignerName} ({attestation.SignerTitle}) on {now:yyyy-MM-dd}." +
                    (attestation.IsEarly ? $" They stopped before the license ended: {attestation.EarlyReason}" : ""),
                    "/Works", ct);
            return attestation.Id;
        }
    }
}

/// <summary>An unknown license or another organisation's: the page answers 404 and nothing changes.</summary>
public sealed class LicenseNotFoundException() : DomainException("There is no such license for your organisation.");
