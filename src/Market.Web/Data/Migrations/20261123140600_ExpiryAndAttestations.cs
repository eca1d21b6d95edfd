using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Market.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ExpiryAndAttestations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TakedownReason",
                schema: "market",
                table: "works",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "TakenDownAt",
                schema: "market",
                table: "works",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TakenDownByUserId",
                schema: "market",
                table: "works",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "deletion_attestations",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LicenseId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Basis = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    EndsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Duty = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SignedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    SignerName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SignerTitle = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    DataDeleted = table.Column<bool>(type: "boolean", nullable: false),
                    ModelsDestroyedOrRetrained = table.Column<bool>(type: "boolean", nullable: false),
                    NoModelsTrained = table.Column<bool>(type: "boolean", nullable: false),
                    Statement = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    DoneOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EarlyReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    SignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RemoteAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deletion_attestations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_deletion_attestations_licenses_LicenseId",
                        column: x => x.LicenseId,
                        principalSchema: "market",
                        principalTable: "licenses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_deletion_attestations_organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalSchema: "market",
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "expiry_notices",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LicenseId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Basis = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    EndsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Stage = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Recipients = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_expiry_notices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_expiry_notices_licenses_LicenseId",
                        column: x => x.LicenseId,
                        principalSchema: "market",
                        principalTable: "licenses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "deletion_attestation_items",
                schema: "market",
                columns: table => new
                {
                    AttestationId = table.Column<Guid>(type: "uuid", nullable: false),
                    LicenseItemId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deletion_attestation_items", x => new { x.AttestationId, x.LicenseItemId });
                    table.ForeignKey(
                        name: "FK_deletion_attestation_items_deletion_attestations_Attestatio~",
                        column: x => x.AttestationId,
                        principalSchema: "market",
                        principalTable: "deletion_attestations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_deletion_attestation_items_license_items_LicenseItemId",
                        column: x => x.LicenseItemId,
                        principalSchema: "market",
                        principalTable: "license_items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_works_taken_down_at",
                schema: "market",
                table: "works",
                column: "TakenDownAt",
                filter: "\"TakenDownAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_works_TakenDownByUserId",
                schema: "market",
                table: "works",
                column: "TakenDownByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_license_items_EndsAt",
                schema: "market",
                table: "license_items",
                column: "EndsAt");

            migrationBuilder.CreateIndex(
                name: "IX_deletion_attestation_items_LicenseItemId",
                schema: "market",
                table: "deletion_attestation_items",
                column: "LicenseItemId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deletion_attestations_LicenseId",
                schema: "market",
                table: "deletion_attestations",
                column: "LicenseId");

            migrationBuilder.CreateIndex(
                name: "IX_deletion_attestations_OrganisationId",
                schema: "market",
                table: "deletion_attestations",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_deletion_attestations_SignedAt",
                schema: "market",
                table: "deletion_attestations",
                column: "SignedAt");

            migrationBuilder.CreateIndex(
                name: "IX_expiry_notices_LicenseId_Basis_EndsAt_Stage",
                schema: "market",
                table: "expiry_notices",
                columns: new[] { "LicenseId", "Basis", "EndsAt", "Stage" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_works_AspNetUsers_TakenDownByUserId",
                schema: "market",
                table: "works",
                column: "TakenDownByUserId",
                principalSchema: "market",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_works_AspNetUsers_TakenDownByUserId",
                schema: "market",
                table: "works");

            migrationBuilder.DropTable(
                name: "deletion_attestation_items",
                schema: "market");

            migrationBuilder.DropTable(
                name: "expiry_notices",
                schema: "market");

            migrationBuilder.DropTable(
                name: "deletion_attestations",
                schema: "market");

            migrationBuilder.DropIndex(
                name: "ix_works_taken_down_at",
                schema: "market",
                table: "works");

            migrationBuilder.DropIndex(
                name: "IX_works_TakenDownByUserId",
                schema: "market",
                table: "works");

            migrationBuilder.DropIndex(
                name: "IX_license_items_EndsAt",
                schema: "market",
                table: "license_items");

            migrationBuilder.DropColumn(
                name: "TakedownReason",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "TakenDownAt",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "TakenDownByUserId",
                schema: "market",
                table: "works");
        }
    }
}
