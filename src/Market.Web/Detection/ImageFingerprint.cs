using Market.Domain.Detection;

namespace Market.Web.Detection;

/// <summary>Which view of an image a hash was computed from, so a match can name the edit it undid.</summary>
public enum HashView
{
    /// <summary>The whole image as decoded.</summary>
    Whole,
    /// <summary>The image after a uniform border was trimmed off.</summary>
    Trimmed,
    /// <summary>One of the overlapping regions a catalog image is also hashed by (each keeps 80% of its area).</summary>
    Region,
    /// <summary>
    /// A colour image made grey by perceived lightness (CIE L*, as libvips, GIMP's default and many editors do)
    /// rather than by PDQ's luma: on some colour schemes the two greys order the DCT coefficients differently.
    /// </summary>
    Grey,
}

/// <summary>
/// One hash of a fingerprint: the view it was taken from, its dihedral variant (the order of PDQ's dihedral hashes:
/// Original, Rotate90, Rotate180, Rotate270, FlipX, FlipY, FlipPlus, FlipMinus) and PDQ's quality of that view.
/// </summary>
public readonly record struct TaggedHash(PdqHash Hash, int Quality, HashView View, int Dihedral = 0)
{
    public bool Usable => Quality >= PdqHash.MinimumQuality;
}

/// <summary>
/// What detection knows of one image. A catalog image is indexed by its whole, trimmed and region hashes (original
/// orientation only); a query by the eight dihedral variants of its whole and trimmed views, so a mirrored or
/// rotated copy meets the original's hash. <see cref="Features"/> (about 20 KB) lets a candidate be verified by
/// local features; it is null for registry entries submitted as hashes only, which match on hashes alone.
/// </summary>
public sealed record ImageFingerprint(IReadOnlyList<TaggedHash> Hashes, LocalFeatures? Features)
{
    /// <summary>PDQ's quality of the whole image: below 50 it takes part in no hash match (local features still may).</summary>
    public int Quality => Hashes.FirstOrDefault(h => h.View == HashView.Whole).Quality;

    /// <summary>A fingerprint of a bare hash (e.g. a registry entry): matched on that hash only.</summary>
    public static ImageFingerprint OfHash(PdqHash hash, int quality) =>
        new([new TaggedHash(hash, quality, HashView.Whole)], null);
}

/// <summary>
/// ORB keypoints of an image's grey version (at most 512 px a side): positions as x, y pairs in that image's pixels
/// and 32-byte binary descriptors, one row per keypoint.
/// </summary>
public sealed record LocalFeatures(float[] Points, byte[] Descriptors, int Width, int Height)
{
    public const int DescriptorBytes = 32;
    public int Count => Descriptors.Length / DescriptorBytes;
}

/// <summary>
/// A catalog entry a query matched. <see cref="Distance"/> is the PDQ distance of the pair of hashes that matched,
/// or null when only local features verified the match; <see cref="Inliers"/> counts the keypoints that agreed
/// on one geometric transform (null for a hash-only match). <see cref="Edit"/> names what was undone, e.g.
/// "mirrored", "border", "cropped", "rotated 5°".
/// </summary>
public sealed record DetectionMatch(string EntryId, int? Distance, string Edit, int? Inliers = null);
