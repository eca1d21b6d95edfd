using Market.Domain.Catalog;
using Market.Web.Features.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Market.Web.Data;

// The catalog's search read model (Features/Catalog/CatalogEntry.cs and CatalogFacetCounts.cs). Unlike the
// domain's tables it is PostgreSQL-specific on purpose: full-text search (tsvector + GIN) and array overlap are
// what make a search of a million works answer in milliseconds, and the table can be rebuilt from the domain's
// tables at any time, so another provider would get its own projection rather than a lowest common denominator.

internal sealed class CatalogEntryMapping : IEntityTypeConfiguration<CatalogEntry>
{
    public void Configure(EntityTypeBuilder<CatalogEntry> b)
    {
        b.ToTable("catalog_entries");
        b.HasKey(e => e.WorkId);
        b.Property(e => e.WorkId).ValueGeneratedNever();
        // The entry goes with its work, should a work ever be deleted.
        b.HasOne<Work>().WithOne().HasForeignKey<CatalogEntry>(e => e.WorkId).OnDelete(DeleteBehavior.Cascade);
        b.Property(e => e.Title).HasMaxLength(Work.MaxTitleLength);
        b.Property(e => e.CreatorId).HasMaxLength(450);
        b.Property(e => e.CreatorName).HasMaxLength(Identity.MarketUser.MaxDisplayNameLength);
        // A number, not the enum's name as in works: the row stays narrow, and a million of them are counted often.
        b.Property(e => e.Medium).HasConversion<short>();
        b.Property(e => e.Tags);
        b.Property(e => e.OfferKeys);
        b.Property(e => e.Currencies);
        b.Property(e => e.PriceCodes);
        b.Property(e => e.PriceBuckets);
        b.Property(e => e.FromCurrency).HasMaxLength(3).IsFixedLength();
        b.Property(e => e.Search).IsRequired();

        // Newest first, and the keyset that pages through it: (ListedAt, WorkId) read backwards.
        b.HasIndex(e => new { e.ListedAt, e.WorkId }).HasDatabaseName("ix_catalog_entries_newest");
        // A creator's works, newest first: the one facet narrow enough that walking the newest index would be slow.
        b.HasIndex(e => new { e.CreatorId, e.ListedAt, e.WorkId }).HasDatabaseName("ix_catalog_entries_creator_newest");
        // Tag containment and text search, through GIN. The title's and the tags' parts of the text have indexes of
        // their own on ts_filter(Search), created by the migration in SQL (EF does not model expression indexes).
        // Medium and the offer keys have none on purpose: they narrow to a seventh or a half of the catalog, where
        // walking the newest index is cheaper, and PostgreSQL would otherwise combine their large bitmaps with the
        // text's and read more, not less.
        b.HasIndex(e => e.Tags).HasMethod("gin").HasDatabaseName("ix_catalog_entries_tags");
        b.HasIndex(e => e.Search).HasMethod("gin").HasDatabaseName("ix_catalog_entries_search");
        // A narrow price range is found through its buckets; a wide one by testing each row's codes.
        b.HasIndex(e => e.PriceBuckets).HasMethod("gin").HasDatabaseName("ix_catalog_entries_price_buckets");

    }
}

internal sealed class CatalogFacetCountMapping : IEntityTypeConfiguration<CatalogFacetCount>
{
    public void Configure(EntityTypeBuilder<CatalogFacetCount> b)
    {
        b.ToTable("catalog_facet_counts");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).UseIdentityByDefaultColumn();
        b.Property(c => c.Facet).HasMaxLength(20);
        b.Property(c => c.Value).HasMaxLength(450);
    }
}
