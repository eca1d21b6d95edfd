using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Market.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class OrganisationsAndRecall : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RecallReason",
                schema: "market",
                table: "license_items",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RecalledAt",
                schema: "market",
                table: "license_items",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OrganisationRole",
                schema: "market",
                table: "AspNetUsers",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            // Until now an organisation had exactly one member, the person who created it: they become its admin.
            migrationBuilder.Sql("""UPDATE market."AspNetUsers" SET "OrganisationRole" = 'Admin' WHERE "OrganisationId" IS NOT NULL;""");

            migrationBuilder.CreateTable(
                name: "organisation_invitations",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    Role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TokenHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    InvitedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcceptedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_organisation_invitations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_organisation_invitations_organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalSchema: "market",
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_organisation_invitations_OrganisationId_Email",
                schema: "market",
                table: "organisation_invitations",
                columns: new[] { "OrganisationId", "Email" });

            migrationBuilder.CreateIndex(
                name: "IX_organisation_invitations_TokenHash",
                schema: "market",
                table: "organisation_invitations",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "organisation_invitations",
                schema: "market");

            migrationBuilder.DropColumn(
                name: "RecallReason",
                schema: "market",
                table: "license_items");

            migrationBuilder.DropColumn(
                name: "RecalledAt",
                schema: "market",
                table: "license_items");

            migrationBuilder.DropColumn(
                name: "OrganisationRole",
                schema: "market",
                table: "AspNetUsers");
        }
    }
}
