using Market.Web.Delivery;

namespace Market.Web.Tests.Delivery;

public sealed class DeliveryNamesTests
{
    [Theory]
    [InlineData("Harbour at dusk", "Harbour-at-dusk")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("C:\\Windows\\system32", "C-Windows-system32")]
    [InlineData("Båtar i skymningen №3", "Båtar-i-skymningen-3")]
    [InlineData("夜の港", "夜の港")]
    [InlineData("***", "work")]
    [InlineData("", "work")]
    public void Titles_become_names_of_letters_digits_and_dashes(string title, string expected) =>
        DeliveryNames.SafeTitle(title).ShouldBe(expected);

    [Fact]
    public void A_long_title_is_cut()
    {
        DeliveryNames.SafeTitle(new string('a', 500)).Length.ShouldBe(DeliveryNames.MaxTitleChars);
    }

    [Fact]
    public void The_extension_comes_from_the_type_the_bytes_proved_not_the_uploaded_name()
    {
        var taken = new HashSet<string>();
        var id = Guid.Parse("0195f0c2-7a1e-7c3d-9b2a-abcdef012345");
        DeliveryNames.FileName("Harbour", id, "image/jpeg", "evil.exe", taken).ShouldBe("Harbour-ef012345.jpg");
        DeliveryNames.FileName("Harbour", Guid.NewGuid(), "application/x-unknown", "x.p/../../etc", taken).ShouldEndWith(".bin");
        DeliveryNames.FileName("Harbour", Guid.NewGuid(), "application/x-unknown", "scan.j$p", taken).ShouldEndWith(".bin");
    }

    [Fact]
    public void Two_works_with_the_same_title_and_id_ending_get_different_names()
    {
        var taken = new HashSet<string>();
        var a = DeliveryNames.FileName("Same", Guid.Parse("00000000-0000-7000-8000-0000aaaaaaaa"), "image/png", null, taken);
        var b = DeliveryNames.FileName("Same", Guid.Parse("11111111-0000-7000-8000-0000aaaaaaaa"), "image/png", null, taken);

        a.ShouldNotBe(b);
        b.ShouldContain("111111110000700080000000aaaaaaaa");
    }

    [Fact]
    public void A_sidecar_takes_the_image_name_with_xmp() => DeliveryNames.Sidecar("files/Harbour-ef012345.gif").ShouldBe("files/Harbour-ef012345.xmp");
}
