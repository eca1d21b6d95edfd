namespace Market.Domain.Detection.Index;

/// <summary>An entry of the index within the threshold of a query: the caller's id and the Hamming distance.</summary>
public readonly record struct IndexMatch(int Id, int Distance) : IComparable<IndexMatch>
{
    /// <summary>Nearest first; ties by id, so every path returns the same list.</summary>
    public int CompareTo(IndexMatch other) =>
        Distance != other.Distance ? Distance.CompareTo(other.Distance) : Id.CompareTo(other.Id);
}

/// <summary>Two positions of one hash array (First &lt; Second) within the threshold, or query and catalog positions.</summary>
public readonly record struct PairMatch(int First, int Second, int Distance) : IComparable<PairMatch>
{
    public int CompareTo(PairMatch other) =>
        First != other.First ? First.CompareTo(other.First) : Second.CompareTo(other.Second);
}

/// <summary>Which algorithm a single-query search uses; all give identical results.</summary>
public enum SearchPath
{
    /// <summary>Multi-index hashing when the index has tables and the threshold suits them, else a scan.</summary>
    Auto,

    /// <summary>Compare the query with every entry.</summary>
    BruteForce,

    /// <summary>Multi-index hashing; thresholds it cannot serve (radius &gt; <see cref="MultiIndex.MaxRadius"/>) scan.</summary>
    MultiIndex,
}
