using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Market.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Claims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "claims",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClaimantId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    UploaderId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Statement = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    EvidenceText = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    EvidenceUrls = table.Column<List<string>>(type: "text[]", nullable: false),
                    EvidenceFile_StorageKey = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    EvidenceFile_FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: true),
                    EvidenceFile_ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    EvidenceFile_ByteSize = table.Column<long>(type: "bigint", nullable: true),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    HoldId = table.Column<Guid>(type: "uuid", nullable: false),
                    FiledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CounterStatement = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CounterStatementAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecidedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    DecisionReason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_claims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_claims_AspNetUsers_ClaimantId",
                        column: x => x.ClaimantId,
                        principalSchema: "market",
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_claims_works_WorkId",
                        column: x => x.WorkId,
                        principalSchema: "market",
                        principalTable: "works",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sanctions",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ClaimId = table.Column<Guid>(type: "uuid", nullable: false),
                    Strike = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    UploadsBlockedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Explanation = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sanctions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_sanctions_claims_ClaimId",
                        column: x => x.ClaimId,
                        principalSchema: "market",
                        principalTable: "claims",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_claims_ClaimantId_FiledAt",
                schema: "market",
                table: "claims",
                columns: new[] { "ClaimantId", "FiledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_claims_State_FiledAt",
                schema: "market",
                table: "claims",
                columns: new[] { "State", "FiledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_claims_UploaderId_FiledAt",
                schema: "market",
                table: "claims",
                columns: new[] { "UploaderId", "FiledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_claims_WorkId_State",
                schema: "market",
                table: "claims",
                columns: new[] { "WorkId", "State" });

            migrationBuilder.CreateIndex(
                name: "ux_claims_open_per_claimant",
                schema: "market",
                table: "claims",
                columns: new[] { "WorkId", "ClaimantId" },
                unique: true,
                filter: "\"State\" = 'Open'");

            migrationBuilder.CreateIndex(
                name: "IX_sanctions_ClaimId",
                schema: "market",
                table: "sanctions",
                column: "ClaimId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sanctions_UserId_At",
                schema: "market",
                table: "sanctions",
                columns: new[] { "UserId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sanctions",
                schema: "market");

            migrationBuilder.DropTable(
                name: "claims",
                schema: "market");
        }
    }
}
