using Market.Domain.Moderation;
using Market.Web.Data;

namespace Market.Web.Features.Moderation;

/// <summary>
/// Adds an audit entry to the command's unit of work: it commits with the change it describes or not at all.
/// </summary>
public static class AuditTrail
{
    public static AuditEntry Audit(this MarketDb db, TimeProvider clock, string actorId, string action,
        AuditSubject subject, Guid subjectId, Guid? workId, string detail)
    {
        var entry = new AuditEntry(clock.GetUtcNow(), actorId, action, subject, subjectId, workId, detail);
        db.AuditEntries.Add(entry);
        return entry;
    }
}
