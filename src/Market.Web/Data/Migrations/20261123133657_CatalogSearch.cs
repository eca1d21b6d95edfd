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
                    FromPriceMinor = table.Column<long>(type: "bigint", nullable: false),
                    FromCurrency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    ListedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Search = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false),
                    TitleSearch = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false),
                    TagSearch = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "catalog_entry_offers",
                schema: "market",
                columns: table => new
                {
                    OfferId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkId = table.Column<Guid>(type: "uuid", nullable: false),
                    OfferKey = table.Column<short>(type: "smallint", nullable: false),
                    Currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    PriceMinor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_entry_offers", x => x.OfferId);
                    table.ForeignKey(
                        name: "FK_catalog_entry_offers_catalog_entries_WorkId",
                        column: x => x.WorkId,
                        principalSchema: "market",
                        principalTable: "catalog_entries",
                        principalColumn: "WorkId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_creator_newest",
                schema: "market",
                table: "catalog_entries",
                columns: new[] { "CreatorId", "ListedAt", "WorkId" });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_medium_newest",
                schema: "market",
                table: "catalog_entries",
                columns: new[] { "Medium", "ListedAt", "WorkId" });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_newest",
                schema: "market",
                table: "catalog_entries",
                columns: new[] { "ListedAt", "WorkId" });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_offer_keys",
                schema: "market",
                table: "catalog_entries",
                column: "OfferKeys")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_search",
                schema: "market",
                table: "catalog_entries",
                column: "Search")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_tag_search",
                schema: "market",
                table: "catalog_entries",
                column: "TagSearch")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_tags",
                schema: "market",
                table: "catalog_entries",
                column: "Tags")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_catalog_entries_title_search",
                schema: "market",
                table: "catalog_entries",
                column: "TitleSearch")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "IX_catalog_entry_offers_Currency_PriceMinor",
                schema: "market",
                table: "catalog_entry_offers",
                columns: new[] { "Currency", "PriceMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_catalog_entry_offers_WorkId",
                schema: "market",
                table: "catalog_entry_offers",
                column: "WorkId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalog_entry_offers",
                schema: "market");

            migrationBuilder.DropTable(
                name: "catalog_facet_counts",
                schema: "market");

            migrationBuilder.DropTable(
                name: "catalog_entries",
                schema: "market");
        }
    }
}
