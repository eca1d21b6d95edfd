using Market.Domain.Detection;
using Market.Web.Imaging;

namespace Market.Web.Tests.Imaging;

/// <summary>The site executable's <c>hash FILE...</c> verb, through its handler.</summary>
public sealed class PdqHashCommandTests
{
    [Fact]
    public void Prints_hash_quality_and_file_per_image_and_names_the_unreadable_file_but_hashes_the_rest()
    {
        var root = PdqConformanceTests.Root;
        var bridge = Path.Combine(root, "data", "reg-test-input", "dih", "bridge-1-original.jpg");
        var small = Path.Combine(root, "data", "misc-images", "small.jpg");
        var notAnImage = Path.Combine(root, "README.md");
        var missing = Path.Combine(root, "no-such-file.jpg");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = PdqImage.HashCommand([bridge, notAnImage, small, missing], output, error);

        exit.ShouldBe(1);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Length.ShouldBe(2);
        var first = lines[0].Split(',');
        first[2].ShouldBe(bridge);
        var expected = PdqImage.Hash(bridge);
        first[0].ShouldBe(expected.Hash.ToHex());
        first[1].ShouldBe(expected.Quality.ToString());
        // The reference's hash of the same file: the server's fast path stays close to it.
        PdqHash.Parse(first[0]).DistanceTo(PdqHash.Parse("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")).ShouldBeLessThanOrEqualTo(16);
        lines[1].ShouldEndWith(",0," + small);
        var errors = error.ToString();
        errors.ShouldContain($"cannot hash {notAnImage}");
        errors.ShouldContain($"cannot hash {missing}");
        errors.ShouldNotContain(bridge);
    }

    [Fact]
    public void Exits_0_when_every_file_hashed_and_2_with_no_files()
    {
        var file = Path.Combine(PdqConformanceTests.Root, "data", "misc-images", "wee.jpg");
        var output = new StringWriter();
        var error = new StringWriter();
        PdqImage.HashCommand([file], output, error).ShouldBe(0);
        error.ToString().ShouldBeEmpty();
        output.ToString().ShouldStartWith("6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d,100,");

        PdqImage.HashCommand([], output, error).ShouldBe(2);
        error.ToString().ShouldContain("usage");
    }
}
