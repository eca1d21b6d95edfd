using FsCheck.Xunit;
using Market.Domain.Detection;
using Market.Domain.Detection.Index;

namespace Market.Domain.Tests.Detection.Index;

public sealed class HashIndexTests(GpuFixture gpu) : IClassFixture<GpuFixture>
{
    private static readonly int[] Thresholds = [0, 1, 15, 16, 31, 32, 33, 40, 47, 48, 128, 256];

    private static HashIndex Build(IEnumerable<(PdqHash Hash, int Id)> entries, int substrings = 0, int deltaLimit = 65_536)
    {
        // minimumIndexedCount 0: the tables exist even for the small catalogs of a test.
        var index = new HashIndex(substrings, minimumIndexedCount: 0, deltaLimit: deltaLimit);
        var list = entries.ToList();
        index.AddRange(list.Select(e => e.Hash).ToArray(), list.Select(e => e.Id).ToArray());
        return index;
    }

    private static List<(int, int)> AsTuples(IEnumerable<IndexMatch> matches) => matches.Select(m => (m.Id, m.Distance)).ToList();

    /// <summary>Brute force, multi-index and the GPU kernel against the definition, for every threshold.</summary>
    private void AllPathsAgree(HashIndex index, List<(PdqHash Hash, int Id)> live, PdqHash[] queries)
    {
        foreach (var threshold in Thresholds)
        {
            var batch = index.SearchBatch(queries, threshold, gpu.Matcher);
            for (var q = 0; q < queries.Length; q++)
            {
                var expected = RandomHashes.Naive(live, queries[q], threshold);
                AsTuples(index.Search(queries[q], threshold, SearchPath.BruteForce)).ShouldBe(expected, $"brute force, threshold {threshold}");
                AsTuples(index.Search(queries[q], threshold, SearchPath.MultiIndex)).ShouldBe(expected, $"multi-index, threshold {threshold}");
                AsTuples(index.Search(queries[q], threshold)).ShouldBe(expected, $"auto, threshold {threshold}");
                AsTuples(batch[q]).ShouldBe(expected, $"GPU ({gpu.Matcher.AcceleratorName}), threshold {threshold}");
            }
        }
    }

    [Fact]
    public void All_paths_find_exactly_the_planted_neighbours_up_to_the_threshold()
    {
        var (entries, queries) = RandomHashes.Catalog(seed: 1, size: 3000, queries: 3);
        var index = Build(entries);
        index.Compact();

        AllPathsAgree(index, entries, queries);
        // The planted neighbours at 0..31 (and the duplicates) are found, those at 32..40 are not.
        var at31 = index.Search(queries[0], PdqHash.MatchThreshold);
        at31.Select(m => m.Distance).Distinct().Count().ShouldBe(32);
        at31.ShouldAllBe(m => m.Distance <= 31);
        index.Search(queries[0], 32).Count.ShouldBeGreaterThan(at31.Count);
    }

    [Fact]
    public void Results_are_sorted_by_distance_then_id_and_duplicate_hashes_each_match()
    {
        var hash = RandomHashes.Next(new Random(5));
        var index = Build([(hash, 9), (hash, 3), (RandomHashes.Flip(hash, 2, new Random(6)), 1), (hash, 7)]);
        foreach (var path in Enum.GetValues<SearchPath>())
            index.Search(hash, 31, path).ShouldBe([new(3, 0), new(7, 0), new(9, 0), new(1, 2)]);
    }

    [Fact]
    public void An_id_added_with_two_hashes_matches_once_at_its_nearest()
    {
        var random = new Random(8);
        var query = RandomHashes.Next(random);
        var index = Build([(RandomHashes.Flip(query, 20, random), 4), (RandomHashes.Flip(query, 5, random), 4)]);
        foreach (var path in Enum.GetValues<SearchPath>())
            index.Search(query, 31, path).ShouldBe([new(4, 5)]);
        index.SearchBatch([query], 31, gpu.Matcher)[0].ShouldBe([new(4, 5)]);
    }

    [Fact]
    public void Removed_entries_are_not_found_in_the_base_or_the_delta_and_may_come_back()
    {
        var (entries, queries) = RandomHashes.Catalog(seed: 2, size: 2000, queries: 2);
        var index = Build(entries.Take(1500));
        index.Compact();
        index.AddRange(entries.Skip(1500).Select(e => e.Hash).ToArray(), entries.Skip(1500).Select(e => e.Id).ToArray());

        // Remove a third of the planted neighbours wherever they landed (base or delta).
        var planted = entries.Where(e => queries.Any(q => q.DistanceTo(e.Hash) <= 40)).ToList();
        var gone = planted.Where((_, i) => i % 3 == 0).Select(e => e.Id).ToHashSet();
        foreach (var id in gone) index.Remove(id).ShouldBe(1);
        var live = entries.Where(e => !gone.Contains(e.Id)).ToList();
        index.Count.ShouldBe(live.Count);
        AllPathsAgree(index, live, queries);

        // Compaction changes nothing visible.
        index.Compact();
        AllPathsAgree(index, live, queries);

        // Put one back under its old id, with its old hash.
        var back = planted.First(e => gone.Contains(e.Id));
        index.Add(back.Hash, back.Id);
        live.Add(back);
        AllPathsAgree(index, live, queries);
    }

    [Fact]
    public void Removing_an_unknown_or_already_removed_id_changes_nothing()
    {
        var index = Build([(RandomHashes.Next(new Random(1)), 1), (RandomHashes.Next(new Random(2)), 2)]);
        index.Remove(42).ShouldBe(0);
        index.Remove(1).ShouldBe(1);
        index.Remove(1).ShouldBe(0);
        index.Count.ShouldBe(1);
    }

    [Fact]
    public void Removing_an_id_removes_all_its_entries()
    {
        var random = new Random(3);
        var query = RandomHashes.Next(random);
        var index = Build([(query, 5), (RandomHashes.Flip(query, 3, random), 5), (RandomHashes.Flip(query, 4, random), 6)]);
        index.Compact();
        index.Add(RandomHashes.Flip(query, 1, random), 5); // a third, in the delta
        index.Remove(5).ShouldBe(3);
        foreach (var path in Enum.GetValues<SearchPath>())
            index.Search(query, 31, path).ShouldBe([new(6, 4)]);
    }

    [Fact]
    public void Frequent_writes_trigger_compactions_without_changing_results()
    {
        var (entries, queries) = RandomHashes.Catalog(seed: 4, size: 1500, queries: 2);
        var index = new HashIndex(minimumIndexedCount: 0, deltaLimit: 100);
        var live = new List<(PdqHash Hash, int Id)>();
        foreach (var (e, i) in entries.Select((e, i) => (e, i)))
        {
            index.Add(e.Hash, e.Id);
            live.Add(e);
            if (i % 5 == 4)
            {
                var victim = live[i * 7 % live.Count];
                index.Remove(victim.Id).ShouldBe(1);
                live.Remove(victim);
            }
        }
        index.Count.ShouldBe(live.Count);
        AllPathsAgree(index, live, queries);
    }

    [Fact]
    public void An_empty_index_finds_nothing_on_any_path()
    {
        var index = new HashIndex();
        var query = RandomHashes.Next(new Random(1));
        foreach (var path in Enum.GetValues<SearchPath>())
            index.Search(query, 256, path).ShouldBeEmpty();
        index.SearchBatch([query], 256, gpu.Matcher)[0].ShouldBeEmpty();
        index.Count.ShouldBe(0);
        index.Entries().Hashes.ShouldBeEmpty();
    }

    [Fact]
    public void Threshold_256_finds_every_entry_and_threshold_0_only_equal_hashes()
    {
        var (entries, queries) = RandomHashes.Catalog(seed: 7, size: 500, queries: 1);
        var index = Build(entries);
        foreach (var path in Enum.GetValues<SearchPath>())
        {
            index.Search(queries[0], 256, path).Count.ShouldBe(entries.Count);
            index.Search(queries[0], 0, path).ShouldAllBe(m => m.Distance == 0);
            index.Search(queries[0], 0, path).Count.ShouldBe(2); // the planted copy at distance 0 and its duplicate
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(257)]
    [InlineData(int.MinValue)]
    public void A_threshold_outside_0_to_256_is_refused(int threshold)
    {
        var index = Build([(RandomHashes.Next(new Random(1)), 1)]);
        Should.Throw<ArgumentOutOfRangeException>(() => index.Search(PdqHash.Zero, threshold));
        Should.Throw<ArgumentOutOfRangeException>(() => index.SearchBatch([PdqHash.Zero], threshold, gpu.Matcher));
    }

    [Fact]
    public void Mismatched_hash_and_id_counts_are_refused_and_add_nothing()
    {
        var index = new HashIndex();
        Should.Throw<ArgumentException>(() => index.AddRange([PdqHash.Zero, PdqHash.Zero], [1]));
        index.Count.ShouldBe(0);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(16)]
    [InlineData(20)]
    [InlineData(32)]
    public void Every_substring_count_gives_the_brute_force_result(int substrings)
    {
        var (entries, queries) = RandomHashes.Catalog(seed: 10 + substrings, size: 1000, queries: 2);
        var index = Build(entries, substrings);
        index.Compact();
        foreach (var threshold in Thresholds)
            foreach (var query in queries)
                index.Search(query, threshold, SearchPath.MultiIndex).ShouldBe(index.Search(query, threshold, SearchPath.BruteForce));
    }

    [Theory]
    [InlineData(65_536, 16)]
    [InlineData(1_000_000, 13)]
    [InlineData(10_000_000, 12)]
    [InlineData(1_000_000_000, 12)]
    [InlineData(3000, 23)]
    public void The_substring_count_follows_log2_of_the_size(int count, int substrings) =>
        HashIndex.SubstringsFor(count).ShouldBe(substrings);

    [Theory]
    [InlineData(11)]
    [InlineData(33)]
    [InlineData(-1)]
    public void A_substring_count_outside_12_to_32_is_refused(int substrings) =>
        Should.Throw<ArgumentOutOfRangeException>(() => new HashIndex(substrings));

    [Property(MaxTest = 30)]
    public void Brute_force_and_multi_index_agree_on_random_catalogs(int seed, byte sizeByte, byte thresholdByte)
    {
        var (entries, queries) = RandomHashes.Catalog(seed, size: sizeByte * 4, queries: 1);
        var index = Build(entries.Take(entries.Count / 2));
        index.Compact();
        index.AddRange(entries.Skip(entries.Count / 2).Select(e => e.Hash).ToArray(), entries.Skip(entries.Count / 2).Select(e => e.Id).ToArray());
        var threshold = thresholdByte % 64;
        var expected = RandomHashes.Naive(entries, queries[0], threshold);
        AsTuples(index.Search(queries[0], threshold, SearchPath.MultiIndex)).ShouldBe(expected);
        AsTuples(index.Search(queries[0], threshold, SearchPath.BruteForce)).ShouldBe(expected);
    }

    [Fact]
    public async Task Readers_running_beside_writers_always_see_correct_distances_for_known_ids()
    {
        var (entries, queries) = RandomHashes.Catalog(seed: 9, size: 2000, queries: 1);
        var byId = entries.ToDictionary(e => e.Id, e => e.Hash);
        var index = new HashIndex(minimumIndexedCount: 0, deltaLimit: 50);
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                foreach (var m in index.Search(queries[0], 40))
                    if (!byId.TryGetValue(m.Id, out var h) || h.DistanceTo(queries[0]) != m.Distance)
                        Interlocked.Increment(ref failures);
        })).ToArray();
        foreach (var e in entries)
        {
            index.Add(e.Hash, e.Id);
            if (e.Id % 3 == 0) index.Remove(e.Id);
        }
        stop.Cancel();
        await Task.WhenAll(readers);
        failures.ShouldBe(0);
        AsTuples(index.Search(queries[0], 40)).ShouldBe(RandomHashes.Naive(entries.Where(e => e.Id % 3 != 0), queries[0], 40));
    }
}
