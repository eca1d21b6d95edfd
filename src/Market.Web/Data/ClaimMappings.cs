using Market.Domain.Catalog;
using Market.Domain.Moderation;
using Market.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Market.Web.Data;

// Ownership claims against listed works, and the sanctions upheld claims cause.

internal sealed class ClaimMapping : IEntityTypeConfiguration<Claim>
{
    public void Configure(EntityTypeBuilder<Claim> b)
    {
        b.ToTable("claims");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasOne<Work>().WithMany().HasForeignKey(x => x.WorkId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<MarketUser>().WithMany().HasForeignKey(x => x.ClaimantId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.ClaimantId).HasMaxLength(450);
        b.Property(x => x.UploaderId).HasMaxLength(450);
        b.Property(x => x.Statement).HasMaxLength(Claim.MaxStatementLength);
        b.Property(x => x.EvidenceText).HasMaxLength(Claim.MaxEvidenceTextLength);
        b.Property(x => x.EvidenceUrls);
        b.OwnsOne(x => x.EvidenceFile, f =>
        {
            f.Property(e => e.StorageKey).HasMaxLength(300);
            f.Property(e => e.FileName).HasMaxLength(260);
            f.Property(e => e.ContentType).HasMaxLength(100);
        });
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.CounterStatement).HasMaxLength(Claim.MaxCounterStatementLength);
        b.Property(x => x.DecidedByUserId).HasMaxLength(450);
        b.Property(x => x.DecisionReason).HasMaxLength(Claim.MaxReasonLength);
        b.Ignore(x => x.IsOpen);
        // The queue (open, oldest first), a work's claims, a claimant's and an uploader's.
        b.HasIndex(x => new { x.State, x.FiledAt });
        b.HasIndex(x => new { x.WorkId, x.State });
        b.HasIndex(x => new { x.ClaimantId, x.FiledAt });
        b.HasIndex(x => new { x.UploaderId, x.FiledAt });
        // The rule "one open claim per work per claimant", also in the database against a double submit.
        b.HasIndex(x => new { x.WorkId, x.ClaimantId }).IsUnique().HasFilter("\"State\" = 'Open'").HasDatabaseName("ux_claims_open_per_claimant");
    }
}

internal sealed class SanctionMapping : IEntityTypeConfiguration<Sanction>
{
    public void Configure(EntityTypeBuilder<Sanction> b)
    {
        b.ToTable("sanctions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.UserId).HasMaxLength(450);
        b.HasOne<Claim>().WithMany().HasForeignKey(x => x.ClaimId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Explanation).HasMaxLength(500);
        b.HasIndex(x => new { x.UserId, x.At });
        // One sanction per upheld claim, however often the decision is retried.
        b.HasIndex(x => x.ClaimId).IsUnique();
    }
}
