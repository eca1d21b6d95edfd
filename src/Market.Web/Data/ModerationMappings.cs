using Market.Domain.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Market.Web.Data;

// Trust and safety's audit trail. Claims, review cases and the protected-works registry keep their own mapping
// files; they all write here.

internal sealed class AuditEntryMapping : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ActorId).HasMaxLength(450);
        b.Property(x => x.Action).HasMaxLength(AuditEntry.MaxActionLength);
        b.Property(x => x.Subject).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Detail).HasMaxLength(AuditEntry.MaxDetailLength);
        b.HasIndex(x => new { x.Subject, x.SubjectId, x.At });
        b.HasIndex(x => new { x.WorkId, x.At });
        b.HasIndex(x => x.At);
    }
}
