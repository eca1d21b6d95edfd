using Market.Billing.Sales;
using System.Diagnostics;
using System.Security.Cryptography;
using Market.Billing.Allocation;
using Market.Billing.Ledger;
using Market.Web.Imaging;
using Market.Web.Seeding;

// Prints throughput figures for the hot paths the walking skeleton has. Run in Release:
//   dotnet run -c Release --project tests/Market.Benchmarks
// Each figure is the median of five timed rounds after a warm-up, from one calling thread (libvips may
// still spread a decode over its own worker threads, so image figures are per machine, not per core).
//
// Other verbs (infra/bench-upload.sh drives them against a running site):
//   upload URL EMAIL PASSWORD FILE... [--parallel N] [--expect accepted|refused]   uploads each file as the page's script does
//   make-large-image PATH MEGAPIXELS [tiff|png|jpeg] [--bits 8|16]   writes a large image without holding it in memory
//   inspect FILE...                                    times the upload check (decode) and metadata read in-process
//   seed-license FILE...                               makes a license of the files for infra/bench-delivery.sh (see DeliveryBench)
//   seed-catalog --works N --db CONNECTION [--creators N] [--seed N] [--store DIR]   a generated catalog for infra/bench-catalog.sh
//   ledger-post / ledger-rebuild --db CONNECTION ...   the ledger's posting rate and projection rebuild (see LedgerBench)
//   index-query --n N ... / index-allpairs --n N [--gpu]   the PDQ match index and all-pairs matching (see IndexBench)
//   pdq-hash [DIR|FILE...] [--threads N] [--variants]  PDQ decode + hash images/s on one core (see PdqBench)
//   detect-recall [--images N] [--misses]              recall of plain PDQ vs the detection pipeline per copy edit (see DetectRecallBench)

switch (args.FirstOrDefault())
{
    case "upload":
        return await UploadBench.RunAsync(args[1..]);
    case "make-large-image":
        return LargeImage.Run(args[1..]);
    case "inspect":
        return InspectBench.Run(args[1..]);
    case "seed-license":
        return await DeliveryBench.SeedLicenseAsync(args[1..]);
    case "seed-catalog":
        return await CatalogSeed.RunAsync(args[1..]);
    case "ledger-post":
        return await LedgerBench.PostAsync(args[1..]);
    case "ledger-rebuild":
        return await LedgerBench.RebuildAsync(args[1..]);
    case "ledger-payout":
        return await LedgerBench.PayoutAsync(args[1..]);
    case "pdq-hash":
        return PdqBench.Run(args[1..]);
    case "ledger-statement":
        return await LedgerBench.StatementAsync(args[1..]);
    case "index-query":
        return IndexBench.Query(args[1..]);
    case "index-allpairs":
        return IndexBench.AllPairsRun(args[1..]);
    case "detect-recall":
        return DetectRecallBench.Run(args[1..]);
    case null:
        break;
    default:
        Console.Error.WriteLine($"Unknown verb '{args[0]}'. Verbs: upload, make-large-image, inspect, seed-license, seed-catalog, ledger-post, ledger-rebuild, ledger-payout, ledger-statement, index-query, index-allpairs, pdq-hash, detect-recall (none: the hot-path figures).");
        return 2;
}

Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");

var lines = Enumerable.Range(0, 1000).Select(i => new SaleLine($"w{i:D4}", 100 + i * 37 % 5000,
    [new RightsShare("a", 5000), new RightsShare("b", 3333), new RightsShare("c", 1667)])).ToList();
Report("allocate a 1,000-item sale (3 holders each)", "sales/s", 200, () => Allocator.Allocate(12_345_678, lines, 2000));

var items = Enumerable.Range(0, 100).Select(i => new SoldItem(Guid.NewGuid(), 100 + i, [new RightsShare($"p{i % 7}", 10_000)])).ToList();
var command = new RecordSale(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "EUR", items.Sum(i => i.ListPriceMinor), "test", "ref", items, new FeePolicy(2000), DateTimeOffset.UtcNow);
Report("decide the ledger transaction of a 100-item sale", "sales/s", 2000, () => SaleDecisions.Post(command));

var dir = Directory.CreateTempSubdirectory("market-bench");
var path = Path.Combine(dir.FullName, "photo.jpg");
File.WriteAllBytes(path, DemoSeeder.GenerateImage(0, 1600, 1000));
var inspector = new ImageInspector();
Report("scan: one decode to a 640 px preview JPEG (the fingerprint: see detect-recall)", "images/s", 50, () => inspector.Preview(path));
Report("SHA-256 of the same JPEG file", "files/s", 200, () => SHA256.HashData(File.ReadAllBytes(path)));
Report("upload check: header + full streaming decode of the JPEG", "images/s", 20, () => inspector.Inspect(path));
dir.Delete(recursive: true);
return 0;

static void Report(string what, string unit, int iterations, Action action)
{
    for (var i = 0; i < Math.Max(1, iterations / 10); i++) action();
    var rounds = new List<double>();
    for (var round = 0; round < 5; round++)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) action();
        rounds.Add(iterations / watch.Elapsed.TotalSeconds);
    }
    rounds.Sort();
    Console.WriteLine($"{what,-60} {rounds[2],12:N1} {unit}");
}
