using Hangfire;
using Market.Web.Data;
using Market.Web.Mediation;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Notifications;

/// <summary>
/// Tells people things from inside a command: the in-site notification and the outgoing e-mail are rows in the
/// command's own transaction; the send job is enqueued only once it has committed.
/// </summary>
public sealed class Notifier(MarketDb db, UnitOfWork unitOfWork, IBackgroundJobClient jobs, SiteSettings site, TimeProvider clock)
{
    /// <param name="email">False when the person is already e-mailed about it another way (a share link, say).</param>
    public async Task NotifyAsync(IEnumerable<string> userIds, NotificationKind kind, string subject, string body, string? link, CancellationToken ct,
        bool email = true)
    {
        var ids = userIds.Distinct().ToList();
        if (ids.Count == 0) return;
        var now = clock.GetUtcNow();
        subject = Clip(subject, Notification.MaxSubjectLength);
        body = Clip(body, Notification.MaxBodyLength);
        foreach (var id in ids)
            db.Add(new Notification { Id = Guid.CreateVersion7(now), UserId = id, Kind = kind, Subject = subject, Body = body, Link = link, CreatedAt = now });

        if (!email) return;
        var optedOut = await db.EmailOptOuts.Where(o => o.Kind == kind && ids.Contains(o.UserId)).Select(o => o.UserId).ToListAsync(ct);
        var recipients = await db.Users.Where(u => ids.Contains(u.Id) && !optedOut.Contains(u.Id) && u.Email != null)
            .Select(u => new { u.Email, u.DisplayName }).ToListAsync(ct);
        foreach (var r in recipients)
            Email(r.Email!, r.DisplayName, subject,
                body + (link is null ? "" : $"\n\n{site.Absolute(link)}") +
                "\n\nYou can choose which e-mails you get on your notification settings page: " + site.Absolute("/Notifications/Settings"));
    }

    public Task NotifyAsync(string userId, NotificationKind kind, string subject, string body, string? link, CancellationToken ct) =>
        NotifyAsync([userId], kind, subject, body, link, ct);

    /// <summary>An e-mail to an address with no account behind it (a rights holder asked to confirm, say).</summary>
    public void Email(string to, string? toName, string subject, string textBody)
    {
        if (!unitOfWork.InTransaction)
            throw new InvalidOperationException("E-mails are written inside a command, so they commit or vanish with it.");
        var mail = new OutboxEmail
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()), To = to, ToName = toName, Subject = Clip(subject, Notification.MaxSubjectLength),
            TextBody = textBody, CreatedAt = clock.GetUtcNow(),
        };
        db.OutboxEmails.Add(mail);
        unitOfWork.AfterCommit(() => jobs.Enqueue<SendEmailJob>(job => job.RunAsync(mail.Id, CancellationToken.None)));
    }

    private static string Clip(string value, int max) => value.Length > max ? value[..(max - 1)] + "…" : value;
}
