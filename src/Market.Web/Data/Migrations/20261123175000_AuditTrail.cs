using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Market.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_entries",
                schema: "market",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Action = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Subject = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkId = table.Column<Guid>(type: "uuid", nullable: true),
                    Detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_At",
                schema: "market",
                table: "audit_entries",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_Subject_SubjectId_At",
                schema: "market",
                table: "audit_entries",
                columns: new[] { "Subject", "SubjectId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_WorkId_At",
                schema: "market",
                table: "audit_entries",
                columns: new[] { "WorkId", "At" });

            // The trail is append-only: a row can be inserted, never changed or deleted, whatever the application
            // does. (TRUNCATE, used by the test reset and by an operator wiping a database, is a table-level act
            // the row trigger does not see.)
            migrationBuilder.Sql("""
                CREATE FUNCTION market.audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit entries are never changed or deleted; add a further entry instead';
                END $$;
                CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON market.audit_entries
                    FOR EACH ROW EXECUTE FUNCTION market.audit_entries_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER audit_entries_append_only ON market.audit_entries; DROP FUNCTION market.audit_entries_append_only();");
            migrationBuilder.DropTable(
                name: "audit_entries",
                schema: "market");
        }
    }
}
