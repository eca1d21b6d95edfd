using Market.Domain.Moderation;
using Market.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Market.Integration.Tests;

/// <summary>The trust and safety trail is append-only in the database itself, not only by convention in our code.</summary>
public sealed class AuditTrailTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task An_audit_entry_can_be_added_but_never_changed_or_deleted()
    {
        var workId = Guid.NewGuid();
        var entry = new AuditEntry(Now(), AuditEntry.System, "work.quarantined", AuditSubject.Work, workId, workId, "matched another account's work");
        await Db(async db => { db.AuditEntries.Add(entry); await db.SaveChangesAsync(); return 0; });

        var update = await Should.ThrowAsync<PostgresException>(() =>
            Db(db => db.AuditEntries.Where(e => e.Id == entry.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Detail, "rewritten"))));
        update.MessageText.ShouldContain("never changed or deleted");
        var delete = await Should.ThrowAsync<PostgresException>(() => Db(db => db.AuditEntries.Where(e => e.Id == entry.Id).ExecuteDeleteAsync()));
        delete.MessageText.ShouldContain("never changed or deleted");

        var stored = await Db(db => db.AuditEntries.SingleAsync(e => e.Id == entry.Id));
        stored.Detail.ShouldBe("matched another account's work");
        stored.Action.ShouldBe("work.quarantined");
    }

    [Fact]
    public void An_entry_needs_an_actor_and_a_short_action_and_long_detail_is_cut()
    {
        Should.Throw<ArgumentException>(() => new AuditEntry(DateTimeOffset.UnixEpoch, " ", "x", AuditSubject.Work, Guid.Empty, null, ""));
        Should.Throw<ArgumentException>(() => new AuditEntry(DateTimeOffset.UnixEpoch, "u", new string('a', 61), AuditSubject.Work, Guid.Empty, null, ""));
        new AuditEntry(DateTimeOffset.UnixEpoch, "u", "a", AuditSubject.Work, Guid.Empty, null, new string('d', 5000)).Detail.Length.ShouldBe(AuditEntry.MaxDetailLength);
    }
}
