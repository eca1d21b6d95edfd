using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Market.Web.Data;

internal sealed class CuratedBundleMapping : IEntityTypeConfiguration<CuratedBundle>
{
    public void Configure(EntityTypeBuilder<CuratedBundle> b)
    {
        b.ToTable("curated_bundles");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.CuratorUserId).HasMaxLength(450);
        b.HasOne<MarketUser>().WithMany().HasForeignKey(x => x.CuratorUserId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Title).HasMaxLength(CuratedBundle.MaxTitleLength);
        b.Property(x => x.Description).HasMaxLength(CuratedBundle.MaxDescriptionLength);
        b.HasIndex(x => x.PublishedAt);
        b.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.CuratedBundleId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Items).HasField("_items").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class CuratedBundleItemMapping : IEntityTypeConfiguration<CuratedBundleItem>
{
    public void Configure(EntityTypeBuilder<CuratedBundleItem> b)
    {
        b.ToTable("curated_bundle_items");
        b.HasKey(x => new { x.CuratedBundleId, x.WorkId });
        b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        b.HasOne<Work>().WithMany().HasForeignKey(x => x.WorkId).OnDelete(DeleteBehavior.Restrict);
    }
}
