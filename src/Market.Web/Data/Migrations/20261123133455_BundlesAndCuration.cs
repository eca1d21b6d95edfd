using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Market.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class BundlesAndCuration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "IntendedScope",
                schema: "market",
                table: "bundles",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IntendsCommercialUse",
                schema: "market",
                table: "bundles",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "SharedWithOrganisation",
                schema: "market",
                table: "bundles",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UpdatedAt",
                schema: "market",
                table: "bundles",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // Bundles made before this migration were last touched, as far as we know, when they were made.
            migrationBuilder.Sql("""UPDATE market.bundles SET "UpdatedAt" = "CreatedAt";""");

            migrationBuilder.CreateTable(
                name: "curated_bundles",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CuratorUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ByMarketplace = table.Column<bool>(type: "boolean", nullable: false),
                    Title = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_curated_bundles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_curated_bundles_AspNetUsers_CuratorUserId",
                        column: x => x.CuratorUserId,
                        principalSchema: "market",
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "curated_bundle_items",
                schema: "market",
                columns: table => new
                {
                    CuratedBundleId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkId = table.Column<Guid>(type: "uuid", nullable: false),
                    OfferId = table.Column<Guid>(type: "uuid", nullable: false),
                    Currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_curated_bundle_items", x => new { x.CuratedBundleId, x.WorkId });
                    table.ForeignKey(
                        name: "FK_curated_bundle_items_curated_bundles_CuratedBundleId",
                        column: x => x.CuratedBundleId,
                        principalSchema: "market",
                        principalTable: "curated_bundles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_curated_bundle_items_works_WorkId",
                        column: x => x.WorkId,
                        principalSchema: "market",
                        principalTable: "works",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_curated_bundle_items_WorkId",
                schema: "market",
                table: "curated_bundle_items",
                column: "WorkId");

            migrationBuilder.CreateIndex(
                name: "IX_curated_bundles_CuratorUserId",
                schema: "market",
                table: "curated_bundles",
                column: "CuratorUserId");

            migrationBuilder.CreateIndex(
                name: "IX_curated_bundles_PublishedAt",
                schema: "market",
                table: "curated_bundles",
                column: "PublishedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "curated_bundle_items",
                schema: "market");

            migrationBuilder.DropTable(
                name: "curated_bundles",
                schema: "market");

            migrationBuilder.DropColumn(
                name: "IntendedScope",
                schema: "market",
                table: "bundles");

            migrationBuilder.DropColumn(
                name: "IntendsCommercialUse",
                schema: "market",
                table: "bundles");

            migrationBuilder.DropColumn(
                name: "SharedWithOrganisation",
                schema: "market",
                table: "bundles");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                schema: "market",
                table: "bundles");
        }
    }
}
