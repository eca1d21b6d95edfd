using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Market.Web.Data;

// Mappings for the end of a license's life: deletion attestations, the expiry job's record of what it sent, and
// a work's takedown. Kept apart from CatalogMappings so moderation and expiry do not edit the catalog's file.

internal sealed class DeletionAttestationMapping : IEntityTypeConfiguration<DeletionAttestation>
{
    public void Configure(EntityTypeBuilder<DeletionAttestation> b)
    {
        b.ToTable("deletion_attestations");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasOne<License>().WithMany().HasForeignKey(x => x.LicenseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Basis).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Duty).HasConversion<string>().HasMaxLength(40);
        b.Property(x => x.SignedByUserId).HasMaxLength(450);
        b.Property(x => x.SignerName).HasMaxLength(DeletionAttestation.MaxNameLength);
        b.Property(x => x.SignerTitle).HasMaxLength(DeletionAttestation.MaxTitleLength);
        b.Property(x => x.Statement).HasMaxLength(DeletionAttestation.MaxStatementLength);
        b.Property(x => x.EarlyReason).HasMaxLength(DeletionAttestation.MaxEarlyReasonLength);
        b.Property(x => x.RemoteAddress).HasMaxLength(64);
        b.Property(x => x.UserAgent).HasMaxLength(DeletionAttestation.MaxUserAgentLength);
        b.Ignore(x => x.IsEarly);
        b.Ignore(x => x.WasLate);
        b.Ignore(x => x.ModelsText);
        b.HasIndex(x => x.SignedAt);
        b.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.AttestationId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(x => x.Items).HasField("_items").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class AttestedItemMapping : IEntityTypeConfiguration<AttestedItem>
{
    public void Configure(EntityTypeBuilder<AttestedItem> b)
    {
        b.ToTable("deletion_attestation_items");
        b.HasKey(x => new { x.AttestationId, x.LicenseItemId });
        b.HasOne<LicenseItem>().WithMany().HasForeignKey(x => x.LicenseItemId).OnDelete(DeleteBehavior.Restrict);
        // An item is attested once: two members signing at the same moment cannot both cover it.
        b.HasIndex(x => x.LicenseItemId).IsUnique();
    }
}

internal sealed class ExpiryNoticeRecordMapping : IEntityTypeConfiguration<ExpiryNoticeRecord>
{
    public void Configure(EntityTypeBuilder<ExpiryNoticeRecord> b)
    {
        b.ToTable("expiry_notices");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasOne<License>().WithMany().HasForeignKey(x => x.LicenseId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Basis).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Stage).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
        // The job's idempotency rests on this: a stage of a group is recorded once, however many runs race.
        b.HasIndex(x => new { x.LicenseId, x.Basis, x.EndsAt, x.Stage }).IsUnique();
    }
}

/// <summary>The takedown columns of a work; the rest of its mapping is in CatalogMappings.</summary>
internal sealed class WorkTakedownMapping : IEntityTypeConfiguration<Work>
{
    public void Configure(EntityTypeBuilder<Work> b)
    {
        b.Property(w => w.TakedownReason).HasMaxLength(Work.MaxTakedownReasonLength);
        b.Property(w => w.TakenDownByUserId).HasMaxLength(450);
        b.HasOne<MarketUser>().WithMany().HasForeignKey(w => w.TakenDownByUserId).OnDelete(DeleteBehavior.Restrict);
        // The expiry job looks for recent takedowns every hour; few works ever have one.
        b.HasIndex(w => w.TakenDownAt).HasFilter("\"TakenDownAt\" IS NOT NULL").HasDatabaseName("ix_works_taken_down_at");
    }
}

/// <summary>The expiry job's index on license items; the rest of their mapping is in CatalogMappings.</summary>
internal sealed class LicenseItemExpiryMapping : IEntityTypeConfiguration<LicenseItem>
{
    public void Configure(EntityTypeBuilder<LicenseItem> b) => b.HasIndex(i => i.EndsAt);
}
