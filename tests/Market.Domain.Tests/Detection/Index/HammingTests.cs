using Market.Domain.Detection;
using Market.Domain.Detection.Index;

namespace Market.Domain.Tests.Detection.Index;

public sealed class HammingTests
{
    public static TheoryData<PopCountKernel> Kernels => new(Enum.GetValues<PopCountKernel>());

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_kernel_matches_the_definition_on_odd_and_even_lengths(PopCountKernel kernel)
    {
        if (!Hamming.IsSupported(kernel)) return; // reported by the next test, not silently passed everywhere
        var random = new Random(11);
        var query = RandomHashes.Next(random);
        foreach (var length in new[] { 0, 1, 2, 3, 257, 1000 })
        {
            var hashes = Enumerable.Range(0, length)
                .Select(i => i % 3 == 0 ? RandomHashes.Flip(query, i % 257, random) : RandomHashes.Next(random)).ToArray();
            foreach (var threshold in new[] { 0, 31, 32, 128, 256 })
            {
                var found = new List<(int, int)>();
                Hamming.Scan(hashes, query, threshold, found, offset: 10, kernel);
                var expected = hashes.Select((h, i) => (i + 10, h.DistanceTo(query))).Where(m => m.Item2 <= threshold).ToList();
                found.ShouldBe(expected, $"{kernel}, {length} hashes, threshold {threshold}");
            }
        }
    }

    [Fact]
    public void The_vector_kernels_run_on_this_machine_when_it_has_the_instructions()
    {
        Hamming.IsSupported(PopCountKernel.Avx2).ShouldBe(System.Runtime.Intrinsics.X86.Avx2.IsSupported);
        Hamming.IsSupported(Hamming.Fastest).ShouldBeTrue();
    }

    [Fact]
    public void An_unsupported_kernel_is_refused_rather_than_faked()
    {
        if (Hamming.IsSupported(PopCountKernel.Avx512)) return;
        Should.Throw<PlatformNotSupportedException>(() => Hamming.Scan([PdqHash.Zero], PdqHash.Zero, 1, [], 0, PopCountKernel.Avx512));
    }

    [Fact]
    public void A_parallel_scan_of_a_large_array_keeps_position_order()
    {
        var random = new Random(12);
        var query = RandomHashes.Next(random);
        var hashes = new PdqHash[Hamming.ParallelScanThreshold + 12345];
        for (var i = 0; i < hashes.Length; i++) hashes[i] = i % 997 == 0 ? RandomHashes.Flip(query, i % 40, random) : RandomHashes.Next(random);
        var found = Hamming.ScanParallel(hashes, query, 31);
        found.ShouldBe(hashes.Select((h, i) => (i, h.DistanceTo(query))).Where(m => m.Item2 <= 31).ToList());
        found.ShouldNotBeEmpty();
    }
}
