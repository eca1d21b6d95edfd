using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Market.Billing.Reports;

/// <summary>
/// Plain tables the ledger's projections write, in the ledger's schema. Marten creates them with its own
/// schema objects and empties them before a rebuild; nothing but the projections writes to them.
/// </summary>
public static class LedgerTables
{
    public static string Qualified(string table) => $"{Ledger.LedgerStore.Schema}.{table}";

    internal static Table New(string name) => new(new PostgresqlObjectName(Ledger.LedgerStore.Schema, name, SchemaUtils.IdentifierUsage.General));

    internal static IndexDefinition Index(string name, params string[] columns) => new(name) { Columns = columns };
}
