using Market.Web.Detection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Market.Web.Data;

internal sealed class StoredFingerprintMapping : IEntityTypeConfiguration<StoredFingerprint>
{
    public void Configure(EntityTypeBuilder<StoredFingerprint> b)
    {
        b.ToTable("fingerprints");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        // One fingerprint per work or entry: a retried scan job finds the row already there.
        b.HasIndex(x => new { x.Kind, x.TargetId }).IsUnique();
    }
}
