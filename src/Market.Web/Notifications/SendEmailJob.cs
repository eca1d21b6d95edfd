using Hangfire;
using Market.Web.Data;
using Market.Web.Jobs;
using Market.Web.Notifications.Email;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Notifications;

/// <summary>
/// Sends one outbox e-mail. Retried by Hangfire when the mail server fails; a message already marked sent is
/// skipped, and the transport keys the message by our id, so a retry after a crash between "sent" and
/// "marked" is recognisable downstream. A sweep picks up any e-mail whose enqueue was lost.
/// </summary>
public sealed class SendEmailJob(MarketDb db, IMailTransport transport, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string SweepJobId = "email-outbox-sweep";

    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 8)]
    public async Task RunAsync(Guid emailId, CancellationToken cancellationToken)
    {
        var mail = await db.OutboxEmails.FirstOrDefaultAsync(m => m.Id == emailId, cancellationToken);
        if (mail is null || mail.SentAt is not null) return;
        // The attempt is recorded before sending, so the sweep (which only picks never-tried e-mails) cannot
        // enqueue a second send of one that is on its way.
        mail.Attempts++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return; // the row is gone (its user was deleted, say): nothing to send
        }
        try
        {
            await transport.SendAsync(new OutgoingMail(mail.To, mail.ToName, mail.Subject, mail.TextBody), mail.Id, cancellationToken);
            mail.SentAt = clock.GetUtcNow();
            mail.LastError = null;
        }
        catch (Exception e)
        {
            mail.LastError = e.Message.Length > 500 ? e.Message[..500] : e.Message;
            throw;
        }
        finally
        {
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Deleted while it was being sent; the send itself stands.
            }
        }
    }

    /// <summary>Re-enqueues e-mails that have waited too long (their enqueue was lost to a crash right after commit).</summary>
    [Queue(JobQueues.Default)]
    [DisableConcurrentExecution(60)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().AddMinutes(-5);
        // Only never-tried ones: a failing one is already in Hangfire's retries, and enqueuing it again could send it twice.
        var stale = await db.OutboxEmails.Where(m => m.SentAt == null && m.CreatedAt < cutoff && m.Attempts == 0)
            .OrderBy(m => m.CreatedAt).Select(m => m.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var id in stale)
            jobs.Enqueue<SendEmailJob>(job => job.RunAsync(id, CancellationToken.None));
    }
}
