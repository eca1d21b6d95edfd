using Market.Domain.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Market.Web.Data;

// The moderators' review queue and the protected-works registry (issue 6).

internal sealed class ReviewCaseMapping : IEntityTypeConfiguration<ReviewCase>
{
    public void Configure(EntityTypeBuilder<ReviewCase> b)
    {
        b.ToTable("review_cases");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Edit).HasMaxLength(ReviewCase.MaxEditLength);
        b.Property(x => x.DecidedBy).HasMaxLength(450);
        b.Property(x => x.Note).HasMaxLength(ReviewCase.MaxNoteLength);
        b.Ignore(x => x.IsOpen);
        b.HasOne<Market.Domain.Catalog.Work>().WithMany().HasForeignKey(x => x.WorkId).OnDelete(DeleteBehavior.Restrict);
        // The queue: open cases, oldest first.
        b.HasIndex(x => new { x.State, x.OpenedAt });
        b.HasIndex(x => x.WorkId);
    }
}

internal sealed class RegistrantMapping : IEntityTypeConfiguration<Registrant>
{
    public void Configure(EntityTypeBuilder<Registrant> b)
    {
        b.ToTable("registrants");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.LegalName).HasMaxLength(Registrant.MaxNameLength);
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.Organisation).HasMaxLength(Registrant.MaxOrganisationLength);
        b.Property(x => x.Statement).HasMaxLength(Registrant.MaxStatementLength);
        b.Property(x => x.EvidenceUrl).HasMaxLength(Registrant.MaxUrlLength);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.DecidedBy).HasMaxLength(450);
        b.Property(x => x.DecisionNote).HasMaxLength(Registrant.MaxNoteLength);
        b.Ignore(x => x.EmailVerified);
        b.Ignore(x => x.CanRegister);
        // One application per account: the registrant is the account's standing in the registry.
        b.HasIndex(x => x.UserId).IsUnique();
        b.HasIndex(x => new { x.State, x.AppliedAt });
    }
}

internal sealed class ProtectedWorkMapping : IEntityTypeConfiguration<ProtectedWork>
{
    public void Configure(EntityTypeBuilder<ProtectedWork> b)
    {
        b.ToTable("protected_works");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Label).HasMaxLength(ProtectedWork.MaxLabelLength);
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.PerceptualHash).HasMaxLength(64);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.ImageKey).HasMaxLength(100);
        b.Ignore(x => x.IsActive);
        b.HasOne<Registrant>().WithMany().HasForeignKey(x => x.RegistrantId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.RegistrantId, x.RegisteredAt });
        b.HasIndex(x => x.Sha256);
    }
}
