using Market.Domain.Moderation;

namespace Market.Domain.Tests.Moderation;

public sealed class ProtectedWorkHashLinesTests
{
    private const string A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    private const string B = "0000000000000000000000000000000000000000000000000000000000000001";

    [Fact]
    public void Reads_the_CLI_output_and_bare_hashes_with_labels_skipping_blanks_comments_and_the_header()
    {
        var (lines, errors) = ProtectedWorkHashLines.Parse($"hash_hex,quality,file\n# my portfolio\n{A.ToUpperInvariant()},100,harbour, at dusk.jpg\r\n\n{B}   Fields in May\n");
        errors.ShouldBeEmpty();
        lines.ShouldBe([new HashLine(3, A, 100, "harbour, at dusk.jpg"), new HashLine(5, B, null, "Fields in May")]);
    }

    [Theory]
    [InlineData("abc,100,x.jpg", "is not a PDQ hash (64 hexadecimal digits)")]
    [InlineData(A + "z,100,x.jpg", "is not a PDQ hash")]
    [InlineData(A + ",49,x.jpg", "Quality 49 is below 50")]
    [InlineData(A + ",101,x.jpg", "is not a whole number from 0 to 100")]
    [InlineData(A + ",-3,x.jpg", "is not a whole number from 0 to 100")]
    [InlineData(A + ",100,", "Give a label")]
    [InlineData(A, "Give a label")]
    [InlineData(A + ",100", "Expected hash_hex,quality,file")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000 blank", "all-zero hash")]
    public void A_bad_line_is_reported_by_number_with_the_reason(string line, string message)
    {
        var (lines, errors) = ProtectedWorkHashLines.Parse($"{B} fine\n{line}");
        errors.ShouldHaveSingleItem().LineNumber.ShouldBe(2);
        errors[0].Message.ShouldContain(message);
        errors[0].ToString().ShouldStartWith("Line 2: ");
        lines.Count.ShouldBe(1, "the caller registers nothing when there are errors; the good lines are still read");
    }

    [Fact]
    public void Every_bad_line_is_reported_not_just_the_first()
    {
        var (_, errors) = ProtectedWorkHashLines.Parse($"nope a\n{A} ok\n{A} again\n{B},10,flat.png");
        errors.Select(e => e.LineNumber).ShouldBe([1, 3, 4]);
        errors[1].Message.ShouldBe("The same hash is on line 2 already.");
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("\n# only a comment\n")]
    public void Nothing_to_register_is_an_error(string? text) =>
        ProtectedWorkHashLines.Parse(text).Errors.ShouldHaveSingleItem().Message.ShouldBe("There are no hashes to register.");

    [Fact]
    public void A_label_longer_than_allowed_is_refused() =>
        ProtectedWorkHashLines.Parse($"{A} {new string('x', ProtectedWork.MaxLabelLength + 1)}").Errors.ShouldHaveSingleItem().Message.ShouldContain("longer than");
}
