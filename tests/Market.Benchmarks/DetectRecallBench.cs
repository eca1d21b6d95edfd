using Market.Tests.Shared.Detection;

/// <summary>
/// <c>detect-recall [--images N] [--misses]</c>: builds the detection test set (N generated originals, default 300,
/// plus the distinct photographs among the PDQ reference images), applies every copy edit of issue 6 to each and
/// prints recall of plain PDQ against the full pipeline, false matches among all pairs of different originals, and
/// time per image. <c>--misses</c> lists every copy the pipeline did not find.
/// </summary>
internal static class DetectRecallBench
{
    public static int Run(string[] args)
    {
        var images = 300;
        var showMisses = false;
        for (var i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--images" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0: images = n; i++; break;
                case "--misses": showMisses = true; break;
                default:
                    Console.Error.WriteLine("usage: detect-recall [--images N] [--misses]");
                    return 2;
            }
        var originals = new List<byte[]>();
        foreach (var path in DetectionTestSet.ReferencePhotos(DetectionTestSet.RepositoryRoot(AppContext.BaseDirectory)))
            originals.Add(File.ReadAllBytes(path));
        var reference = originals.Count;
        var generated = new byte[images][];
        Parallel.For(0, images, i => generated[i] = DetectionTestSet.Original(i));
        originals.AddRange(generated);
        Console.WriteLine($"{Environment.ProcessorCount} cores; originals: {images} generated + {reference} PDQ reference photographs");
        var report = RecallMeasurement.Run(originals, Enum.GetValues<CopyEdit>());
        Console.WriteLine(RecallMeasurement.Format(report));
        if (showMisses)
            foreach (var miss in report.Misses) Console.WriteLine("miss: " + miss);
        return 0;
    }
}
