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
        b.Property(e => e.FromCurrency).HasMaxLength(3).IsFixedLength();
        b.Property(e => e.Search).IsRequired();
        b.Property(e => e.TitleSearch).IsRequired();
        b.Property(e => e.TagSearch).IsRequired();

        // Newest first, and the keyset that pages through it: (ListedAt, WorkId) read backwards.
        b.HasIndex(e => new { e.ListedAt, e.WorkId }).HasDatabaseName("ix_catalog_entries_newest");
        // The facets that narrow the most, each already in "newest" order so a filtered first page is a short walk.
        b.HasIndex(e => new { e.CreatorId, e.ListedAt, e.WorkId }).HasDatabaseName("ix_catalog_entries_creator_newest");
        b.HasIndex(e => new { e.Medium, e.ListedAt, e.WorkId }).HasDatabaseName("ix_catalog_entries_medium_newest");
        // Containment and overlap on arrays, and text search, through GIN.
        b.HasIndex(e => e.Tags).HasMethod("gin").HasDatabaseName("ix_catalog_entries_tags");
        b.HasIndex(e => e.OfferKeys).HasMethod("gin").HasDatabaseName("ix_catalog_entries_offer_keys");
        b.HasIndex(e => e.Search).HasMethod("gin").HasDatabaseName("ix_catalog_entries_search");
        b.HasIndex(e => e.TitleSearch).HasMethod("gin").HasDatabaseName("ix_catalog_entries_title_search");
        b.HasIndex(e => e.TagSearch).HasMethod("gin").HasDatabaseName("ix_catalog_entries_tag_search");

        b.HasMany<CatalogEntryOffer>().WithOne().HasForeignKey(o => o.WorkId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CatalogEntryOfferMapping : IEntityTypeConfiguration<CatalogEntryOffer>
{
    public void Configure(EntityTypeBuilder<CatalogEntryOffer> b)
    {
        b.ToTable("catalog_entry_offers");
        b.HasKey(o => o.OfferId);
        b.Property(o => o.OfferId).ValueGeneratedNever();
        b.Property(o => o.Currency).HasMaxLength(3).IsFixedLength();
        b.HasIndex(o => o.WorkId);
        // A narrow price range finds its offers here first, then their works.
        b.HasIndex(o => new { o.Currency, o.PriceMinor });
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
