using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace Market.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CatalogSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "catalog_entries",
                schema: "market",
                columns: table => new
                {
                    WorkId = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CreatorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Medium = table.Column<short>(type: "smallint", nullable: false),
                    CreationYear = table.Column<int>(type: "integer", nullable: true),
                    Tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    OfferKeys = table.Column<short[]>(type: "smallint[]", nullable: false),
                    Currencies = table.Column<List<string>>(type: "text[]", nullable: false),
                    PriceCodes = table.Column<long[]>(type: "bigint[]", nullable: false),
                    PriceBuckets = table.Column<int[]>(type: "integer[]", nullable: false),
                    FromPriceMinor = table.Column<long>(type: "bigint", nullable: false),
                    FromCurrency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    ListedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Search = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_entries", x => x.WorkId);
                    table.ForeignKey(
                        name: "FK_catalog_entries_works_WorkId",
                        column: x => x.WorkId,
                        principalSchema: "market",
                        principalTable: "works",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "catalog_facet_counts",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Facet = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Value = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_facet_counts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_creator_newest",
                schema: "market",
                table: "catalog_entries",
                columns: new[] { "CreatorId", "ListedAt", "WorkId" });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_newest",
                schema: "market",
                table: "catalog_entries",
                columns: new[] { "ListedAt", "WorkId" });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_price_buckets",
                schema: "market",
                table: "catalog_entries",
                column: "PriceBuckets")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_search",
                schema: "market",
                table: "catalog_entries",
                column: "Search")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_tags",
                schema: "market",
                table: "catalog_entries",
                column: "Tags")
                .Annotation("Npgsql:IndexMethod", "gin");

            // The works already for sale enter the index now; from here on the site's save hook keeps it current.
            // A copy of CatalogIndex.RebuildSql as it is at this migration, so that later changes to that code
            // cannot change what this migration does.
            migrationBuilder.Sql("""
                insert into market.catalog_entries ("WorkId", "Title", "CreatorId", "CreatorName", "Medium", "CreationYear", "Tags",
                    "OfferKeys", "Currencies", "PriceCodes", "PriceBuckets", "FromPriceMinor", "FromCurrency", "ListedAt", "Search")
                select w."Id", w."Title", w."CreatorId", u."DisplayName", (case w."Medium" when 'Unspecified' then 0 when 'Photograph' then 1 when 'Illustration' then 2 when 'Painting' then 3 when 'Drawing' then 4 when 'DigitalArt' then 5 when 'Mixed' then 6 else 0 end)::smallint, w."CreationYear", w."Tags",
                    array(select distinct (case o."Terms_Scope" when 'GenerativeTraining' then 0 when 'FineTuningOrStyle' then 8 when 'NonGenerativeAnalysis' then 16 end + case when o."Terms_Commercial" then 4 else 0 end + case when o."Terms_TermMonths" <= 12 then 0 when o."Terms_TermMonths" <= 36 then 1 when o."Terms_TermMonths" <= 60 then 2 else 3 end)::smallint from market.license_offers o where o."WorkId" = w."Id" and o."Active" order by 1),
                    array(select distinct o."Currency"::text from market.license_offers o where o."WorkId" = w."Id" and o."Active" order by 1),
                    array(select distinct (((ascii(substr(o."Currency", 1, 1)) - 64) * 1024 + (ascii(substr(o."Currency", 2, 1)) - 64) * 32 + (ascii(substr(o."Currency", 3, 1)) - 64))::bigint << 48) | (o."PriceMinor" << 5) | (case o."Terms_Scope" when 'GenerativeTraining' then 0 when 'FineTuningOrStyle' then 8 when 'NonGenerativeAnalysis' then 16 end + case when o."Terms_Commercial" then 4 else 0 end + case when o."Terms_TermMonths" <= 12 then 0 when o."Terms_TermMonths" <= 36 then 1 when o."Terms_TermMonths" <= 60 then 2 else 3 end)::smallint
                          from market.license_offers o where o."WorkId" = w."Id" and o."Active" order by 1),
                    array(select distinct ((ascii(substr(o."Currency", 1, 1)) - 64) * 1024 + (ascii(substr(o."Currency", 2, 1)) - 64) * 32 + (ascii(substr(o."Currency", 3, 1)) - 64)) * 32 + (length(o."PriceMinor"::text) * 3 + case when left(o."PriceMinor"::text, 1) < '3' then 0 when left(o."PriceMinor"::text, 1) < '6' then 1 else 2 end)
                          from market.license_offers o where o."WorkId" = w."Id" and o."Active" order by 1),
                    cheapest."PriceMinor", cheapest."Currency",
                    coalesce(w."ListedAt", w."CreatedAt"),
                    setweight(to_tsvector('english', w."Title"), 'A')
                        || setweight(to_tsvector('english', array_to_string(w."Tags", ' ')), 'B')
                        || setweight(to_tsvector('english', w."Description"), 'C')
                from market.works w
                join market."AspNetUsers" u on u."Id" = w."CreatorId"
                cross join lateral (select o."PriceMinor", o."Currency" from market.license_offers o
                                    where o."WorkId" = w."Id" and o."Active" order by o."PriceMinor", o."Currency" limit 1) cheapest
                where w."State" = 'Listed' and w."ConsentGrantedAt" is not null
                and exists (select 1 from market.rights_holders h where h."WorkId" = w."Id")
                and not exists (select 1 from market.rights_holders h where h."WorkId" = w."Id" and h."Status" <> 'Confirmed')
                and exists (select 1 from market.license_offers o where o."WorkId" = w."Id" and o."Active")
                order by coalesce(w."ListedAt", w."CreatedAt"), w."Id";
                insert into market.catalog_facet_counts ("Facet", "Value", "Count")
                select f."Facet", f."Value", count(*) from market.catalog_entries e cross join lateral (
                    select 'all' as "Facet", '' as "Value"
                    union all select 'medium', e."Medium"::text
                    union all select 'creator', e."CreatorId"
                    union all select 'tag', t from unnest(e."Tags") t
                    union all select 'currency', c from unnest(e."Currencies") c
                    union all select distinct 'scope', (k / 8 + 1)::text from unnest(e."OfferKeys") k
                    union all select distinct 'commercial', ((k / 4) % 2)::text from unnest(e."OfferKeys") k
                    union all select distinct 'term', (k % 4)::text from unnest(e."OfferKeys") k
                ) f group by 1, 2;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalog_entries",
                schema: "market");

            migrationBuilder.DropTable(
                name: "catalog_facet_counts",
                schema: "market");
        }
    }
}
