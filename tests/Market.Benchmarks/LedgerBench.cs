using System.Diagnostics;
using JasperFx;
using Marten;
using Market.Billing.Allocation;
using Market.Billing.Ledger;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Npgsql;

/// <summary>
/// The ledger's figures on a real PostgreSQL, with exactly the site's Marten configuration (ConfigureLedger):
///   ledger-post --db CS [--sales N] [--items 20] [--holders 2] [--payees 50000] [--writers 2] [--batch 50] [--reset] [--seed N]
///       allocates and posts N sales (one SalePosted each, its own stream) from W concurrent writers, B sales per
///       transaction, and prints sales/s. --batch 1 is the webhook path: one sale per transaction.
///   ledger-rebuild --db CS
///       rebuilds every ledger projection from the events and prints the time per projection.
/// </summary>
public static class LedgerBench
{
    public static async Task<int> PostAsync(string[] args)
    {
        var o = Options.Parse(args);
        await using var store = Store(o.Db);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        if (o.Has("--reset"))
        {
            await store.Advanced.ResetAllData();
            await using var db = NpgsqlDataSource.Create(o.Db);
            foreach (var table in LedgerStore.ReadModelTables)
                await db.CreateCommand($"truncate {LedgerTables.Qualified(table)}").ExecuteNonQueryAsync();
        }
        var sales = o.Int("--sales", 20_000);
        var items = o.Int("--items", 20);
        var holders = o.Int("--holders", 2);
        var payees = o.Int("--payees", 50_000);
        var writers = o.Int("--writers", 2);
        var batch = o.Int("--batch", 50);
        var seed = o.Int("--seed", 1);
        var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        Console.WriteLine($"posting {sales:N0} sales of {items} items x {holders} holders ({payees:N0} payees), {writers} writers, {batch} per transaction");

        if (o.Has("--dry"))
        {
            // Allocation and event building alone, then with JSON serialisation, on one thread: where the CPU goes.
            var r = new Random(seed);
            var sw = Stopwatch.StartNew();
            for (var n = 0; n < sales; n++) SaleDecisions.Post(Sale(r, n, items, holders, payees, start));
            Console.WriteLine($"allocate + build: {sales / sw.Elapsed.TotalSeconds:N0} sales/s on one thread");
            var serializer = store.Options.Serializer();
            sw.Restart();
            long bytes = 0;
            for (var n = 0; n < sales; n++) bytes += serializer.ToJson(SaleDecisions.Post(Sale(r, n, items, holders, payees, start))).Length;
            Console.WriteLine($"+ serialise: {sales / sw.Elapsed.TotalSeconds:N0} sales/s on one thread, {bytes / sales:N0} characters of JSON per sale");
            return 0;
        }

        var next = -1;
        var allocateTicks = 0L;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed * 1000 + w);
            while (true)
            {
                var first = Interlocked.Add(ref next, batch) - batch + 1;
                if (first >= sales) return;
                var count = Math.Min(batch, sales - first);
                await using var session = store.LightweightSession();
                var allocate = Stopwatch.GetTimestamp();
                for (var i = 0; i < count; i++)
                {
                    var n = first + i;
                    var posted = SaleDecisions.Post(Sale(random, n, items, holders, payees, start.AddSeconds(n * 30)));
                    session.Events.StartStream<SaleLedger>(posted.SaleId, posted);
                }
                Interlocked.Add(ref allocateTicks, Stopwatch.GetTimestamp() - allocate);
                await session.SaveChangesAsync();
            }
        }))).ConfigureAwait(false);
        total.Stop();
        Console.WriteLine($"{sales / total.Elapsed.TotalSeconds:N0} sales/s ({sales * items * holders / total.Elapsed.TotalSeconds:N0} royalty lines/s) in {total.Elapsed.TotalSeconds:N1} s; allocation and event building took {TimeSpan.FromTicks(allocateTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalSeconds:N1} s of CPU across writers");
        return 0;
    }

    public static async Task<int> RebuildAsync(string[] args)
    {
        var o = Options.Parse(args);
        await using var store = Store(o.Db);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(o.Db);
        var events = (long)(await db.CreateCommand($"select count(*) from {LedgerStore.Schema}.mt_events").ExecuteScalarAsync())!;
        Console.WriteLine($"rebuilding {events:N0} events");
        using var daemon = await store.BuildProjectionDaemonAsync();
        var all = Stopwatch.StartNew();
        foreach (var name in LedgerStore.ProjectionNames.Where(n => !o.Values.TryGetValue("--only", out var only) || only == n))
        {
            var one = Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync(name, TimeSpan.FromHours(3), CancellationToken.None);
            Console.WriteLine($"  {name}: {one.Elapsed.TotalSeconds:N1} s ({events / one.Elapsed.TotalSeconds:N0} events/s)");
        }
        Console.WriteLine($"all projections: {all.Elapsed.TotalSeconds:N1} s");
        foreach (var table in LedgerStore.ReadModelTables)
            Console.WriteLine($"  {table}: {(long)(await db.CreateCommand($"select count(*) from {LedgerTables.Qualified(table)}").ExecuteScalarAsync())!:N0} rows");
        return 0;
    }

    /// <summary>
    /// ledger-statement --db CS [--samples 500]: what the statement page asks the ledger (the payee's currencies,
    /// the period's roll-forward, the first page of lines) for random payees, timed per page view; prints p50/p95/p99.
    /// </summary>
    public static async Task<int> StatementAsync(string[] args)
    {
        var o = Options.Parse(args);
        await using var db = NpgsqlDataSource.Create(o.Db);
        var samples = o.Int("--samples", 500);
        var lines = (long)(await db.CreateCommand($"select count(*) from {LedgerTables.Qualified(StatementLinesProjection.LinesTable)}").ExecuteScalarAsync())!;
        var payees = new List<(string Payee, DateOnly Month)>();
        await using (var reader = await db.CreateCommand($"select payee, month from {LedgerTables.Qualified(StatementLinesProjection.MonthsTable)} where kind = 1 order by random() limit {samples}").ExecuteReaderAsync())
            while (await reader.ReadAsync()) payees.Add((reader.GetString(0), reader.GetFieldValue<DateOnly>(1)));
        Console.WriteLine($"{lines:N0} statement lines; {payees.Count} page views of random payees' months");
        var times = new List<double>();
        foreach (var (payee, month) in payees.Concat(payees.Take(20)))
        {
            var sw = Stopwatch.StartNew();
            var currencies = await StatementQueries.CurrenciesAsync(db, payee, CancellationToken.None);
            var period = StatementPeriod.Month(month.Year, month.Month);
            await StatementQueries.LoadAsync(db, payee, currencies[0], period, CancellationToken.None);
            await StatementQueries.LinesAsync(db, payee, currencies[0], period, null, CancellationToken.None);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        var measured = times.Skip(20).Order().ToList(); // the first 20 warm the pool and the JIT
        double P(double q) => measured[(int)Math.Min(measured.Count - 1, Math.Ceiling(q * measured.Count) - 1)];
        Console.WriteLine($"statement queries per page view: p50 {P(0.50):N1} ms, p95 {P(0.95):N1} ms, p99 {P(0.99):N1} ms, max {measured[^1]:N1} ms");
        return 0;
    }

    /// <summary>
    /// ledger-payout --db CS [--mature]: on a ledger from ledger-post, optionally matures every sale through the
    /// real decision (then run ledger-rebuild so the balances include it), gives every payee a connected test
    /// account and tax information, then times what preparing and approving a batch do: read every payee's
    /// balance, load their accounts and tax profiles, decide, append; read exact balances, decide, append.
    /// </summary>
    public static async Task<int> PayoutAsync(string[] args)
    {
        var o = Options.Parse(args);
        await using var store = Store(o.Db);
        await using var db = NpgsqlDataSource.Create(o.Db);
        var now = DateTimeOffset.Parse("2027-01-01T00:00:00Z");
        if (o.Has("--mature"))
        {
            var ids = new List<Guid>();
            await using (var reader = await db.CreateCommand($"select sale_id from {LedgerTables.Qualified(SalesIndexProjection.Table)} where matured_at is null").ExecuteReaderAsync())
                while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
            var sw = Stopwatch.StartNew();
            foreach (var chunk in ids.Chunk(500))
            {
                await using var maturing = store.LightweightSession();
                foreach (var id in chunk)
                {
                    var stream = await maturing.Events.FetchForWriting<SaleLedger>(id);
                    if (SaleDecisions.Mature(stream.Aggregate!, now) is { } e) stream.AppendOne(e);
                }
                await maturing.SaveChangesAsync();
            }
            Console.WriteLine($"matured {ids.Count:N0} sales in {sw.Elapsed.TotalSeconds:N1} s; now run ledger-rebuild");
            return 0;
        }

        var payees = (await PayeeBalances.AllAsync(db, CancellationToken.None)).Where(b => b.Currency == "EUR").Select(b => b.PayeeId).ToList();
        await using (var seed = store.LightweightSession())
        {
            var existing = await seed.Query<Market.Billing.Payouts.PayoutAccount>().CountAsync();
            if (existing == 0)
            {
                await store.BulkInsertAsync(payees.Select(p => new Market.Billing.Payouts.PayoutAccount { Id = p, Provider = "test", AccountId = $"test_acct_{p}", PayoutsEnabled = true, CreatedAt = now }).ToList());
                await store.BulkInsertAsync(payees.Select(p => new Market.Billing.Payouts.TaxProfile { Id = p, LegalName = p, Country = "DE", TaxIdLast4 = "1234", Form = Market.Billing.Payouts.TaxForm.W8Ben, CertifiedAt = now }).ToList());
            }
        }

        var total = Stopwatch.StartNew();
        await using var session = store.LightweightSession();
        var balances = (await PayeeBalances.AllAsync(db, CancellationToken.None)).Where(b => b.Currency == "EUR" && b.AvailableMinor > 0).ToList();
        var read = total.Elapsed;
        var ids2 = balances.Select(b => b.PayeeId).ToArray();
        var accounts = (await session.LoadManyAsync<Market.Billing.Payouts.PayoutAccount>(ids2)).ToDictionary(a => a.Id);
        var taxes = (await session.LoadManyAsync<Market.Billing.Payouts.TaxProfile>(ids2)).ToDictionary(t => t.Id);
        var candidates = balances.Select(b => new Market.Billing.Payouts.PayoutCandidate(b.PayeeId, b.AvailableMinor,
            accounts.GetValueOrDefault(b.PayeeId) is { PayoutsEnabled: true } a ? new Market.Billing.Payouts.PayoutDestination(a.Provider, a.AccountId) : null,
            taxes.ContainsKey(b.PayeeId))).ToList();
        var prepared = Market.Billing.Payouts.PayoutDecisions.Prepare(Guid.CreateVersion7(now), "EUR", "bench-1", 1000, candidates, now);
        session.Events.StartStream(prepared.Event.BatchId, prepared.Event);
        await session.SaveChangesAsync();
        var prepare = total.Elapsed;
        Console.WriteLine($"prepare: {prepared.Event.Items.Count:N0} payees in the batch of {balances.Count:N0} with an available balance: {prepare.TotalSeconds:N1} s (balances read in {read.TotalSeconds:N1} s)");

        var approve = Stopwatch.StartNew();
        await using var approval = store.LightweightSession();
        var events = await approval.Events.FetchStreamAsync(prepared.Event.BatchId);
        var batch = Market.Billing.Payouts.PayoutBatch.From(events.Select(e => e.Data));
        var exact = (await PayeeBalances.ExactAsync(approval, batch.Items.Select(i => i.PayeeId).ToList(), "EUR", CancellationToken.None)).ToDictionary(b => b.PayeeId, b => b.AvailableMinor);
        var approved = Market.Billing.Payouts.PayoutDecisions.Approve(batch, "bench-2", exact, now);
        approval.Events.Append(batch.Id, approved);
        await approval.SaveChangesAsync();
        Console.WriteLine($"approve: {approved.Lines.Count:N0} journal lines in {approve.Elapsed.TotalSeconds:N1} s");
        return 0;
    }

    private static DocumentStore Store(string connectionString) => DocumentStore.For(o =>
    {
        o.Connection(connectionString);
        o.ConfigureLedger();
        o.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
    });

    /// <summary>A sale of distinct works, each with its own holders (split 60/40 for two), prices 1.00–50.00.</summary>
    private static RecordSale Sale(Random random, int n, int items, int holders, int payees, DateTimeOffset at)
    {
        var sold = new List<SoldItem>(items);
        for (var i = 0; i < items; i++)
        {
            var shares = new List<RightsShare>(holders);
            var left = Allocator.FullShare;
            var chosen = new HashSet<int>();
            for (var h = 0; h < holders; h++)
            {
                int payee;
                do payee = random.Next(payees); while (!chosen.Add(payee));
                var bp = h == holders - 1 ? left : Math.Max(1, left * 6 / 10);
                left -= bp;
                shares.Add(new RightsShare($"p{payee}", bp));
            }
            sold.Add(new SoldItem(Guid.CreateVersion7(at), random.Next(100, 5_000), shares));
        }
        var gross = sold.Sum(s => s.ListPriceMinor);
        return new RecordSale(Guid.CreateVersion7(at), Guid.NewGuid(), Guid.NewGuid(), "EUR", gross, "test", $"bench_{n}", sold, new FeePolicy(2000), at);
    }

    private sealed record Options(string Db, Dictionary<string, string?> Values)
    {
        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string?>();
            for (var i = 0; i < args.Length; i++)
                values[args[i]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            return new Options(values.GetValueOrDefault("--db") ?? throw new ArgumentException("--db CONNECTION is required"), values);
        }

        public int Int(string name, int fallback) => Values.TryGetValue(name, out var v) && v is not null ? int.Parse(v) : fallback;
        public bool Has(string name) => Values.ContainsKey(name);
    }
}
