using Market.Domain.Licensing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Market.Web.Data;

internal sealed class ApiTokenMapping : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.ToTable("api_tokens");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(ApiToken.MaxNameLength);
        // Flags as their number: adding a scope later needs no migration.
        b.Property(x => x.Scopes).HasConversion<int>();
        b.Property(x => x.CreatedByUserId).HasMaxLength(450);
        b.Property(x => x.RevokedByUserId).HasMaxLength(450);
        b.Property(x => x.SecretHash).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.Hint).HasMaxLength(16);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        // Every API request finds its token by this hash.
        b.HasIndex(x => x.SecretHash).IsUnique();
        b.HasIndex(x => new { x.OrganisationId, x.CreatedByUserId });
    }
}
