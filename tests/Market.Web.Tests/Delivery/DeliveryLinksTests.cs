using Market.Web.Delivery;
using Market.Web.Licensing;
using Microsoft.AspNetCore.DataProtection;

namespace Market.Web.Tests.Delivery;

public sealed class DeliveryLinksTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly FileGrant Grant = new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now.AddMinutes(15));

    private static DeliveryLinks WithKey(string key = "0123456789abcdef0123456789abcdef-test") =>
        new(new DeliverySettings { UrlSigningKey = key }, new EphemeralDataProtectionProvider());

    public static IEnumerable<object[]> Signers() =>
    [
        [WithKey()],
        // No key configured: Data Protection protects the links.
        [new DeliveryLinks(new DeliverySettings(), new EphemeralDataProtectionProvider())],
    ];

    [Theory, MemberData(nameof(Signers))]
    public void A_signed_link_gives_back_its_grant_until_it_expires(DeliveryLinks links)
    {
        var link = links.Sign(Grant);

        links.Check(link, Now).ShouldBe(new LinkCheck(LinkStatus.Valid, Grant));
        links.Check(link, Grant.ExpiresAt.AddSeconds(-1)).Status.ShouldBe(LinkStatus.Valid);
        links.Check(link, Grant.ExpiresAt).ShouldBe(new LinkCheck(LinkStatus.Expired, Grant));
    }

    [Theory, MemberData(nameof(Signers))]
    public void Changing_any_id_or_the_expiry_breaks_the_link(DeliveryLinks links)
    {
        var (payload, mac) = Split(links.Sign(Grant));
        for (var i = 0; i < payload.Length; i++)
        {
            var changed = (byte[])payload.Clone();
            changed[i] ^= 0x01;
            links.Check($"{LicenseSigner.Base64Url(changed)}.{LicenseSigner.Base64Url(mac)}", Now).Status.ShouldBe(LinkStatus.Invalid, $"byte {i} changed");
        }
        // A link made for another grant, with this link's MAC: refused.
        var other = Split(links.Sign(Grant with { ExpiresAt = Grant.ExpiresAt.AddDays(30) })).Payload;
        links.Check($"{LicenseSigner.Base64Url(other)}.{LicenseSigner.Base64Url(mac)}", Now).Status.ShouldBe(LinkStatus.Invalid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData("a.b.c")]
    [InlineData("!!!.???")]
    [InlineData("AAAA.AAAA")]
    public void Garbage_is_not_a_link(string? link) => WithKey().Check(link, Now).Status.ShouldBe(LinkStatus.Invalid);

    [Fact]
    public void A_link_signed_with_another_key_is_refused()
    {
        var link = WithKey("another key that is long enough to be used, really").Sign(Grant);

        WithKey().Check(link, Now).Status.ShouldBe(LinkStatus.Invalid);
        new DeliveryLinks(new DeliverySettings(), new EphemeralDataProtectionProvider()).Check(link, Now).Status.ShouldBe(LinkStatus.Invalid);
    }

    [Fact]
    public void A_short_key_stops_start_up()
    {
        Should.Throw<InvalidOperationException>(() => new DeliverySettings { UrlSigningKey = "too short" }.Validate())
            .Message.ShouldContain("at least 32 characters");
        Should.Throw<InvalidOperationException>(() => new DeliverySettings { LinkMinutes = 0 }.Validate());
    }

    private static (byte[] Payload, byte[] Mac) Split(string link)
    {
        var parts = link.Split('.');
        return (LicenseSigner.FromBase64Url(parts[0]), LicenseSigner.FromBase64Url(parts[1]));
    }
}
