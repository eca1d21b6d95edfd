using System.Collections.Concurrent;
using NetVips;

namespace Market.Web.Detection;

/// <summary>
/// <c>match CATALOG_DIR QUERY_DIR</c>: fingerprints every file under the catalog folder (recursively), then prints
/// one CSV line <c>query,match,distance,edit</c> for every file under the query folder with its best match under
/// the full pipeline (<see cref="DetectionPipeline"/> and <see cref="DetectionCatalog"/>, exactly what the server
/// runs). Paths are relative to their folder; <c>match</c> is empty when nothing matched; <c>distance</c> is the
/// PDQ distance, empty when only local features verified the match; <c>edit</c> names what was undone, or says
/// "low quality" for an unmatched query whose hash is below quality 50. A file that cannot be decoded (or read) is
/// reported on standard error and skipped. Exit code 0, 1 when some file was skipped, 2 for bad arguments.
/// </summary>
public static class MatchCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        if (args.Length != 2)
        {
            errors.WriteLine("usage: Market.Web match CATALOG_DIR QUERY_DIR   (prints CSV query,match,distance,edit)");
            return 2;
        }
        foreach (var dir in args)
            if (!Directory.Exists(dir))
            {
                errors.WriteLine($"not a folder: {dir}");
                return 2;
            }
        var (catalogDir, queryDir) = (args[0], args[1]);
        var skipped = false;

        var catalogFiles = Files(catalogDir);
        var catalogPrints = FingerprintAll(catalogFiles);
        var catalog = new DetectionCatalog();
        for (var i = 0; i < catalogFiles.Count; i++)
        {
            if (catalogPrints[i] is { } print) catalog.Add(Relative(catalogDir, catalogFiles[i]), print);
            else skipped |= Report(errors, "catalog", catalogFiles[i], catalogPrints.Errors[i]);
        }

        var queryFiles = Files(queryDir);
        var queryPrints = FingerprintAll(queryFiles);
        var results = new DetectionMatch?[queryFiles.Count];
        Parallel.For(0, queryFiles.Count, i =>
        {
            if (queryPrints[i] is { } q) results[i] = catalog.FindBest(q);
        });

        output.WriteLine("query,match,distance,edit");
        for (var i = 0; i < queryFiles.Count; i++)
        {
            if (queryPrints[i] is not { } q)
            {
                skipped |= Report(errors, "query", queryFiles[i], queryPrints.Errors[i]);
                continue;
            }
            var m = results[i];
            var edit = m?.Edit ?? (q.Quality < Market.Domain.Detection.PdqHash.MinimumQuality ? "low quality" : "");
            output.WriteLine(string.Join(',', Csv(Relative(queryDir, queryFiles[i])), Csv(m?.EntryId ?? ""),
                m?.Distance?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", Csv(edit)));
        }
        return skipped ? 1 : 0;
    }

    private static List<string> Files(string dir) =>
        Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Order(StringComparer.Ordinal).ToList();

    private sealed class Prints(int count)
    {
        public readonly ImageFingerprint?[] Values = new ImageFingerprint?[count];
        public readonly string?[] Errors = new string?[count];
        public ImageFingerprint? this[int i] => Values[i];
    }

    private static Prints FingerprintAll(List<string> files)
    {
        var prints = new Prints(files.Count);
        Parallel.For(0, files.Count, i =>
        {
            try
            {
                prints.Values[i] = DetectionPipeline.Fingerprint(files[i]);
            }
            catch (Exception e) when (e is VipsException or IOException or UnauthorizedAccessException or OpenCvSharp.OpenCVException)
            {
                // libvips' message is several lines; the first says what was wrong.
                prints.Errors[i] = e.Message.Split('\n', 2)[0].Trim();
            }
        });
        return prints;
    }

    private static bool Report(TextWriter errors, string role, string path, string? message)
    {
        errors.WriteLine($"skipped {role} file {path}: {message}");
        return true;
    }

    private static string Relative(string dir, string path) => Path.GetRelativePath(dir, path).Replace('\\', '/');

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    private static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
