using System.Diagnostics;
using Market.Domain.Detection;
using Market.Web.Imaging;
using Market.Web.Seeding;
using NetVips;

/// <summary>
/// <c>pdq-hash [DIR|FILE...] [--threads N] [--variants]</c>: the PDQ hash's throughput on one thread (libvips'
/// own worker pool set to N, default 1, so the figure is per core). The first file (default: the reference's
/// 1600×1004 bridge JPEG, found from the working directory, else a generated 1600×1000 JPEG) is hashed over and
/// over: the production path <see cref="PdqImage.Hash(string)"/>, its decode half and its hash half apart, the
/// same file re-encoded at 768 px, and the reference-like path. Then every file given, once each, as a batch.
/// <c>--variants</c> also prints, for working sizes and resize kernels, the speed and the distance to the C++
/// reference's hashes (tests/data/pdq-reference), which is how the production setting was chosen.
/// </summary>
internal static class PdqBench
{
    public static int Run(string[] args)
    {
        var threads = 1;
        var variants = false;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--threads" && i + 1 < args.Length && int.TryParse(args[i + 1], out threads) && threads > 0) i++;
            else if (args[i] == "--variants") variants = true;
            else if (args[i] == "--min-decoded" && i + 1 < args.Length && int.TryParse(args[i + 1], out var minimum) && minimum > 0)
            {
                PdqImage.MinimumDecodedSide = minimum;
                i++;
            }
            else if (Directory.Exists(args[i])) files.AddRange(Directory.EnumerateFiles(args[i], "*", SearchOption.AllDirectories).Order());
            else if (File.Exists(args[i])) files.Add(args[i]);
            else
            {
                Console.Error.WriteLine($"pdq-hash: '{args[i]}' is no file, folder or option. usage: pdq-hash [DIR|FILE...] [--threads N] [--variants]");
                return 2;
            }
        }
        NetVips.NetVips.Concurrency = threads;
        Cache.Max = 0;
        var referenceRoot = FindReferenceRoot();
        var scratch = Directory.CreateTempSubdirectory("market-pdq-bench");
        try
        {
            var bridge = files.FirstOrDefault() ?? (referenceRoot is null ? null : Path.Combine(referenceRoot, "data", "reg-test-input", "dih", "bridge-1-original.jpg"));
            if (bridge is null)
            {
                bridge = Path.Combine(scratch.FullName, "generated.jpg");
                File.WriteAllBytes(bridge, DemoSeeder.GenerateImage(0, 1600, 1000));
            }
            using (var header = Image.NewFromFile(bridge))
                Console.WriteLine($"libvips concurrency {threads}, .NET {Environment.Version}; first file {Path.GetFileName(bridge)} {header.Width}x{header.Height}");
            var medium = Path.Combine(scratch.FullName, "768.jpg");
            using (var thumb = Image.Thumbnail(bridge, 768, height: 768))
                thumb.Jpegsave(medium, q: 90);

            var input = PdqImage.FastLuma(bridge);
            Report("fast path: decode (shrink-on-load) + PDQ hash", 200, () => PdqImage.Hash(bridge));
            Report("  decode half: shrink-on-load, luma, resize to 128x128", 200, () => PdqImage.FastLuma(bridge));
            Report("  hash half: Pdq.Hash of the 128x128 luma", 2000, () => Pdq.Hash(input.Luma, input.Width, input.Height, input.WindowAlongRows, input.WindowAlongCols));
            Report("  hash half, 8 dihedral hashes", 2000, () => Pdq.HashDihedral(input.Luma, input.Width, input.Height, input.WindowAlongRows, input.WindowAlongCols));
            Report("fast path, same picture as a 768-px JPEG", 200, () => PdqImage.Hash(medium));
            Report("reference-like path: full decode, 512x512 nearest, hash", 20, () => PdqImage.HashLikeReference(bridge));
            var reference = new float[512 * 512];
            for (var i = 0; i < reference.Length; i++) reference[i] = (i * 7919 % 251) + (i / 512);
            Report("  Pdq.Hash of a 512x512 luma (the reference's size)", 200, () => Pdq.Hash(reference, 512, 512));
            Console.WriteLine("(the C++ reference, decoding through an ImageMagick process per file, is documented at about 7 images/s)");

            if (files.Count > 1)
            {
                var watch = Stopwatch.StartNew();
                var failed = 0;
                foreach (var file in files)
                    try { PdqImage.Hash(file); }
                    catch (VipsException) { failed++; }
                Console.WriteLine($"{files.Count} files once each: {files.Count / watch.Elapsed.TotalSeconds,10:N1} images/s ({failed} unreadable)");
            }

            if (variants && referenceRoot is not null) Variants(referenceRoot);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
        return 0;
    }

    /// <summary>Working size × kernel: images/s on the bridge JPEG, and max/mean distance to the reference on quality ≥ 80 images.</summary>
    private static void Variants(string root)
    {
        var expected = File.ReadLines(Path.Combine(root, "expected", "cpp-reference-pdq.csv")).Skip(1)
            .Select(l => l.Split(',')).Where(c => int.Parse(c[2]) >= 80)
            .Select(c => (Path: Path.Combine(root, c[0]), Hash: PdqHash.Parse(c[1]))).ToList();
        var bridge = Path.Combine(root, "data", "reg-test-input", "dih", "bridge-1-original.jpg");
        Console.WriteLine($"{"side",5} {"kernel",-9} {"images/s",10} {"max bits",9} {"mean bits",10}   (distance to the C++ reference, {expected.Count} images of quality >= 80)");
        foreach (var side in new[] { 128, 256, 512 })
            foreach (var kernel in new[] { Enums.Kernel.Nearest, Enums.Kernel.Linear, Enums.Kernel.Cubic, Enums.Kernel.Lanczos3 })
            {
                var distances = expected.Select(e => PdqImage.Hash(e.Path, side, kernel).Hash.DistanceTo(e.Hash)).ToList();
                var rate = Measure(100, () => PdqImage.Hash(bridge, side, kernel));
                Console.WriteLine($"{side,5} {kernel,-9} {rate,10:N1} {distances.Max(),9} {distances.Average(),10:N1}");
            }
    }

    private static string? FindReferenceRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "data", "pdq-reference");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static void Report(string what, int iterations, Action action)
    {
        var (wall, cpu) = MeasureBoth(iterations, action);
        Console.WriteLine($"{what,-62} {wall,10:N1} images/s {cpu,10:N1} per CPU-second");
    }

    private static double Measure(int iterations, Action action) => MeasureBoth(iterations, action).Wall;

    /// <summary>
    /// The median of five timed rounds after a warm-up, as the other figures in this program: by the wall clock, and
    /// per second of this process's CPU time, which is the per-core figure even on a machine busy with other work.
    /// </summary>
    private static (double Wall, double Cpu) MeasureBoth(int iterations, Action action)
    {
        for (var i = 0; i < Math.Max(1, iterations / 10); i++) action();
        var walls = new List<double>();
        var cpus = new List<double>();
        var process = Process.GetCurrentProcess();
        for (var round = 0; round < 5; round++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) action();
            walls.Add(iterations / watch.Elapsed.TotalSeconds);
            process.Refresh();
            cpus.Add(iterations / (process.TotalProcessorTime - cpuBefore).TotalSeconds);
        }
        walls.Sort();
        cpus.Sort();
        return (walls[2], cpus[2]);
    }
}
