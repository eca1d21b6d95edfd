using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Market.Billing.Ledger;
using Weasel.Postgresql.Tables;

namespace Market.Billing.Reports;

/// <summary>
/// Debits and credits per account and currency, summed over every posted line: the trial balance, and each
/// payee's pending, available and held balances (payee and bucket are split out of the account name so they
/// can be queried and indexed).
/// </summary>
public sealed class AccountBalancesProjection : IProjection
{
    public const string Name = "account-balances";
    public const string Table = "account_balances";

    public static Weasel.Postgresql.Tables.Table Schema()
    {
        var table = LedgerTables.New(Table);
        table.AddColumn("account", "text").AsPrimaryKey();
        table.AddColumn("currency", "char(3)").AsPrimaryKey();
        table.AddColumn("payee", "text");
        table.AddColumn("bucket", "smallint");
        table.AddColumn("debit", "bigint").NotNull();
        table.AddColumn("credit", "bigint").NotNull();
        table.AddColumn("last_sequence", "bigint").NotNull();
        table.Indexes.Add(LedgerTables.Index("ix_account_balances_payee", "payee", "currency"));
        return table;
    }

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        // One upsert per batch, summed here: the hot accounts (clearing, revenue) are written once per batch,
        // not once per sale.
        var sums = new Dictionary<(string Account, string Currency), (long Debit, long Credit, long Sequence)>();
        foreach (var e in events)
        {
            if (e.Data is not ILedgerTransaction t) continue;
            foreach (var line in t.Lines)
            {
                var key = (line.Account, t.Currency);
                var (d, c, _) = sums.GetValueOrDefault(key);
                sums[key] = (d + line.DebitMinor, c + line.CreditMinor, e.Sequence);
            }
        }
        if (sums.Count == 0) return Task.CompletedTask;

        var accounts = new string[sums.Count]; var currencies = new string[sums.Count]; var payees = new string?[sums.Count];
        var buckets = new short?[sums.Count]; var debits = new long[sums.Count]; var credits = new long[sums.Count]; var sequences = new long[sums.Count];
        var i = 0;
        foreach (var ((account, currency), (debit, credit, sequence)) in sums)
        {
            accounts[i] = account; currencies[i] = currency; debits[i] = debit; credits[i] = credit; sequences[i] = sequence;
            if (Accounts.TryParsePayee(account, out var payee, out var bucket)) { payees[i] = payee; buckets[i] = (short)bucket; }
            i++;
        }
        operations.QueueSqlCommand($"""
            insert into {LedgerTables.Qualified(Table)} (account, currency, payee, bucket, debit, credit, last_sequence)
            select * from unnest(?::text[], ?::char(3)[], ?::text[], ?::smallint[], ?::bigint[], ?::bigint[], ?::bigint[])
            on conflict (account, currency) do update set
                debit = {Table}.debit + excluded.debit,
                credit = {Table}.credit + excluded.credit,
                last_sequence = excluded.last_sequence
            """, accounts, currencies, payees, buckets, debits, credits, sequences);
        return Task.CompletedTask;
    }
}
