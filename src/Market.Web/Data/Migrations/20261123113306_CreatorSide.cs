using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Market.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CreatorSide : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AiGenerated",
                schema: "market",
                table: "works",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "CreationYear",
                schema: "market",
                table: "works",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Medium",
                schema: "market",
                table: "works",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Unspecified");

            migrationBuilder.AddColumn<string>(
                name: "Metadata_CopyrightNotice",
                schema: "market",
                table: "works",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Metadata_Creator",
                schema: "market",
                table: "works",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Metadata_Description",
                schema: "market",
                table: "works",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Metadata_DigitalSourceType",
                schema: "market",
                table: "works",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Metadata_Title",
                schema: "market",
                table: "works",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "Tags",
                schema: "market",
                table: "works",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AlterColumn<string>(
                name: "CopyrightHolder",
                schema: "market",
                table: "license_items",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(100)",
                oldMaxLength: 100);

            migrationBuilder.AddColumn<string>(
                name: "RightsHolders",
                schema: "market",
                table: "license_items",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Terms",
                schema: "market",
                table: "consent_records",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "UserAgent",
                schema: "market",
                table: "consent_records",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "email_opt_outs",
                schema: "market",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_email_opt_outs", x => new { x.UserId, x.Kind });
                    table.ForeignKey(
                        name: "FK_email_opt_outs_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalSchema: "market",
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Link = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_notifications_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalSchema: "market",
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "order_line_shares",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderLineId = table.Column<Guid>(type: "uuid", nullable: false),
                    PayeeId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    BasisPoints = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_line_shares", x => x.Id);
                    table.ForeignKey(
                        name: "FK_order_line_shares_order_lines_OrderLineId",
                        column: x => x.OrderLineId,
                        principalSchema: "market",
                        principalTable: "order_lines",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "outbox_emails",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    To = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    ToName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TextBody = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_emails", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rights_holders",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    Role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SplitBasisPoints = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TokenIssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RespondedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RefusalReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rights_holders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_rights_holders_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalSchema: "market",
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_rights_holders_works_WorkId",
                        column: x => x.WorkId,
                        principalSchema: "market",
                        principalTable: "works",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "work_flags",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Detail = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Answer = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    AnsweredBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_work_flags", x => x.Id);
                    table.ForeignKey(
                        name: "FK_work_flags_works_WorkId",
                        column: x => x.WorkId,
                        principalSchema: "market",
                        principalTable: "works",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_UserId_CreatedAt",
                schema: "market",
                table: "notifications",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_order_line_shares_OrderLineId",
                schema: "market",
                table: "order_line_shares",
                column: "OrderLineId");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_emails_SentAt_CreatedAt",
                schema: "market",
                table: "outbox_emails",
                columns: new[] { "SentAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_rights_holders_Email",
                schema: "market",
                table: "rights_holders",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_rights_holders_TokenHash",
                schema: "market",
                table: "rights_holders",
                column: "TokenHash",
                unique: true,
                filter: "\"TokenHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_rights_holders_UserId",
                schema: "market",
                table: "rights_holders",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_rights_holders_WorkId",
                schema: "market",
                table: "rights_holders",
                column: "WorkId");

            migrationBuilder.CreateIndex(
                name: "IX_work_flags_WorkId",
                schema: "market",
                table: "work_flags",
                column: "WorkId");

            // Works uploaded before rights holders existed belong wholly to their creator, confirmed: the split
            // every sale of them has been made on so far.
            migrationBuilder.Sql("""
                INSERT INTO market.rights_holders ("Id", "WorkId", "Name", "Email", "UserId", "Role", "SplitBasisPoints", "Status", "RequestedAt", "RespondedAt")
                SELECT gen_random_uuid(), w."Id", coalesce(nullif(u."DisplayName", ''), 'The creator'), NULL, w."CreatorId", 'Creator', 10000, 'Confirmed', w."CreatedAt", w."CreatedAt"
                FROM market.works w JOIN market."AspNetUsers" u ON u."Id" = w."CreatorId"
                WHERE NOT EXISTS (SELECT 1 FROM market.rights_holders h WHERE h."WorkId" = w."Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "email_opt_outs",
                schema: "market");

            migrationBuilder.DropTable(
                name: "notifications",
                schema: "market");

            migrationBuilder.DropTable(
                name: "order_line_shares",
                schema: "market");

            migrationBuilder.DropTable(
                name: "outbox_emails",
                schema: "market");

            migrationBuilder.DropTable(
                name: "rights_holders",
                schema: "market");

            migrationBuilder.DropTable(
                name: "work_flags",
                schema: "market");

            migrationBuilder.DropColumn(
                name: "AiGenerated",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "CreationYear",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "Medium",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "Metadata_CopyrightNotice",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "Metadata_Creator",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "Metadata_Description",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "Metadata_DigitalSourceType",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "Metadata_Title",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "Tags",
                schema: "market",
                table: "works");

            migrationBuilder.DropColumn(
                name: "RightsHolders",
                schema: "market",
                table: "license_items");

            migrationBuilder.DropColumn(
                name: "Terms",
                schema: "market",
                table: "consent_records");

            migrationBuilder.DropColumn(
                name: "UserAgent",
                schema: "market",
                table: "consent_records");

            migrationBuilder.AlterColumn<string>(
                name: "CopyrightHolder",
                schema: "market",
                table: "license_items",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(1000)",
                oldMaxLength: 1000);
        }
    }
}
