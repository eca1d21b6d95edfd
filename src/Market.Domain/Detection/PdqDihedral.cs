namespace Market.Domain.Detection;

/// <summary>
/// The eight ways to turn or mirror a picture, in the reference's order (the column order of its
/// <c>--pdqdih</c> output). Rotations are counter-clockwise.
/// </summary>
public enum PdqTransform
{
    Original = 0,
    Rotate90 = 1,
    Rotate180 = 2,
    Rotate270 = 3,
    /// <summary>Mirrored top to bottom.</summary>
    FlipX = 4,
    /// <summary>Mirrored left to right.</summary>
    FlipY = 5,
    /// <summary>Transposed about the main diagonal.</summary>
    FlipPlus = 6,
    /// <summary>Mirrored about the anti-diagonal.</summary>
    FlipMinus = 7,
}

/// <summary>The hashes of one picture in its eight dihedral orientations, indexed by <see cref="PdqTransform"/>.</summary>
public readonly struct PdqDihedral : IEquatable<PdqDihedral>
{
    public const int Count = 8;

    private readonly PdqHash[]? _hashes;

    public PdqDihedral(ReadOnlySpan<PdqHash> hashes)
    {
        if (hashes.Length != Count) throw new ArgumentException($"There are {Count} dihedral hashes, not {hashes.Length}.", nameof(hashes));
        _hashes = hashes.ToArray();
    }

    /// <summary>The default value (from a too-small image) answers the zero hash for every orientation.</summary>
    public PdqHash this[PdqTransform transform] =>
        (uint)transform < Count ? _hashes?[(int)transform] ?? PdqHash.Zero : throw new ArgumentOutOfRangeException(nameof(transform));

    public PdqHash this[int index] => this[(PdqTransform)index];

    public PdqHash Original => this[PdqTransform.Original];
    public PdqHash Rotate90 => this[PdqTransform.Rotate90];
    public PdqHash Rotate180 => this[PdqTransform.Rotate180];
    public PdqHash Rotate270 => this[PdqTransform.Rotate270];
    public PdqHash FlipX => this[PdqTransform.FlipX];
    public PdqHash FlipY => this[PdqTransform.FlipY];
    public PdqHash FlipPlus => this[PdqTransform.FlipPlus];
    public PdqHash FlipMinus => this[PdqTransform.FlipMinus];

    /// <summary>All eight, in <see cref="PdqTransform"/> order.</summary>
    public PdqHash[] ToArray()
    {
        var all = new PdqHash[Count];
        for (var i = 0; i < Count; i++) all[i] = this[i];
        return all;
    }

    /// <summary>The smallest distance from <paramref name="hash"/> to any of the eight: a match whichever way the copy was turned.</summary>
    public int MinDistanceTo(PdqHash hash)
    {
        var best = int.MaxValue;
        for (var i = 0; i < Count; i++) best = Math.Min(best, this[i].DistanceTo(hash));
        return best;
    }

    public bool Equals(PdqDihedral other)
    {
        for (var i = 0; i < Count; i++)
            if (this[i] != other[i]) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is PdqDihedral other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Original, Rotate90, Rotate180, FlipX);

    public static bool operator ==(PdqDihedral left, PdqDihedral right) => left.Equals(right);
    public static bool operator !=(PdqDihedral left, PdqDihedral right) => !left.Equals(right);
}
