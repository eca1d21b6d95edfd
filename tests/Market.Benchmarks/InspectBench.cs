using System.Diagnostics;
using Market.Web.Imaging;
using NetVips;

/// <summary>
/// <c>inspect FILE... [--rounds N] [--vips-cache-max N]</c>: runs what the upload does to a staged file in this
/// process, the upload check (<see cref="ImageInspector.Inspect"/>: header, then a full sequential decode) and the
/// metadata read (<see cref="MetadataReader.Read"/>), and prints the time of each and how far the process's peak RSS
/// rose for it. Separates the server's own work from the transfer. With several rounds it also shows whether memory
/// comes back between files: RSS after each file, libvips' live tracked memory and open files, the managed heap.
/// <c>--vips-cache-max N</c> sets libvips' operation cache size first (the site leaves the default, 100 operations).
/// </summary>
internal static class InspectBench
{
    private const double MiB = 1024 * 1024;

    public static int Run(string[] args)
    {
        var rounds = 1;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length && int.TryParse(args[i + 1], out rounds) && rounds > 0) i++;
            else if (args[i] == "--vips-cache-max" && i + 1 < args.Length && int.TryParse(args[i + 1], out var max) && max >= 0)
            {
                Cache.Max = max;
                i++;
            }
            else if (!args[i].StartsWith("--", StringComparison.Ordinal) && File.Exists(args[i])) files.Add(args[i]);
            else
            {
                Console.Error.WriteLine($"inspect: '{args[i]}' is no file or option. usage: inspect FILE... [--rounds N] [--vips-cache-max N]");
                return 2;
            }
        }
        if (files.Count == 0)
        {
            Console.Error.WriteLine("usage: inspect FILE... [--rounds N] [--vips-cache-max N]");
            return 2;
        }

        var inspector = new ImageInspector();
        var metadata = new MetadataReader();
        Console.WriteLine($"libvips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}, concurrency {NetVips.NetVips.Concurrency}, "
            + $"operation cache: max {Cache.Max} ops, {Cache.MaxMem / MiB:N0} MiB, {Cache.MaxFiles} files; {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Console.WriteLine($"{"file",-26} {"MiB",7} {"check s",8} {"MiB/s",7} {"+RSS",6} {"meta s",7} {"+RSS",6} {"RSS aft",8} {"vips now",9} {"files",5} {"GC heap",8}  what was read");
        for (var round = 0; round < rounds; round++)
            foreach (var path in files)
            {
                var size = new FileInfo(path).Length;
                var rssBefore = ProcStatus("VmRSS");
                ResetPeak();
                var watch = Stopwatch.StartNew();
                var facts = inspector.Inspect(path);
                var check = watch.Elapsed.TotalSeconds;
                var checkPeak = ProcStatus("VmHWM");
                var rssAfterCheck = ProcStatus("VmRSS");
                ResetPeak();
                watch.Restart();
                var found = metadata.Read(path);
                var meta = watch.Elapsed.TotalSeconds;
                var metaPeak = ProcStatus("VmHWM");
                Console.WriteLine($"{Shorten(Path.GetFileName(path)),-26} {size / MiB,7:N1} {check,8:N2} {size / MiB / check,7:N1} {(checkPeak - rssBefore) / 1024.0,6:N1} "
                    + $"{meta,7:N3} {(metaPeak - rssAfterCheck) / 1024.0,6:N1} {ProcStatus("VmRSS") / 1024.0,8:N1} {Stats.Mem / MiB,9:N1} {Stats.Files,5} "
                    + $"{GC.GetGCMemoryInfo().HeapSizeBytes / MiB,8:N1}  {facts.Format} {facts.Width}×{facts.Height}, title {(found.Title is { } t ? $"'{t}'" : "none")}");
            }
        Console.WriteLine($"+RSS: how far the process's peak RSS (VmHWM, reset before each step) rose above its RSS before the step. 'vips now': memory libvips "
            + $"has allocated and not freed; 'files': files libvips holds open; GC heap: managed heap after the last collection. All MiB. "
            + $"libvips' high-water mark: {Stats.MemHighwater / MiB:N1} MiB.");
        return 0;
    }

    private static string Shorten(string name) => name.Length <= 26 ? name : "…" + name[^25..];

    /// <summary>A kB figure from /proc/self/status, or 0 where there is none (not Linux).</summary>
    private static long ProcStatus(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]);
        }
        catch (IOException) { }
        return 0;
    }

    /// <summary>Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).</summary>
    private static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
