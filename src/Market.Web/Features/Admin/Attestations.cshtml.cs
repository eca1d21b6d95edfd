using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Features.Licenses;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Admin;

/// <summary>
/// For the marketplace's admins: every deletion attestation that is overdue, with what the organisation was sent
/// and when, and the latest signed attestations for audit.
/// </summary>
public sealed class AttestationsModel(IMediator mediator) : PageModel
{
    public Report View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => View = await mediator.Send(new Query(), ct);

    public const int MaxRows = 500;

    public sealed record Query : IRequest<Report>;

    public sealed record Report(IReadOnlyList<Overdue> Overdue, IReadOnlyList<Signed> Signed, DateTimeOffset Now);

    public sealed record Notice(ExpiryStage Stage, NoticeOutcome Outcome, DateTimeOffset At);

    public sealed record Overdue(string Organisation, Guid LicenseId, DutyBasis Basis, IReadOnlyList<string> Works, DateTimeOffset EndsAt, DateTimeOffset DueAt,
        int DaysOverdue, IReadOnlyList<Notice> Notices);

    public sealed record Signed(string Organisation, Guid LicenseId, DutyBasis Basis, int Items, DateTimeOffset EndsAt, DateTimeOffset DueAt, string SignerName,
        string SignerTitle, DateOnly DoneOn, DateTimeOffset SignedAt, string ModelsText, string Statement, string? EarlyReason, string? RemoteAddress, bool Late);

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Query, Report>
    {
        public async Task<Report> Handle(Query request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var overdue = ExpirySchedule.Obligations(await db.ItemTermsAsync(db.EndedUnattestedItems(now), ct))
                .Where(o => o.IsOverdue(now))
                .OrderBy(o => o.DueAt).Take(MaxRows).ToList();
            var licenseIds = overdue.Select(o => o.LicenseId).Distinct().ToList();
            var notices = await db.ExpiryNotices.AsNoTracking().Where(n => licenseIds.Contains(n.LicenseId))
                .Select(n => new { n.LicenseId, n.Basis, n.EndsAt, n.Stage, n.Outcome, n.At }).ToListAsync(ct);
            var signed = await db.DeletionAttestations.AsNoTracking().OrderByDescending(a => a.SignedAt).Take(MaxRows)
                .Select(a => new
                {
                    a.LicenseId, a.OrganisationId, a.Basis, Items = a.Items.Count, a.EndsAt, a.DueAt, a.SignerName, a.SignerTitle, a.DoneOn, a.SignedAt,
                    a.ModelsDestroyedOrRetrained, a.NoModelsTrained, a.Statement, a.EarlyReason, a.RemoteAddress,
                })
                .ToListAsync(ct);
            var names = await db.LicenseeNamesAsync(licenseIds.Concat(signed.Select(s => s.LicenseId)), ct);
            return new Report(
                overdue.Select(o => new Overdue(names.GetValueOrDefault(o.LicenseId, ""), o.LicenseId, o.Basis, o.Items.Select(i => i.WorkTitle).ToList(),
                    o.EndsAt, o.DueAt, o.DaysOverdue(now),
                    notices.Where(n => n.LicenseId == o.LicenseId && n.Basis == o.Basis && n.EndsAt == o.EndsAt).OrderBy(n => n.Stage)
                        .Select(n => new Notice(n.Stage, n.Outcome, n.At)).ToList())).ToList(),
                signed.Select(s => new Signed(names.GetValueOrDefault(s.LicenseId, ""), s.LicenseId, s.Basis, s.Items, s.EndsAt, s.DueAt, s.SignerName,
                    s.SignerTitle, s.DoneOn, s.SignedAt,
                    s.ModelsDestroyedOrRetrained ? "models destroyed or retrained" : s.NoModelsTrained ? "no model trained" : "models not covered",
                    s.Statement, s.EarlyReason, s.RemoteAddress, s.SignedAt > s.DueAt)).ToList(),
                now);
        }
    }

    public static string StageText(ExpiryStage stage) => stage switch
    {
        ExpiryStage.FirstReminder => "30-day reminder",
        ExpiryStage.SecondReminder => "7-day reminder",
        ExpiryStage.Ended => "access ended",
        ExpiryStage.Overdue => "overdue notice",
        ExpiryStage.FinalNotice => "final notice",
        _ => stage.ToString(),
    };
}
