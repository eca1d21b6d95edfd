using Hangfire;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Jobs;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Licenses;

/// <summary>
/// The hourly sweep over license ends: reminders 30 and 7 days before, the notice that access ended and an
/// attestation is due, and the escalations when it is overdue. Each license is its own command (one transaction),
/// so one failing license neither blocks nor repeats the others; what was decided is recorded per license, group
/// and stage, so a rerun or a run after a gap sends nothing twice and skips nothing.
/// </summary>
public sealed class ExpiryJob(MarketDb db, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ExpiryJob> log)
{
    public const string RecurringJobId = "license-expiry";

    [Queue(JobQueues.Default)]
    [DisableConcurrentExecution(10 * 60)]
    // The next hourly run is the retry; Hangfire retrying on top of it would only add runs.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var licenseIds = await db.LicensesDueAsync(now, cancellationToken);
        var failed = new List<Guid>();
        foreach (var licenseId in licenseIds)
        {
            // A scope per license: its own unit of work and change tracker, so memory does not grow with the sweep.
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SendExpiryNotices(licenseId), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Expiry notices for license {LicenseId} failed; the next run tries again", licenseId);
                failed.Add(licenseId);
            }
        }
        if (failed.Count > 0)
            throw new InvalidOperationException($"Expiry notices failed for {failed.Count} of {licenseIds.Count} licenses, first {failed[0]}; see the log.");
    }
}

public static class ExpirySetup
{
    public static WebApplication UseLicenseExpiry(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<ExpiryJob>(ExpiryJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        return app;
    }
}

/// <summary>Decides and sends what is due for one license's groups of items, recording each decision.</summary>
public sealed record SendExpiryNotices(Guid LicenseId) : ICommand<int>;

internal sealed class SendExpiryNoticesHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<SendExpiryNotices, int>
{
    public async Task<int> Handle(SendExpiryNotices request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var license = await db.Licenses.AsNoTracking().Where(l => l.Id == request.LicenseId)
            .Join(db.Organisations, l => l.OrganisationId, o => o.Id, (l, o) => new { l.Id, l.OrganisationId, Organisation = o.Name })
            .FirstOrDefaultAsync(ct);
        if (license is null) return 0;
        var obligations = ExpirySchedule.Obligations(await db.ItemTermsAsync(db.Set<LicenseItem>().Where(i => i.LicenseId == license.Id), ct));
        var recorded = await db.ExpiryNotices.AsNoTracking().Where(n => n.LicenseId == license.Id)
            .Select(n => new { n.Basis, n.EndsAt, n.Stage }).ToListAsync(ct);

        List<string>? members = null, admins = null;
        var sent = 0;
        foreach (var obligation in obligations)
        {
            var stages = recorded.Where(r => r.Basis == obligation.Basis && r.EndsAt == obligation.EndsAt).Select(r => r.Stage).ToList();
            var decision = ExpirySchedule.Decide(obligation, stages, now);
            foreach (var skipped in decision.Superseded)
                db.ExpiryNotices.Add(new ExpiryNoticeRecord(Guid.CreateVersion7(now), license.Id, license.OrganisationId, obligation.Basis,
                    obligation.EndsAt, skipped, NoticeOutcome.Superseded, 0, now));
            if (decision.Send is not { } stage) continue;

            members ??= await db.MemberIdsAsync(license.OrganisationId, ct);
            var message = ExpiryMessages.ToOrganisation(stage, obligation, license.Id, now);
            await notifier.NotifyAsync(members, message.Kind, message.Subject, message.Body, message.Link, ct);
            var recipients = members.Count;
            if (stage is ExpiryStage.Overdue or ExpiryStage.FinalNotice)
            {
                admins ??= await db.MarketplaceAdminIdsAsync(ct);
                var escalation = ExpiryMessages.ToAdmins(stage, obligation, license.Id, license.Organisation, now);
                await notifier.NotifyAsync(admins, escalation.Kind, escalation.Subject, escalation.Body, escalation.Link, ct);
                recipients += admins.Count;
            }
            db.ExpiryNotices.Add(new ExpiryNoticeRecord(Guid.CreateVersion7(now), license.Id, license.OrganisationId, obligation.Basis,
                obligation.EndsAt, stage, NoticeOutcome.Sent, recipients, now));
            sent++;
        }
        return sent;
    }
}

/// <summary>The wording of every expiry message, in one place so the stages read as one story.</summary>
internal static class ExpiryMessages
{
    public sealed record Message(NotificationKind Kind, string Subject, string Body, string Link);

    public static string AttestLink(Guid licenseId, Obligation o) => $"/Licenses/Attest/{licenseId}?group={o.Key}";

    /// <summary>What the terms require, as an instruction.</summary>
    public static string Duty(ExpiryDuty duty) => duty == ExpiryDuty.DestroyOrRetrainModels
        ? "delete the data from all storage, backups included, and destroy every model trained on it or retrain it without the data"
        : "delete the data from all storage, backups included";

    public static Message ToOrganisation(ExpiryStage stage, Obligation o, Guid licenseId, DateTimeOffset now)
    {
        var open = o.OpenItems;
        var label = ExpiryData.Label(open);
        var titles = ExpiryData.Titles(open);
        var end = $"{o.EndsAt:yyyy-MM-dd HH:mm} UTC";
        var due = $"{o.DueAt:yyyy-MM-dd}";
        var reason = o.Basis == DutyBasis.Takedown ? "were taken down by a moderator" : "ended";
        switch (stage)
        {
            case ExpiryStage.FirstReminder:
            case ExpiryStage.SecondReminder:
                var days = Math.Max(1, (int)Math.Ceiling((o.EndsAt - now).TotalDays));
                return new(NotificationKind.LicenseExpiring, $"{label}: your license ends in {days} days",
                    $"Your organisation's license {licenseId} ends on {end} for {titles}. After that they can no longer be downloaded, " +
                    $"and the terms require you to {Duty(o.Duty)}, then sign a deletion attestation within {o.AttestWithinDays} days, by {due}. " +
                    "If you have already stopped using the data you may delete it and attest early.",
                    $"/Licenses/Details/{licenseId}");
            case ExpiryStage.Ended:
                return new(NotificationKind.LicenseExpired, $"{label}: license ended; attest deletion by {due}",
                    $"Your organisation's license {licenseId} {reason} on {end} for {titles}; they can no longer be downloaded. " +
                    $"The terms require you to {Duty(o.Duty)}, and to sign a deletion attestation by {due} ({o.AttestWithinDays} days after the end). " +
                    "Sign it on the license's attestation page.",
                    AttestLink(licenseId, o));
            case ExpiryStage.Overdue:
                return new(NotificationKind.AttestationOverdue, $"{label}: deletion attestation overdue",
                    $"The deletion attestation for {titles} under license {licenseId} was due on {due} and has not been signed. " +
                    $"They {reason} on {end}; the terms require you to {Duty(o.Duty)}. Sign the attestation now. " +
                    "The marketplace's administrators have been told.",
                    AttestLink(licenseId, o));
            case ExpiryStage.FinalNotice:
                return new(NotificationKind.AttestationOverdue, $"Final notice: {label}: deletion attestation {o.DaysOverdue(now)} days overdue",
                    $"The deletion attestation for {titles} under license {licenseId} was due on {due} and is still not signed, {o.DaysOverdue(now)} days later. " +
                    $"The terms require you to {Duty(o.Duty)}. This is the last reminder; the marketplace's administrators will follow it up with your organisation.",
                    AttestLink(licenseId, o));
            default:
                throw new ArgumentOutOfRangeException(nameof(stage));
        }
    }

    public static Message ToAdmins(ExpiryStage stage, Obligation o, Guid licenseId, string organisation, DateTimeOffset now)
    {
        var first = stage == ExpiryStage.Overdue;
        var label = ExpiryData.Label(o.OpenItems);
        return new(NotificationKind.AttestationOverdue,
            first
                ? $"{organisation}: deletion attestation overdue for {label}"
                : $"{organisation}: deletion attestation for {label} still missing, {o.DaysOverdue(now)} days overdue",
            $"{organisation} has not attested deletion of {ExpiryData.Titles(o.OpenItems)} under license {licenseId}. " +
            $"The items {(o.Basis == DutyBasis.Takedown ? "were taken down" : "ended")} on {o.EndsAt:yyyy-MM-dd}; the attestation was due on {o.DueAt:yyyy-MM-dd}. " +
            (first
                ? $"The organisation has been reminded; it gets a final notice in {ExpirySchedule.FinalNoticeAfter.Days} days."
                : "The organisation has had its final notice; follow it up directly."),
            "/Admin/Attestations");
    }
}
