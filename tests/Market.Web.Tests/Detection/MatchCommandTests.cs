using Market.Tests.Shared.Detection;
using Market.Web.Detection;

namespace Market.Web.Tests.Detection;

public sealed class MatchCommandTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("match-verb");
    private string Catalog => Path.Combine(_root.FullName, "catalog");
    private string Queries => Path.Combine(_root.FullName, "queries");

    public void Dispose() => _root.Delete(recursive: true);

    private static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private (int Code, string[] Lines, string Errors) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = MatchCommand.Run(args, output, errors);
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray(), errors.ToString());
    }

    [Fact]
    public void Prints_the_best_match_of_every_query_and_reports_unreadable_files_without_stopping()
    {
        var a = DetectionTestSet.Original(14);
        var b = DetectionTestSet.Original(15);
        Write(Path.Combine(Catalog, "a.jpg"), a);
        Write(Path.Combine(Catalog, "sub", "b.jpg"), b);
        Write(Path.Combine(Catalog, "notes.txt"), "not an image"u8.ToArray());
        Write(Path.Combine(Queries, "1-mirror.jpg"), DetectionTestSet.Apply(b, CopyEdit.MirrorHorizontal, 1));
        Write(Path.Combine(Queries, "2-turned.jpg"), DetectionTestSet.Apply(a, CopyEdit.Rotate5, 2));
        Write(Path.Combine(Queries, "3-stranger.jpg"), DetectionTestSet.Original(16));
        Write(Path.Combine(Queries, "4-broken.jpg"), a[..200]);

        var (code, lines, errors) = Run(Catalog, Queries);

        code.ShouldBe(1);
        lines[0].ShouldBe("query,match,distance,edit");
        lines.Length.ShouldBe(4);
        var mirror = lines[1].Split(',');
        mirror[0].ShouldBe("1-mirror.jpg");
        mirror[1].ShouldBe("sub/b.jpg");
        int.Parse(mirror[2]).ShouldBeLessThanOrEqualTo(31);
        mirror[3].ShouldBe("mirrored");
        lines[2].ShouldStartWith("2-turned.jpg,a.jpg,,local features + rotated ");
        lines[3].ShouldBe("3-stranger.jpg,,,");
        errors.ShouldContain("notes.txt");
        errors.ShouldContain("4-broken.jpg");
    }

    [Fact]
    public void Bad_arguments_print_usage_and_change_nothing()
    {
        Directory.CreateDirectory(Catalog);

        Run(Catalog).Code.ShouldBe(2);
        var (code, lines, errors) = Run(Catalog, Path.Combine(_root.FullName, "missing"));
        code.ShouldBe(2);
        lines.ShouldBeEmpty();
        errors.ShouldContain("not a folder");
    }
}
