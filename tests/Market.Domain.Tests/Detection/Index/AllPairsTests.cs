using Market.Domain.Detection;
using Market.Domain.Detection.Index;

namespace Market.Domain.Tests.Detection.Index;

public sealed class AllPairsTests(GpuFixture gpu) : IClassFixture<GpuFixture>
{
    private static List<PairMatch> Naive(PdqHash[] hashes, int threshold)
    {
        var pairs = new List<PairMatch>();
        for (var i = 0; i < hashes.Length; i++)
            for (var j = i + 1; j < hashes.Length; j++)
            {
                var d = hashes[i].DistanceTo(hashes[j]);
                if (d <= threshold) pairs.Add(new PairMatch(i, j, d));
            }
        return pairs;
    }

    /// <summary>Random hashes with clusters of near copies (0..40 bits apart) and exact duplicates.</summary>
    private static PdqHash[] Clustered(int seed, int count)
    {
        var random = new Random(seed);
        var hashes = new List<PdqHash>();
        while (hashes.Count < count)
        {
            var root = RandomHashes.Next(random);
            hashes.Add(root);
            for (var k = random.Next(4); k > 0; k--) hashes.Add(RandomHashes.Flip(root, random.Next(41), random));
            if (random.Next(5) == 0) hashes.Add(root);
        }
        return hashes.Take(count).OrderBy(_ => random.Next()).ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(40)]
    public void Cpu_and_gpu_all_pairs_equal_the_naive_double_loop(int threshold)
    {
        var hashes = Clustered(seed: threshold, count: 300);
        var expected = Naive(hashes, threshold);
        expected.ShouldNotBeEmpty();
        AllPairs.Cpu(hashes, threshold).ShouldBe(expected);
        gpu.Matcher.AllPairs(hashes, threshold).ShouldBe(expected, gpu.Matcher.AcceleratorName);
    }

    [Fact]
    public void Every_pair_at_threshold_256_overflows_the_gpu_buffer_and_is_still_complete()
    {
        // 400 hashes: 79,800 pairs, more than the matcher's first output buffer holds, so it must grow and retry.
        var hashes = Clustered(seed: 3, count: 400);
        var expected = Naive(hashes, 256);
        expected.Count.ShouldBe(400 * 399 / 2);
        gpu.Matcher.AllPairs(hashes, 256).ShouldBe(expected);
        AllPairs.Cpu(hashes, 256).ShouldBe(expected);
    }

    [Fact]
    public void Gpu_search_of_queries_against_a_catalog_equals_the_definition()
    {
        var catalog = Clustered(seed: 4, count: 500);
        var random = new Random(4);
        var queries = Enumerable.Range(0, 20).Select(i => RandomHashes.Flip(catalog[i * 7], i * 2, random)).ToArray();
        var expected = new List<PairMatch>();
        for (var q = 0; q < queries.Length; q++)
            for (var c = 0; c < catalog.Length; c++)
                if (queries[q].DistanceTo(catalog[c]) <= 31) expected.Add(new PairMatch(q, c, queries[q].DistanceTo(catalog[c])));
        expected.ShouldNotBeEmpty();
        gpu.Matcher.Search(queries, catalog, 31).ShouldBe(expected);
    }

    [Fact]
    public void Fewer_than_two_hashes_have_no_pairs_and_a_bad_threshold_is_refused()
    {
        AllPairs.Cpu([], 31).ShouldBeEmpty();
        AllPairs.Cpu([PdqHash.Zero], 31).ShouldBeEmpty();
        gpu.Matcher.AllPairs([PdqHash.Zero], 31).ShouldBeEmpty();
        gpu.Matcher.Search([], [PdqHash.Zero], 31).ShouldBeEmpty();
        Should.Throw<ArgumentOutOfRangeException>(() => AllPairs.Cpu([PdqHash.Zero, PdqHash.Zero], -1));
        Should.Throw<ArgumentOutOfRangeException>(() => gpu.Matcher.AllPairs([PdqHash.Zero, PdqHash.Zero], 257));
    }

    [Fact]
    public void The_matcher_says_which_accelerator_it_uses()
    {
        gpu.Matcher.AcceleratorName.ShouldNotBeNullOrWhiteSpace();
        using var cpuOnly = new GpuMatcher(allowCuda: false);
        cpuOnly.IsGpu.ShouldBeFalse();
        cpuOnly.AcceleratorName.ShouldStartWith("CPU");
    }
}
