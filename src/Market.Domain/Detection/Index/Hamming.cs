using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Market.Domain.Detection.Index;

/// <summary>How a linear scan counts differing bits.</summary>
public enum PopCountKernel
{
    /// <summary>The fastest one this processor supports (see <see cref="Hamming.Fastest"/>).</summary>
    Auto,

    /// <summary>Four 64-bit POPCNTs per hash (<see cref="BitOperations.PopCount(ulong)"/>).</summary>
    Scalar,

    /// <summary>One 256-bit vector per hash; popcount by the nibble lookup with a byte shuffle (AVX2).</summary>
    Avx2,

    /// <summary>
    /// Two hashes per 512-bit vector, nibble lookup with AVX-512BW. (The processor here has VPOPCNTQ, but .NET 10
    /// exposes no intrinsic for it, so the byte-shuffle lookup is the vector popcount available.)
    /// </summary>
    Avx512,
}

/// <summary>
/// Linear scans of a contiguous <see cref="PdqHash"/> array: every position within a threshold of one query. The
/// three kernels give identical results (tested); which is fastest depends on the processor, so the default is
/// measured, not assumed (tests/Market.Benchmarks, index-query prints all three).
/// </summary>
public static class Hamming
{
    /// <summary>Scans above this many hashes are split over the thread pool.</summary>
    public const int ParallelScanThreshold = 1 << 17;

    private const int ChunkSize = 1 << 16;

    public static bool IsSupported(PopCountKernel kernel) => kernel switch
    {
        PopCountKernel.Auto or PopCountKernel.Scalar => true,
        PopCountKernel.Avx2 => Avx2.IsSupported,
        PopCountKernel.Avx512 => Avx512BW.IsSupported,
        _ => false,
    };

    /// <summary>The kernel <see cref="PopCountKernel.Auto"/> means here. Chosen from index-query's figures.</summary>
    public static PopCountKernel Fastest { get; } = PopCountKernel.Scalar;

    /// <summary>
    /// Appends (position + <paramref name="offset"/>, distance) for each hash within <paramref name="threshold"/> of
    /// <paramref name="query"/>, in position order, single-threaded.
    /// </summary>
    public static void Scan(ReadOnlySpan<PdqHash> hashes, PdqHash query, int threshold, List<(int Position, int Distance)> into,
        int offset = 0, PopCountKernel kernel = PopCountKernel.Auto)
    {
        if (threshold < 0) return;
        if (kernel == PopCountKernel.Auto) kernel = Fastest;
        if (!IsSupported(kernel)) throw new PlatformNotSupportedException($"The {kernel} popcount kernel needs instructions this processor lacks.");
        switch (kernel)
        {
            case PopCountKernel.Avx512: ScanAvx512(hashes, query, threshold, into, offset); break;
            case PopCountKernel.Avx2: ScanAvx2(hashes, query, threshold, into, offset); break;
            default: ScanScalar(hashes, query, threshold, into, offset); break;
        }
    }

    /// <summary>
    /// The same as <see cref="Scan"/>, chunked over the thread pool for large arrays; results still in position order.
    /// </summary>
    public static List<(int Position, int Distance)> ScanParallel(ReadOnlyMemory<PdqHash> hashes, PdqHash query, int threshold,
        PopCountKernel kernel = PopCountKernel.Auto)
    {
        var result = new List<(int, int)>();
        if (hashes.Length < ParallelScanThreshold || Environment.ProcessorCount == 1)
        {
            Scan(hashes.Span, query, threshold, result, 0, kernel);
            return result;
        }
        var chunks = (hashes.Length + ChunkSize - 1) / ChunkSize;
        var parts = new List<(int, int)>?[chunks];
        Parallel.For(0, chunks, c =>
        {
            var from = c * ChunkSize;
            var local = new List<(int, int)>();
            Scan(hashes.Span.Slice(from, Math.Min(ChunkSize, hashes.Length - from)), query, threshold, local, from, kernel);
            if (local.Count > 0) parts[c] = local;
        });
        foreach (var part in parts)
            if (part is not null) result.AddRange(part);
        return result;
    }

    private static void ScanScalar(ReadOnlySpan<PdqHash> hashes, PdqHash q, int threshold, List<(int, int)> into, int offset)
    {
        for (var i = 0; i < hashes.Length; i++)
        {
            ref readonly var h = ref hashes[i];
            var d = BitOperations.PopCount(h.W0 ^ q.W0) + BitOperations.PopCount(h.W1 ^ q.W1)
                    + BitOperations.PopCount(h.W2 ^ q.W2) + BitOperations.PopCount(h.W3 ^ q.W3);
            if (d <= threshold) into.Add((i + offset, d));
        }
    }

    private static void ScanAvx2(ReadOnlySpan<PdqHash> hashes, PdqHash q, int threshold, List<(int, int)> into, int offset)
    {
        var words = MemoryMarshal.Cast<PdqHash, ulong>(hashes);
        var query = Vector256.Create(q.W0, q.W1, q.W2, q.W3).AsByte();
        // Popcount of each nibble 0..15, looked up per byte with VPSHUFB (which works within each 128-bit lane).
        var lookup = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        var low = Vector256.Create((byte)0x0F);
        ref var first = ref MemoryMarshal.GetReference(words);
        for (var i = 0; i < hashes.Length; i++)
        {
            var x = Vector256.LoadUnsafe(ref first, (nuint)(i * 4)).AsByte() ^ query;
            var counts = Avx2.Add(Avx2.Shuffle(lookup, x & low), Avx2.Shuffle(lookup, Avx2.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & low));
            // Sum of absolute differences against zero adds each 8 bytes into one 64-bit lane.
            var sums = Avx2.SumAbsoluteDifferences(counts, Vector256<byte>.Zero).AsUInt64();
            var d = (int)(sums.GetElement(0) + sums.GetElement(1) + sums.GetElement(2) + sums.GetElement(3));
            if (d <= threshold) into.Add((i + offset, d));
        }
    }

    private static void ScanAvx512(ReadOnlySpan<PdqHash> hashes, PdqHash q, int threshold, List<(int, int)> into, int offset)
    {
        var words = MemoryMarshal.Cast<PdqHash, ulong>(hashes);
        var query = Vector512.Create(q.W0, q.W1, q.W2, q.W3, q.W0, q.W1, q.W2, q.W3);
        var lookup = Vector512.Create(Vector128.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4));
        var low = Vector512.Create((byte)0x0F);
        ref var first = ref MemoryMarshal.GetReference(words);
        var pairs = hashes.Length / 2;
        for (var p = 0; p < pairs; p++)
        {
            var x = (Vector512.LoadUnsafe(ref first, (nuint)(p * 8)) ^ query).AsByte();
            var bytes = Avx512BW.Add(Avx512BW.Shuffle(lookup, x & low), Avx512BW.Shuffle(lookup, Avx512BW.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & low));
            var counts = Avx512BW.SumAbsoluteDifferences(bytes, Vector512<byte>.Zero).AsUInt64();
            // Lanes (a0 a1 a2 a3 | b0 b1 b2 b3): add the neighbour qword, then the neighbouring 128-bit block, which
            // leaves the sum for the first hash in lane 0 and for the second in lane 4.
            var t = counts + Avx512F.Shuffle(counts.AsUInt32(), 0b01_00_11_10).AsUInt64();
            var u = t + Avx512F.Shuffle4x128(t, t, 0b10_11_00_01);
            var d0 = (int)u.GetElement(0);
            var d1 = (int)u.GetElement(4);
            if (d0 <= threshold) into.Add((2 * p + offset, d0));
            if (d1 <= threshold) into.Add((2 * p + 1 + offset, d1));
        }
        if ((hashes.Length & 1) != 0)
        {
            var last = hashes.Length - 1;
            var d = hashes[last].DistanceTo(q);
            if (d <= threshold) into.Add((last + offset, d));
        }
    }

    /// <summary>The distance of two hashes; the same as <see cref="PdqHash.DistanceTo"/>, inlined for the hot loops.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Distance(in PdqHash a, in PdqHash b) =>
        BitOperations.PopCount(a.W0 ^ b.W0) + BitOperations.PopCount(a.W1 ^ b.W1)
        + BitOperations.PopCount(a.W2 ^ b.W2) + BitOperations.PopCount(a.W3 ^ b.W3);
}
