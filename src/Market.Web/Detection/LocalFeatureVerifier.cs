using OpenCvSharp;

namespace Market.Web.Detection;

/// <summary>
/// Confirms that two images show the same picture by their ORB keypoints: descriptors matched by Hamming distance
/// with Lowe's ratio test, then one similarity transform (rotation, uniform scale, translation) fitted by RANSAC.
/// Unrelated images leave a handful of chance matches scattered over no common transform; a copy, however rotated,
/// cropped, watermarked or framed, leaves dozens that agree. The thresholds are set from the false pairs of the
/// recall benchmark with a wide margin (see README: detect-recall).
/// </summary>
internal static class LocalFeatureVerifier
{
    private const float Ratio = 0.8f;
    private const int MinimumInliers = 16;
    private const double MinimumInlierShare = 0.3;

    public readonly record struct Verdict(bool Same, int Inliers, double RotationDegrees, double Scale, int Good = 0);

    public static Verdict Verify(LocalFeatures query, LocalFeatures entry)
    {
        if (query.Count < MinimumInliers || entry.Count < MinimumInliers) return default;
        using var q = Mat.FromPixelData(query.Count, LocalFeatures.DescriptorBytes, MatType.CV_8UC1, query.Descriptors);
        using var e = Mat.FromPixelData(entry.Count, LocalFeatures.DescriptorBytes, MatType.CV_8UC1, entry.Descriptors);
        using var matcher = new BFMatcher(NormTypes.Hamming);
        var pairs = matcher.KnnMatch(q, e, 2);
        var from = new List<Point2f>();
        var to = new List<Point2f>();
        foreach (var pair in pairs)
        {
            if (pair.Length < 2 || pair[0].Distance >= Ratio * pair[1].Distance) continue;
            from.Add(new Point2f(query.Points[2 * pair[0].QueryIdx], query.Points[2 * pair[0].QueryIdx + 1]));
            to.Add(new Point2f(entry.Points[2 * pair[0].TrainIdx], entry.Points[2 * pair[0].TrainIdx + 1]));
        }
        if (from.Count < MinimumInliers) return new Verdict(false, 0, 0, 0, from.Count);

        using var src = Mat.FromPixelData(from.Count, 1, MatType.CV_32FC2, from.ToArray());
        using var dst = Mat.FromPixelData(to.Count, 1, MatType.CV_32FC2, to.ToArray());
        using var mask = new Mat();
        // Reprojection tolerance in the catalog image's pixels (at most 512 a side).
        using var transform = Cv2.EstimateAffinePartial2D(src, dst, mask, RobustEstimationAlgorithms.RANSAC, 4.0);
        if (transform is null || transform.Empty()) return new Verdict(false, 0, 0, 0, from.Count);
        var inliers = Cv2.CountNonZero(mask);
        double a = transform.At<double>(0, 0), b = transform.At<double>(1, 0);
        var scale = Math.Sqrt(a * a + b * b);
        var rotation = Math.Atan2(b, a) * 180 / Math.PI;
        // A degenerate fit (everything collapsed to a point, or blown up) is no evidence of a copy.
        var plausible = scale is > 0.1 and < 10;
        var same = plausible && inliers >= MinimumInliers && inliers >= MinimumInlierShare * from.Count;
        return new Verdict(same, inliers, rotation, scale, from.Count);
    }
}
