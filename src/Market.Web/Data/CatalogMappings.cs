using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Identity;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Market.Web.Data;

// EF mappings for the domain's entities. The domain knows nothing of EF: private setters and backing fields
// are mapped here, and the terms of an offer, order line and license item are complex properties (columns
// of their own row), so a license's snapshot lives with the license and not behind a shared foreign key.

internal sealed class UserMapping : IEntityTypeConfiguration<MarketUser>
{
    public void Configure(EntityTypeBuilder<MarketUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(MarketUser.MaxDisplayNameLength);
        b.Property(u => u.OrganisationRole).HasConversion<string>().HasMaxLength(20);
        b.HasOne<Organisation>().WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WorkMapping : IEntityTypeConfiguration<Work>
{
    public void Configure(EntityTypeBuilder<Work> b)
    {
        b.ToTable("works");
        b.HasKey(w => w.Id);
        b.Property(w => w.Id).ValueGeneratedNever();
        b.Property(w => w.CreatorId).HasMaxLength(450).IsRequired();
        b.HasOne<MarketUser>().WithMany().HasForeignKey(w => w.CreatorId).OnDelete(DeleteBehavior.Restrict);
        b.Property(w => w.Title).HasMaxLength(Work.MaxTitleLength).IsRequired();
        b.Property(w => w.Description).HasMaxLength(Work.MaxDescriptionLength);
        b.Property(w => w.OriginalKey).HasMaxLength(200).IsRequired();
        b.Property(w => w.OriginalFileName).HasMaxLength(260);
        b.Property(w => w.ContentType).HasMaxLength(100);
        b.Property(w => w.State).HasConversion<string>().HasMaxLength(20);
        b.Property(w => w.RejectionReason).HasMaxLength(500);
        b.Property(w => w.Sha256).HasMaxLength(64);
        b.Property(w => w.PerceptualHash).HasMaxLength(64);
        b.Property(w => w.PreviewKey).HasMaxLength(200);
        b.Property(w => w.ConsentTextVersion).HasMaxLength(40);
        b.HasIndex(w => new { w.CreatorId, w.State });
        b.HasIndex(w => w.State);
        // The database, not only the scan job, guarantees one listed work per file: two scans racing on the
        // same bytes cannot both list. (A filtered index; on another provider it would be a plain one.)
        b.HasIndex(w => w.Sha256).IsUnique().HasFilter("\"State\" = 'Listed'").HasDatabaseName("ux_works_listed_sha256");
        b.HasMany(w => w.Offers).WithOne().HasForeignKey(o => o.WorkId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(w => w.Offers).HasField("_offers").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(w => w.RightsHolders).WithOne().HasForeignKey(h => h.WorkId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(w => w.RightsHolders).HasField("_holders").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(w => w.Flags).WithOne().HasForeignKey(f => f.WorkId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(w => w.Flags).HasField("_flags").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(w => w.ActiveOffers);
        b.Ignore(w => w.Status);
        // A primitive collection: an array column on PostgreSQL, JSON on providers without arrays.
        b.Property(w => w.Tags);
        b.Property(w => w.Medium).HasConversion<string>().HasMaxLength(20);
        b.ComplexProperty(w => w.Metadata, m =>
        {
            m.Property(x => x.Title).HasMaxLength(EmbeddedMetadata.MaxFieldLength);
            m.Property(x => x.Creator).HasMaxLength(EmbeddedMetadata.MaxFieldLength);
            m.Property(x => x.CopyrightNotice).HasMaxLength(EmbeddedMetadata.MaxFieldLength);
            m.Property(x => x.Description).HasMaxLength(EmbeddedMetadata.MaxFieldLength);
            m.Property(x => x.DigitalSourceType).HasMaxLength(EmbeddedMetadata.MaxFieldLength);
        });
    }
}

internal sealed class RightsHolderMapping : IEntityTypeConfiguration<RightsHolder>
{
    public void Configure(EntityTypeBuilder<RightsHolder> b)
    {
        b.ToTable("rights_holders");
        b.HasKey(h => h.Id);
        b.Property(h => h.Id).ValueGeneratedNever();
        b.Property(h => h.Name).HasMaxLength(RightsHolder.MaxNameLength).IsRequired();
        b.Property(h => h.Email).HasMaxLength(RightsHolder.MaxEmailLength);
        b.Property(h => h.UserId).HasMaxLength(450);
        b.HasOne<MarketUser>().WithMany().HasForeignKey(h => h.UserId).OnDelete(DeleteBehavior.Restrict);
        b.Property(h => h.Role).HasConversion<string>().HasMaxLength(20);
        b.Property(h => h.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(h => h.TokenHash).HasMaxLength(64);
        b.Property(h => h.RefusalReason).HasMaxLength(RightsHolder.MaxReasonLength);
        b.Ignore(h => h.PayeeId);
        b.HasIndex(h => h.TokenHash).IsUnique().HasFilter("\"TokenHash\" IS NOT NULL");
        b.HasIndex(h => h.Email);
        b.HasIndex(h => h.UserId);
    }
}

internal sealed class WorkFlagMapping : IEntityTypeConfiguration<WorkFlag>
{
    public void Configure(EntityTypeBuilder<WorkFlag> b)
    {
        b.ToTable("work_flags");
        b.HasKey(f => f.Id);
        b.Property(f => f.Id).ValueGeneratedNever();
        b.Property(f => f.Kind).HasConversion<string>().HasMaxLength(40);
        b.Property(f => f.Detail).HasMaxLength(WorkFlag.MaxDetailLength);
        b.Property(f => f.Answer).HasConversion<string>().HasMaxLength(40);
        b.Property(f => f.AnsweredBy).HasMaxLength(450);
        b.Ignore(f => f.IsOpen);
    }
}

internal sealed class LicenseOfferMapping : IEntityTypeConfiguration<LicenseOffer>
{
    public void Configure(EntityTypeBuilder<LicenseOffer> b)
    {
        b.ToTable("license_offers");
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).ValueGeneratedNever();
        b.Property(o => o.Currency).HasMaxLength(3).IsFixedLength();
        b.Ignore(o => o.Price);
        b.ComplexProperty(o => o.Terms, TermsMapping.Configure);
    }
}

internal static class TermsMapping
{
    public static void Configure(ComplexPropertyBuilder<LicenseTerms> t)
    {
        t.Property(x => x.Scope).HasConversion<string>().HasMaxLength(40);
        t.Property(x => x.DutyAtExpiry).HasConversion<string>().HasMaxLength(40);
    }
}

internal sealed class ConsentRecordMapping : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> b)
    {
        b.ToTable("consent_records");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.UserId).HasMaxLength(450);
        b.Property(c => c.Action).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.TextVersion).HasMaxLength(40);
        b.Property(c => c.RemoteAddress).HasMaxLength(64);
        b.Property(c => c.UserAgent).HasMaxLength(ConsentRecord.MaxUserAgentLength);
        b.Property(c => c.Terms).HasMaxLength(ConsentRecord.MaxTermsLength);
        b.HasOne<Work>().WithMany().HasForeignKey(c => c.WorkId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.WorkId, c.At });
    }
}

internal sealed class OrganisationMapping : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> b)
    {
        b.ToTable("organisations");
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).ValueGeneratedNever();
        b.Property(o => o.Name).HasMaxLength(Organisation.MaxNameLength).IsRequired();
    }
}

internal sealed class BundleMapping : IEntityTypeConfiguration<Bundle>
{
    public void Configure(EntityTypeBuilder<Bundle> b)
    {
        b.ToTable("bundles");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(Bundle.MaxNameLength);
        b.Property(x => x.CreatedByUserId).HasMaxLength(450);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.IntendedScope).HasConversion<string>().HasMaxLength(40);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.OrganisationId, x.CreatedByUserId, x.Status });
        b.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.BundleId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Items).HasField("_items").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class BundleItemMapping : IEntityTypeConfiguration<BundleItem>
{
    public void Configure(EntityTypeBuilder<BundleItem> b)
    {
        b.ToTable("bundle_items");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        b.HasOne<Work>().WithMany().HasForeignKey(x => x.WorkId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.BundleId, x.WorkId }).IsUnique();
    }
}

internal sealed class OrderMapping : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("orders");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.BuyerUserId).HasMaxLength(450);
        b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Provider).HasMaxLength(20);
        b.Property(x => x.ProviderSessionId).HasMaxLength(200);
        b.Property(x => x.ProviderPaymentReference).HasMaxLength(200);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Bundle>().WithMany().HasForeignKey(x => x.BundleId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.OrganisationId);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class OrderLineMapping : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> b)
    {
        b.ToTable("order_lines");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.WorkTitle).HasMaxLength(Work.MaxTitleLength);
        b.Property(x => x.CreatorId).HasMaxLength(450);
        b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        b.ComplexProperty(x => x.Terms, TermsMapping.Configure);
        b.HasMany(x => x.Shares).WithOne().HasForeignKey(s => s.OrderLineId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Shares).HasField("_shares").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class OrderLineShareMapping : IEntityTypeConfiguration<OrderLineShare>
{
    public void Configure(EntityTypeBuilder<OrderLineShare> b)
    {
        b.ToTable("order_line_shares");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.PayeeId).HasMaxLength(450);
        b.Property(x => x.Name).HasMaxLength(RightsHolder.MaxNameLength);
        b.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
    }
}

internal sealed class LicenseMapping : IEntityTypeConfiguration<License>
{
    public void Configure(EntityTypeBuilder<License> b)
    {
        b.ToTable("licenses");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.OrderId).IsUnique();
        b.HasIndex(x => x.OrganisationId);
        b.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.LicenseId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Items).HasField("_items").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class LicenseItemMapping : IEntityTypeConfiguration<LicenseItem>
{
    public void Configure(EntityTypeBuilder<LicenseItem> b)
    {
        b.ToTable("license_items");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.WorkTitle).HasMaxLength(Work.MaxTitleLength);
        b.Property(x => x.CreatorId).HasMaxLength(450);
        b.Property(x => x.CreatorName).HasMaxLength(MarketUser.MaxDisplayNameLength);
        b.Property(x => x.CopyrightHolder).HasMaxLength(LicenseItem.MaxHolderTextLength);
        b.Property(x => x.RightsHolders).HasMaxLength(LicenseItem.MaxHolderTextLength);
        b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        b.ComplexProperty(x => x.Terms, TermsMapping.Configure);
        b.Property(x => x.RecallReason).HasMaxLength(LicenseItem.MaxRecallReasonLength);
        b.HasIndex(x => x.WorkId);
    }
}

internal sealed class ProcessedPaymentEventMapping : IEntityTypeConfiguration<ProcessedPaymentEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedPaymentEvent> b)
    {
        b.ToTable("processed_payment_events");
        b.HasKey(x => new { x.Provider, x.EventId });
        b.Property(x => x.Provider).HasMaxLength(20);
        b.Property(x => x.EventId).HasMaxLength(200);
    }
}

internal sealed class NotificationMapping : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("notifications");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.UserId).HasMaxLength(450);
        b.HasOne<MarketUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
        b.Property(x => x.Subject).HasMaxLength(Notification.MaxSubjectLength);
        b.Property(x => x.Body).HasMaxLength(Notification.MaxBodyLength);
        b.Property(x => x.Link).HasMaxLength(300);
        b.HasIndex(x => new { x.UserId, x.CreatedAt });
    }
}

internal sealed class EmailOptOutMapping : IEntityTypeConfiguration<EmailOptOut>
{
    public void Configure(EntityTypeBuilder<EmailOptOut> b)
    {
        b.ToTable("email_opt_outs");
        b.HasKey(x => new { x.UserId, x.Kind });
        b.Property(x => x.UserId).HasMaxLength(450);
        b.HasOne<MarketUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
    }
}

internal sealed class OutboxEmailMapping : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> b)
    {
        b.ToTable("outbox_emails");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.To).HasMaxLength(254);
        b.Property(x => x.ToName).HasMaxLength(200);
        b.Property(x => x.Subject).HasMaxLength(Notification.MaxSubjectLength);
        b.Property(x => x.LastError).HasMaxLength(500);
        b.HasIndex(x => new { x.SentAt, x.CreatedAt });
    }
}

internal sealed class TrainingRunMapping : IEntityTypeConfiguration<TrainingRun>
{
    public void Configure(EntityTypeBuilder<TrainingRun> b)
    {
        b.ToTable("training_runs");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ReportedByUserId).HasMaxLength(450);
        b.Property(x => x.ModelName).HasMaxLength(TrainingRun.MaxModelNameLength);
        b.Property(x => x.ModelVersion).HasMaxLength(TrainingRun.MaxModelVersionLength);
        b.HasOne<License>().WithMany().HasForeignKey(x => x.LicenseId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.LicenseId);
    }
}
