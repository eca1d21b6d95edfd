using System.Diagnostics;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Web.Features.Catalog;
using Market.Web.Imaging;
using Market.Web.Seeding;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// <c>seed-catalog --works N --db CONNECTION [--creators N] [--seed N] [--store DIR]</c>: fills a migrated, empty
/// database with a generated catalog through the site's own tables (creator accounts, works, license offers, rights
/// holders), then builds the search index with the site's own <see cref="CatalogIndex.RebuildAsync"/>, so the
/// benchmark measures the pages as they run in production. Rows go in by binary COPY: a million works take minutes.
/// <para>
/// What it makes: creators with Zipf-distributed output (a few prolific, most not), works listed over three years
/// with titles, descriptions and tags drawn with a skew from word lists (some words in a tenth of the catalog,
/// some in a hundred works), media, years, one to three offers per work with varied uses, terms, prices and
/// currencies. About 5% are not for sale (draft, withdrawn, a co-owner who has not confirmed, every offer retired)
/// and must not appear. <c>--store</c> writes one marked preview that every work shares, so the pages' images load.
/// </para>
/// </summary>
internal static class CatalogSeed
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Span = TimeSpan.FromDays(3 * 365);
    private static readonly Guid PreviewId = Guid.Parse("0b5e4c1a-7d1e-4c6b-9b6a-5a1f00ca7a10");

    private enum Kind : byte { ForSale, Draft, Withdrawn, PendingCoOwner, OffersRetired }

    private readonly record struct Seeded(Guid Id, int Creator, Kind Kind, DateTimeOffset ListedAt, int Medium);

    public static async Task<int> RunAsync(string[] args)
    {
        int works = 1_000_000, creators = 400, seed = 1;
        string? db = null, store = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--works" when i + 1 < args.Length && int.TryParse(args[i + 1], out works) && works > 0: i++; break;
                case "--creators" when i + 1 < args.Length && int.TryParse(args[i + 1], out creators) && creators > 0: i++; break;
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], out seed): i++; break;
                case "--db" when i + 1 < args.Length: db = args[++i]; break;
                case "--store" when i + 1 < args.Length: store = args[++i]; break;
                default: return Usage($"unknown or incomplete option '{args[i]}'");
            }
        }
        if (db is null) return Usage("--db is required");

        await using var dataSource = NpgsqlDataSource.Create(db);
        await using (var check = dataSource.CreateCommand("select count(*) from market.works"))
            if ((long)(await check.ExecuteScalarAsync())! != 0)
                return Usage("the database already has works; seed a freshly migrated database");

        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        var creatorIds = await InsertCreatorsAsync(dataSource, creators, seed);
        var seeded = await InsertWorksAsync(dataSource, creatorIds, works, seed);
        Console.WriteLine($"works: {works:N0} in {watch.Elapsed.TotalSeconds:N1} s");
        watch.Restart();
        var offers = await InsertOffersAsync(dataSource, seeded, creatorIds.Length, seed);
        Console.WriteLine($"license offers: {offers:N0} in {watch.Elapsed.TotalSeconds:N1} s");
        watch.Restart();
        var holders = await InsertHoldersAsync(dataSource, seeded, creatorIds, seed);
        Console.WriteLine($"rights holders: {holders:N0} in {watch.Elapsed.TotalSeconds:N1} s");

        watch.Restart();
        await CatalogIndex.RebuildAsync(dataSource, CancellationToken.None);
        Console.WriteLine($"search index rebuilt in {watch.Elapsed.TotalSeconds:N1} s");
        watch.Restart();
        // VACUUM runs alone, outside any transaction: one command per table.
        foreach (var table in new[] { "works", "license_offers", "rights_holders", "catalog_entries", "catalog_facet_counts" })
        {
            await using var vacuum = dataSource.CreateCommand($"vacuum analyze market.{table}");
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"vacuum analyze in {watch.Elapsed.TotalSeconds:N1} s");

        await using (var count = dataSource.CreateCommand("select count(*) from market.catalog_entries"))
            Console.WriteLine($"catalog: {(long)(await count.ExecuteScalarAsync())!:N0} works for sale of {works:N0}, {creators} creators");
        if (store is not null) WritePreview(store);
        Console.WriteLine($"RESULT works={works} seconds={total.Elapsed.TotalSeconds:F1}");
        return 0;
    }

    private static async Task<string[]> InsertCreatorsAsync(NpgsqlDataSource dataSource, int count, int seed)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        var roleId = (string)(await new NpgsqlCommand("""select "Id" from market."AspNetRoles" where "Name" = 'Creator'""", connection).ExecuteScalarAsync()
            ?? throw new InvalidOperationException("no Creator role: run the site's migrate verb first"));
        await using (var users = await connection.BeginBinaryImportAsync(
            """copy market."AspNetUsers" ("Id", "DisplayName", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount") from stdin (format binary)"""))
        {
            for (var i = 0; i < count; i++)
            {
                var name = $"{Pick(random, CatalogWords.FirstNames)} {Pick(random, CatalogWords.LastNames)}";
                var email = $"creator{i + 1}@bench.test";
                await users.StartRowAsync();
                await users.WriteAsync(ids[i], NpgsqlDbType.Text);
                await users.WriteAsync(name, NpgsqlDbType.Varchar);
                await users.WriteAsync(email, NpgsqlDbType.Varchar);
                await users.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await users.WriteAsync(email, NpgsqlDbType.Varchar);
                await users.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await users.WriteAsync(true, NpgsqlDbType.Boolean);
                await users.WriteAsync(Guid.NewGuid().ToString("N"), NpgsqlDbType.Text);
                await users.WriteAsync(Guid.NewGuid().ToString(), NpgsqlDbType.Text);
                await users.WriteAsync(false, NpgsqlDbType.Boolean);
                await users.WriteAsync(false, NpgsqlDbType.Boolean);
                await users.WriteAsync(true, NpgsqlDbType.Boolean);
                await users.WriteAsync(0, NpgsqlDbType.Integer);
            }
            await users.CompleteAsync();
        }
        await using (var roles = await connection.BeginBinaryImportAsync("""copy market."AspNetUserRoles" ("UserId", "RoleId") from stdin (format binary)"""))
        {
            foreach (var id in ids)
            {
                await roles.StartRowAsync();
                await roles.WriteAsync(id, NpgsqlDbType.Text);
                await roles.WriteAsync(roleId, NpgsqlDbType.Text);
            }
            await roles.CompleteAsync();
        }
        return ids;
    }

    private static async Task<Seeded[]> InsertWorksAsync(NpgsqlDataSource dataSource, string[] creatorIds, int count, int seed)
    {
        var random = new Random(seed + 1);
        var creatorPick = new Zipf(creatorIds.Length, 0.8);
        var seeded = new Seeded[count];
        var previewKey = $"previews/{PreviewId:N}";
        var hash = new byte[32];
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            """copy market.works ("Id", "CreatorId", "Title", "Description", "OriginalKey", "OriginalFileName", "ContentType", "ByteSize", "Width", "Height", "State", "Sha256", "PerceptualHash", "PreviewKey", "ConsentTextVersion", "ConsentGrantedAt", "CreatedAt", "ListedAt", "WithdrawnAt", "AiGenerated", "CreationYear", "Medium", "Tags") from stdin (format binary)""");
        for (var i = 0; i < count; i++)
        {
            // Listed in order over three years, as a real table fills up.
            var listedAt = Now - Span + TimeSpan.FromTicks((long)(Span.Ticks * ((i + random.NextDouble()) / count)));
            listedAt = new DateTimeOffset(listedAt.UtcTicks / 10 * 10, TimeSpan.Zero);
            var createdAt = listedAt - TimeSpan.FromMinutes(random.Next(5, 60 * 24 * 30));
            var id = Guid.CreateVersion7(listedAt);
            var roll = random.NextDouble();
            var kind = roll switch { < 0.01 => Kind.Draft, < 0.025 => Kind.Withdrawn, < 0.04 => Kind.PendingCoOwner, < 0.05 => Kind.OffersRetired, _ => Kind.ForSale };
            var medium = Medium(random);
            seeded[i] = new Seeded(id, creatorPick.Next(random), kind, listedAt, medium);
            random.NextBytes(hash);

            await writer.StartRowAsync();
            await writer.WriteAsync(id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(creatorIds[seeded[i].Creator], NpgsqlDbType.Varchar);
            await writer.WriteAsync(Title(random), NpgsqlDbType.Varchar);
            await writer.WriteAsync(Description(random), NpgsqlDbType.Varchar);
            await writer.WriteAsync($"originals/{id:N}", NpgsqlDbType.Varchar);
            await writer.WriteAsync($"IMG_{i:D7}.jpg", NpgsqlDbType.Varchar);
            await writer.WriteAsync("image/jpeg", NpgsqlDbType.Varchar);
            await writer.WriteAsync((long)random.Next(200_000, 12_000_000), NpgsqlDbType.Bigint);
            await writer.WriteAsync(random.Next(1200, 6000), NpgsqlDbType.Integer);
            await writer.WriteAsync(random.Next(900, 4000), NpgsqlDbType.Integer);
            await writer.WriteAsync(kind switch { Kind.Draft => "Draft", Kind.Withdrawn => "Withdrawn", _ => "Listed" }, NpgsqlDbType.Varchar);
            if (kind == Kind.Draft)
            {
                await writer.WriteNullAsync();
                await writer.WriteNullAsync();
                await writer.WriteNullAsync();
            }
            else
            {
                await writer.WriteAsync(Convert.ToHexStringLower(hash), NpgsqlDbType.Varchar);
                await writer.WriteAsync(Convert.ToHexStringLower(hash.AsSpan(0, 8)), NpgsqlDbType.Varchar);
                await writer.WriteAsync(previewKey, NpgsqlDbType.Varchar);
            }
            await writer.WriteAsync(ConsentText.CurrentVersion, NpgsqlDbType.Varchar);
            if (kind == Kind.Withdrawn) await writer.WriteNullAsync();
            else await writer.WriteAsync(createdAt.AddMinutes(1), NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
            if (kind == Kind.Draft) await writer.WriteNullAsync();
            else await writer.WriteAsync(listedAt, NpgsqlDbType.TimestampTz);
            if (kind == Kind.Withdrawn) await writer.WriteAsync(listedAt.AddDays(random.Next(1, 60)), NpgsqlDbType.TimestampTz);
            else await writer.WriteNullAsync();
            await writer.WriteAsync(false, NpgsqlDbType.Boolean);
            if (random.NextDouble() < 0.15) await writer.WriteNullAsync();
            else await writer.WriteAsync(random.NextDouble() < 0.7 ? random.Next(2000, 2027) : random.Next(1850, 2000), NpgsqlDbType.Integer);
            await writer.WriteAsync(((WorkMedium)medium).ToString(), NpgsqlDbType.Varchar);
            await writer.WriteAsync(Tags(random), NpgsqlDbType.Array | NpgsqlDbType.Text);
        }
        await writer.CompleteAsync();
        return seeded;
    }

    private static async Task<long> InsertOffersAsync(NpgsqlDataSource dataSource, Seeded[] works, int creatorCount, int seed)
    {
        string[] currencies = ["EUR", "EUR", "EUR", "EUR", "EUR", "USD", "USD", "GBP", "CHF", "JPY"];
        var creatorCurrency = Enumerable.Range(0, creatorCount).Select(c => currencies[new Random(seed * 31 + c).Next(currencies.Length)]).ToArray();
        int[] months = [6, 12, 12, 12, 24, 36, 36, 60, 120];
        var random = new Random(seed + 2);
        long count = 0;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            """copy market.license_offers ("Id", "WorkId", "PriceMinor", "Currency", "Active", "CreatedAt", "Terms_AttestWithinDays", "Terms_AttributionRequired", "Terms_Commercial", "Terms_DutyAtExpiry", "Terms_NameMayNotBeUsedAsPrompt", "Terms_Scope", "Terms_TermMonths") from stdin (format binary)""");
        foreach (var work in works)
        {
            var n = random.NextDouble() switch { < 0.5 => 1, < 0.85 => 2, _ => 3 };
            var currency = creatorCurrency[work.Creator];
            var second = random.NextDouble() < 0.1 ? (currency == "EUR" ? "USD" : "EUR") : null;
            for (var o = 0; o < n + (second is null ? 0 : 1); o++)
            {
                var scope = random.NextDouble() switch { < 0.45 => LicenseScope.GenerativeTraining, < 0.75 => LicenseScope.FineTuningOrStyle, _ => LicenseScope.NonGenerativeAnalysis };
                var commercial = random.NextDouble() < 0.6;
                var inCurrency = o < n ? currency : second!;
                // Log-uniform between 5 and 2,000 major units, more for commercial use; whole units, as people price.
                var major = Math.Round(Math.Exp(Math.Log(5) + random.NextDouble() * Math.Log(400)) * (commercial ? 1.8 : 1));
                var minor = inCurrency == "JPY" ? (long)(major * 150 / 100) * 100 : (long)major * 100;
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.CreateVersion7(work.ListedAt), NpgsqlDbType.Uuid);
                await writer.WriteAsync(work.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(Math.Max(minor, 100), NpgsqlDbType.Bigint);
                await writer.WriteAsync(inCurrency, NpgsqlDbType.Char);
                await writer.WriteAsync(work.Kind != Kind.OffersRetired, NpgsqlDbType.Boolean);
                await writer.WriteAsync(work.ListedAt.AddMinutes(-5), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(30, NpgsqlDbType.Integer);
                await writer.WriteAsync(random.NextDouble() < 0.3, NpgsqlDbType.Boolean);
                await writer.WriteAsync(commercial, NpgsqlDbType.Boolean);
                await writer.WriteAsync(random.NextDouble() < 0.7 ? "DeleteData" : "DestroyOrRetrainModels", NpgsqlDbType.Varchar);
                await writer.WriteAsync(random.NextDouble() < 0.8, NpgsqlDbType.Boolean);
                await writer.WriteAsync(scope.ToString(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(months[random.Next(months.Length)], NpgsqlDbType.Integer);
                count++;
            }
        }
        await writer.CompleteAsync();
        return count;
    }

    private static async Task<long> InsertHoldersAsync(NpgsqlDataSource dataSource, Seeded[] works, string[] creatorIds, int seed)
    {
        var random = new Random(seed + 3);
        long count = 0;
        await using var connection = await dataSource.OpenConnectionAsync();
        var names = new Dictionary<string, string>();
        await using (var reader = await new NpgsqlCommand("""select "Id", "DisplayName" from market."AspNetUsers" """, connection).ExecuteReaderAsync())
            while (await reader.ReadAsync()) names[reader.GetString(0)] = reader.GetString(1);
        await using var writer = await connection.BeginBinaryImportAsync(
            """copy market.rights_holders ("Id", "WorkId", "Name", "Email", "UserId", "Role", "SplitBasisPoints", "Status", "RequestedAt", "RespondedAt") from stdin (format binary)""");
        foreach (var work in works)
        {
            var coOwner = work.Kind == Kind.PendingCoOwner || random.NextDouble() < 0.05;
            var creatorId = creatorIds[work.Creator];
            await Holder(Guid.CreateVersion7(work.ListedAt), work.Id, names[creatorId], null, creatorId, "Creator", coOwner ? 7000 : 10_000, "Confirmed");
            if (coOwner)
                await Holder(Guid.CreateVersion7(work.ListedAt), work.Id, "Co-owner", $"coowner{random.Next(1000)}@bench.test", null, "CoOwner", 3000,
                    work.Kind == Kind.PendingCoOwner ? "Pending" : "Confirmed");
        }
        await writer.CompleteAsync();
        return count;

        async Task Holder(Guid id, Guid workId, string name, string? email, string? userId, string role, int split, string status)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(workId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(name, NpgsqlDbType.Varchar);
            if (email is null) await writer.WriteNullAsync(); else await writer.WriteAsync(email, NpgsqlDbType.Varchar);
            if (userId is null) await writer.WriteNullAsync(); else await writer.WriteAsync(userId, NpgsqlDbType.Varchar);
            await writer.WriteAsync(role, NpgsqlDbType.Varchar);
            await writer.WriteAsync(split, NpgsqlDbType.Integer);
            await writer.WriteAsync(status, NpgsqlDbType.Varchar);
            await writer.WriteAsync(Now - Span, NpgsqlDbType.TimestampTz);
            if (status == "Pending") await writer.WriteNullAsync(); else await writer.WriteAsync(Now - Span, NpgsqlDbType.TimestampTz);
            count++;
        }
    }

    private static void WritePreview(string store)
    {
        var dir = Path.Combine(store, "previews");
        Directory.CreateDirectory(dir);
        var source = Path.Combine(dir, "source.jpg");
        File.WriteAllBytes(source, DemoSeeder.GenerateImage(0, 1200, 800));
        File.WriteAllBytes(Path.Combine(dir, PreviewId.ToString("N")), new ImageInspector().Preview(source));
        File.Delete(source);
    }

    private static int Medium(Random random) => random.NextDouble() switch
    {
        < 0.35 => (int)WorkMedium.Photograph,
        < 0.55 => (int)WorkMedium.Illustration,
        < 0.70 => (int)WorkMedium.Painting,
        < 0.80 => (int)WorkMedium.Drawing,
        < 0.92 => (int)WorkMedium.DigitalArt,
        < 0.97 => (int)WorkMedium.Mixed,
        _ => (int)WorkMedium.Unspecified,
    };

    private static readonly Zipf AdjectivePick = new(CatalogWords.Adjectives.Length, 1.0);
    private static readonly Zipf SubjectPick = new(CatalogWords.Subjects.Length, 1.0);
    private static readonly Zipf TagPick = new(CatalogWords.Tags.Length, 1.05);

    private static string Adjective(Random r) => CatalogWords.Adjectives[AdjectivePick.Next(r)];
    private static string Subject(Random r) => CatalogWords.Subjects[SubjectPick.Next(r)];

    private static string Title(Random r)
    {
        var title = r.Next(8) switch
        {
            0 => $"{Adjective(r)} {Subject(r)}",
            1 => $"{Subject(r)} at {Pick(r, CatalogWords.Times)}",
            2 => $"{Adjective(r)} {Subject(r)} in {Pick(r, CatalogWords.Places)}",
            3 => Study(r),
            4 => $"{Pick(r, CatalogWords.Colours)} {Subject(r)}",
            5 => $"{Subject(r)} and {Subject(r)}",
            6 => $"{Subject(r)}, {Pick(r, CatalogWords.Times)}",
            _ => $"the {Adjective(r)} {Subject(r)}",
        };
        return char.ToUpperInvariant(title[0]) + title[1..];
    }

    private static string Study(Random r)
    {
        var adjective = Adjective(r);
        return $"{Pick(r, CatalogWords.Techniques)} of {A(adjective)} {adjective} {Subject(r)}";
    }

    private static string A(string next, bool capital = false) =>
        "aeiou".Contains(next[0]) ? (capital ? "An" : "an") : (capital ? "A" : "a");

    private static string Description(Random r)
    {
        var technique = Pick(r, CatalogWords.Techniques);
        var adjective = Adjective(r);
        var first = $"{A(technique, capital: true)} {technique} of {A(adjective)} {adjective} {Subject(r)} {Pick(r, CatalogWords.Details)}.";
        var second = r.Next(3) switch
        {
            0 => $"Made near {Pick(r, CatalogWords.Places)} at {Pick(r, CatalogWords.Times)}, with {Pick(r, CatalogWords.Colours)} and {Pick(r, CatalogWords.Colours)} tones.",
            1 => $"The {Subject(r)} stands beside a {Adjective(r)} {Subject(r)}, {Pick(r, CatalogWords.Details)}.",
            _ => $"Part of a series about the {Subject(r)} and the {Subject(r)} of {Pick(r, CatalogWords.Places)}.",
        };
        var third = r.NextDouble() < 0.01 ? $" Look for the {Pick(r, CatalogWords.Rare)} in the corner." : "";
        return first + " " + second + third;
    }

    private static string[] Tags(Random r)
    {
        var count = r.Next(2, 8);
        var tags = new HashSet<string>();
        for (var i = 0; i < count * 2 && tags.Count < count; i++) tags.Add(CatalogWords.Tags[TagPick.Next(r)]);
        return [.. tags];
    }

    private static string Pick(Random r, string[] words) => words[r.Next(words.Length)];

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"seed-catalog: {problem}");
        Console.Error.WriteLine("usage: seed-catalog --works N --db CONNECTION-STRING [--creators N] [--seed N] [--store STORAGE-ROOT]");
        return 2;
    }

    /// <summary>Draws 0..n-1 with probability proportional to 1/(i+1)^s: a few very common picks and a long tail.</summary>
    private sealed class Zipf
    {
        private readonly double[] _cumulative;

        public Zipf(int n, double s)
        {
            _cumulative = new double[n];
            var sum = 0.0;
            for (var i = 0; i < n; i++) _cumulative[i] = sum += 1 / Math.Pow(i + 1, s);
            for (var i = 0; i < n; i++) _cumulative[i] /= sum;
        }

        public int Next(Random random)
        {
            var index = Array.BinarySearch(_cumulative, random.NextDouble());
            return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
        }
    }
}
