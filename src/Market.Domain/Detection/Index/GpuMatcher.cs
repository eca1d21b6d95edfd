using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Market.Domain.Detection.Index;

/// <summary>
/// Batch matching with ILGPU: many queries against a catalog, or all pairs inside one set. Runs on CUDA when a GPU
/// is present and on ILGPU's CPU accelerator otherwise (tests, and machines without a GPU), with the same kernel,
/// so the CPU accelerator's results vouch for the kernel's logic. Not thread-safe: one batch at a time per instance
/// (the scan job owns one).
/// </summary>
public sealed class GpuMatcher : IDisposable
{
    /// <summary>Queries compared in one kernel launch: with a 1M catalog, 4·10⁹ comparisons per launch.</summary>
    private const int QueriesPerLaunch = 4096;

    private readonly Context context;
    private readonly Accelerator accelerator;
    private readonly Action<Index1D, ArrayView<ulong>, ArrayView<ulong>, LaunchArgs, ArrayView<int>, ArrayView<int>> kernel;

    public GpuMatcher(bool allowCuda = true)
    {
        // Default() registers every backend ILGPU finds (CUDA, OpenCL, CPU); only CUDA and the CPU one are used.
        context = Context.Create(builder => builder.Default());
        var device = (allowCuda ? context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.Cuda) : null)
                     ?? context.Devices.First(d => d.AcceleratorType == AcceleratorType.CPU);
        accelerator = device.CreateAccelerator(context);
        kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<ulong>, ArrayView<ulong>, LaunchArgs, ArrayView<int>, ArrayView<int>>(Kernel);
    }

    /// <summary>True on a CUDA GPU; false on the CPU accelerator.</summary>
    public bool IsGpu => accelerator is CudaAccelerator;

    /// <summary>The accelerator in use, for logs and benchmark output.</summary>
    public string AcceleratorName => $"{accelerator.AcceleratorType}: {accelerator.Name}";

    /// <summary>(query position, catalog position, distance) for every pair within the threshold, sorted.</summary>
    public IReadOnlyList<PairMatch> Search(ReadOnlySpan<PdqHash> queries, ReadOnlySpan<PdqHash> catalog, int threshold)
    {
        ValidateThreshold(threshold);
        if (queries.IsEmpty || catalog.IsEmpty) return [];
        using var catalogBuffer = Upload(catalog);
        using var queryBuffer = Upload(queries);
        return Run(queryBuffer.View, queries.Length, catalogBuffer.View, catalog.Length, threshold, triangle: false);
    }

    /// <summary>Pairs (i, j), i &lt; j, within the threshold inside one set, sorted: the same as <see cref="AllPairs.Cpu"/>.</summary>
    public IReadOnlyList<PairMatch> AllPairs(ReadOnlySpan<PdqHash> hashes, int threshold)
    {
        ValidateThreshold(threshold);
        if (hashes.Length < 2) return [];
        using var buffer = Upload(hashes);
        return Run(buffer.View, hashes.Length, buffer.View, hashes.Length, threshold, triangle: true);
    }

    private MemoryBuffer1D<ulong, Stride1D.Dense> Upload(ReadOnlySpan<PdqHash> hashes)
    {
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<PdqHash, ulong>(hashes);
        var buffer = accelerator.Allocate1D<ulong>(words.Length);
        buffer.View.BaseView.CopyFromCPU(words);
        return buffer;
    }

    private List<PairMatch> Run(ArrayView<ulong> queries, int queryCount, ArrayView<ulong> catalog, int catalogCount,
        int threshold, bool triangle)
    {
        var result = new List<PairMatch>();
        var capacity = 1 << 16;
        var output = accelerator.Allocate1D<int>(3L * capacity);
        using var counter = accelerator.Allocate1D<int>(1);
        try
        {
            for (var start = 0; start < queryCount; start += QueriesPerLaunch)
            {
                var count = Math.Min(QueriesPerLaunch, queryCount - start);
                // In the triangle, catalog entries at or before the first query of the batch pair with none of it.
                var catalogStart = triangle ? start + 1 : 0;
                if (catalogStart >= catalogCount) break;
                while (true)
                {
                    counter.MemSetToZero();
                    var args = new LaunchArgs(start, count, catalogStart, threshold, triangle ? 1 : 0, capacity);
                    kernel(catalogCount - catalogStart, catalog, queries, args, counter.View, output.View);
                    var found = counter.GetAsArray1D()[0];
                    if (found <= capacity)
                    {
                        if (found > 0)
                        {
                            var pairs = output.View.SubView(0, 3L * found).GetAsArray1D();
                            for (var k = 0; k < found; k++) result.Add(new PairMatch(pairs[3 * k], pairs[3 * k + 1], pairs[3 * k + 2]));
                        }
                        break;
                    }
                    // The buffer overflowed (the kernel counted every pair but stored only what fitted): grow to
                    // the exact count and run this batch again.
                    output.Dispose();
                    capacity = found;
                    output = accelerator.Allocate1D<int>(3L * capacity);
                }
            }
        }
        finally
        {
            output.Dispose();
        }
        result.Sort();
        return result;
    }

    internal readonly record struct LaunchArgs(int QueryStart, int QueryCount, int CatalogStart, int Threshold, int Triangle, int Capacity);

    /// <summary>
    /// One thread per catalog entry: it keeps its 256 bits in registers and walks the batch of queries, which every
    /// thread of a warp reads at the same address (a broadcast). Matches are appended with an atomic counter; a
    /// slot past the capacity is counted but not written, so the host can size the buffer and retry.
    /// </summary>
    private static void Kernel(Index1D index, ArrayView<ulong> catalog, ArrayView<ulong> queries, LaunchArgs args,
        ArrayView<int> counter, ArrayView<int> output)
    {
        var j = index.X + args.CatalogStart;
        var c0 = catalog[4 * j];
        var c1 = catalog[4 * j + 1];
        var c2 = catalog[4 * j + 2];
        var c3 = catalog[4 * j + 3];
        var end = args.QueryStart + args.QueryCount;
        if (args.Triangle != 0 && end > j) end = j;
        for (var i = args.QueryStart; i < end; i++)
        {
            var d = IntrinsicMath.BitOperations.PopCount(queries[4 * i] ^ c0)
                    + IntrinsicMath.BitOperations.PopCount(queries[4 * i + 1] ^ c1)
                    + IntrinsicMath.BitOperations.PopCount(queries[4 * i + 2] ^ c2)
                    + IntrinsicMath.BitOperations.PopCount(queries[4 * i + 3] ^ c3);
            if (d <= args.Threshold)
            {
                var slot = Atomic.Add(ref counter[0], 1);
                if (slot < args.Capacity)
                {
                    output[3 * slot] = i;
                    output[3 * slot + 1] = j;
                    output[3 * slot + 2] = d;
                }
            }
        }
    }

    private static void ValidateThreshold(int threshold)
    {
        if (threshold is < 0 or > PdqHash.Bits)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"A threshold is 0 to {PdqHash.Bits} bits.");
    }

    public void Dispose()
    {
        accelerator.Dispose();
        context.Dispose();
    }
}
