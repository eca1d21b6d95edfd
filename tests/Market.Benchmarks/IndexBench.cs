using System.Diagnostics;
using System.Runtime.InteropServices;
using Market.Domain.Detection;
using Market.Domain.Detection.Index;

/// <summary>
/// The match index (Market.Domain.Detection.Index) on random 256-bit hashes with planted near neighbours.
///   index-query --n N [--queries 10000] [--threshold 31] [--substrings 0[,12,16,...]] (0: chosen by size) [--brute-queries 200] [--seed 1]
///       builds the index (time, managed memory), then times single queries: brute force (parallel scan, and each
///       popcount kernel single-threaded) and multi-index hashing per substring count; p50/p95/p99/max.
///   index-allpairs --n N [--threshold 31] [--gpu] [--gpu-n N] [--no-cpu] [--seed 1]
///       all pairs within the threshold inside the set, on the CPU (AllPairs.Cpu) and with --gpu on the ILGPU
///       matcher (CUDA when present, else its CPU accelerator: the figure then says so), results compared.
/// Random hashes are ~128 bits apart, so without planted neighbours every result would be empty: each query gets
/// neighbours at distances 0, 8, 16, 24, 31 and 32 (the last just outside), and all-pairs sets get one near copy
/// per thousand hashes.
/// </summary>
internal static class IndexBench
{
    public static int Query(string[] args)
    {
        var o = Parse(args);
        var n = Int(o, "--n", 1_000_000);
        var queryCount = Int(o, "--queries", 10_000);
        var threshold = Int(o, "--threshold", PdqHash.MatchThreshold);
        var bruteQueries = Math.Min(queryCount, Int(o, "--brute-queries", 200));
        var substrings = (o.GetValueOrDefault("--substrings") ?? "0").Split(',').Select(int.Parse).ToArray();
        var random = new Random(Int(o, "--seed", 1));
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}; load: {Load()}");

        var hashes = RandomHashes(random, n);
        var queries = RandomHashes(random, queryCount);
        int[] planted = [0, 8, 16, 24, 31, 32];
        // The neighbours overwrite random positions (a few per query), so the catalog stays n entries.
        for (var q = 0; q < queries.Length; q++)
            foreach (var d in planted)
                hashes[random.Next(n)] = Flip(queries[q], d, random);
        var ids = Enumerable.Range(0, n).ToArray();

        foreach (var m in substrings)
        {
            GC.Collect();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var watch = Stopwatch.StartNew();
            var index = new HashIndex(m);
            index.AddRange(hashes, ids);
            var build = watch.Elapsed;
            var held = GC.GetTotalMemory(forceFullCollection: true) - before;
            Console.WriteLine($"build m={index.TableSubstrings}{(m == 0 ? " (chosen by size)" : "")}: {index.Count:N0} entries in {build.TotalSeconds:F2} s; managed memory +{held / 1048576.0:N0} MiB " +
                              $"(index's own estimate {index.ApproximateBytes / 1048576.0:N0} MiB); process RSS {Environment.WorkingSet / 1048576.0:N0} MiB");

            if (m == substrings[0])
            {
                Time($"brute force, parallel scan, t={threshold}", bruteQueries, q => index.Search(queries[q], threshold, SearchPath.BruteForce).Count);
                foreach (var kernel in new[] { PopCountKernel.Scalar, PopCountKernel.Avx2, PopCountKernel.Avx512 }.Where(Hamming.IsSupported))
                {
                    var found = new List<(int, int)>();
                    Time($"scan, one thread, {kernel} kernel", Math.Min(bruteQueries, 50), q =>
                    {
                        found.Clear();
                        Hamming.Scan(hashes, queries[q], threshold, found, 0, kernel);
                        return found.Count;
                    });
                }
            }
            Time($"multi-index m={index.TableSubstrings}, t={threshold}", queryCount, q => index.Search(queries[q], threshold, SearchPath.MultiIndex).Count);
        }
        Console.WriteLine($"load after: {Load()}");
        return 0;
    }

    public static int AllPairsRun(string[] args)
    {
        var o = Parse(args);
        var n = Int(o, "--n", 100_000);
        var threshold = Int(o, "--threshold", PdqHash.MatchThreshold);
        var random = new Random(Int(o, "--seed", 1));
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}; load: {Load()}");
        var hashes = RandomHashes(random, n);
        for (var k = 0; k < n / 1000; k++)
            hashes[random.Next(n)] = Flip(hashes[random.Next(n)], random.Next(threshold + 1), random);
        var pairs = (double)n * (n - 1) / 2;

        IReadOnlyList<PairMatch>? cpu = null;
        if (!o.ContainsKey("--no-cpu"))
        {
            var watch = Stopwatch.StartNew();
            cpu = AllPairs.Cpu(hashes, threshold);
            var s = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"all-pairs CPU, n={n:N0}: {cpu.Count:N0} pairs within {threshold} in {s:F2} s " +
                              $"({pairs / s / 1e9:F2}·10⁹ comparisons/s; 1M would take ~{s * 1e12 / 2 / pairs:F0} s at this rate)");
        }

        if (o.ContainsKey("--gpu"))
        {
            using var matcher = new GpuMatcher();
            var gpuN = Math.Min(n, Int(o, "--gpu-n", n));
            var subset = hashes.AsSpan(0, gpuN).ToArray();
            // A first small call compiles the kernel, so the timing below is the matching alone.
            var compile = Stopwatch.StartNew();
            matcher.AllPairs(subset.AsSpan(0, Math.Min(gpuN, 64)), threshold);
            Console.WriteLine($"accelerator: {matcher.AcceleratorName} (GPU: {matcher.IsGpu}); kernel compile + first call {compile.Elapsed.TotalSeconds:F2} s");
            var watch = Stopwatch.StartNew();
            var gpu = matcher.AllPairs(subset, threshold);
            var s = watch.Elapsed.TotalSeconds;
            var gpuPairs = (double)gpuN * (gpuN - 1) / 2;
            Console.WriteLine($"all-pairs {(matcher.IsGpu ? "GPU" : "ILGPU CPU accelerator")}, n={gpuN:N0}: {gpu.Count:N0} pairs in {s:F2} s " +
                              $"({gpuPairs / s / 1e9:F2}·10⁹ comparisons/s; 1M would take ~{s * 1e12 / 2 / gpuPairs:F0} s at this rate)");
            if (cpu is not null)
            {
                var expected = gpuN == n ? cpu : cpu.Where(p => p.Second < gpuN).ToList();
                Console.WriteLine(expected.SequenceEqual(gpu) ? "GPU result == CPU result" : "MISMATCH between GPU and CPU results");
                if (!expected.SequenceEqual(gpu)) return 1;
            }
        }
        Console.WriteLine($"load after: {Load()}");
        return 0;
    }

    private static void Time(string what, int count, Func<int, int> query)
    {
        for (var q = 0; q < Math.Min(count, 20); q++) query(q); // warm-up (JIT, caches)
        var micros = new double[count];
        long matches = 0;
        for (var q = 0; q < count; q++)
        {
            var start = Stopwatch.GetTimestamp();
            matches += query(q);
            micros[q] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(micros);
        double P(double p) => micros[Math.Min(count - 1, (int)Math.Ceiling(p * count) - 1)];
        Console.WriteLine($"  {what,-42} {count,6:N0} queries: p50 {P(0.50) / 1000,8:F3} ms  p95 {P(0.95) / 1000,8:F3} ms  " +
                          $"p99 {P(0.99) / 1000,8:F3} ms  min {micros[0] / 1000,7:F3} max {micros[^1] / 1000,8:F3} ms  ({(double)matches / count:F1} matches/query)");
    }

    private static PdqHash[] RandomHashes(Random random, int count)
    {
        var hashes = new PdqHash[count];
        random.NextBytes(MemoryMarshal.AsBytes(hashes.AsSpan()));
        return hashes;
    }

    /// <summary><paramref name="hash"/> with exactly <paramref name="distance"/> distinct bits flipped.</summary>
    private static PdqHash Flip(PdqHash hash, int distance, Random random)
    {
        Span<ulong> w = [hash.W0, hash.W1, hash.W2, hash.W3];
        Span<bool> done = stackalloc bool[PdqHash.Bits];
        for (var flipped = 0; flipped < distance;)
        {
            var bit = random.Next(PdqHash.Bits);
            if (done[bit]) continue;
            done[bit] = true;
            w[bit >> 6] ^= 1UL << (bit & 63);
            flipped++;
        }
        return new PdqHash(w[0], w[1], w[2], w[3]);
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static Dictionary<string, string?> Parse(string[] args)
    {
        var values = new Dictionary<string, string?>();
        for (var i = 0; i < args.Length; i++)
            values[args[i]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
        return values;
    }

    private static int Int(Dictionary<string, string?> o, string name, int fallback) =>
        o.TryGetValue(name, out var v) && v is not null ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
