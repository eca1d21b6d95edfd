using Market.Domain.Detection;
using Market.Domain.Licensing;

namespace Market.Domain.Tests.Licensing;

public sealed class BundleDuplicatesTests
{
    private static readonly PdqHash Base = new(0x0123456789abcdef, 0xfedcba9876543210, 0x0f0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0);

    /// <summary>The base hash with its lowest <paramref name="bits"/> bits of W0 flipped (so at that distance from it).</summary>
    private static PdqHash Flip(int bits, int from = 0)
    {
        ulong mask = 0;
        for (var i = from; i < from + bits; i++) mask |= 1UL << i;
        return Base with { W0 = Base.W0 ^ mask };
    }

    private static HashedItem Item(PdqHash hash, Guid? id = null) => new(id ?? Guid.NewGuid(), hash.ToHex());

    [Fact]
    public void Works_within_the_threshold_form_a_group_that_keeps_the_first_added()
    {
        var a = Item(Base);
        var far = Item(new PdqHash(~Base.W0, ~Base.W1, ~Base.W2, ~Base.W3));
        var b = Item(Flip(31));
        var groups = BundleDuplicates.Find([a, far, b]);
        var group = groups.ShouldHaveSingleItem();
        group.WorkIds.ShouldBe([a.WorkId, b.WorkId]);
        group.Keep.ShouldBe(a.WorkId);
        group.Remove.ShouldBe([b.WorkId]);
        group.MaxDistance.ShouldBe(31);
    }

    [Fact]
    public void Distance_32_is_not_a_duplicate()
    {
        BundleDuplicates.Find([Item(Base), Item(Flip(32))]).ShouldBeEmpty();
    }

    [Fact]
    public void Groups_are_transitive_and_ordered_by_the_bundle()
    {
        // y differs from x in bits 0–19, z in bits 20–39: x–y and x–z are 20 apart, y–z 40 (no direct match).
        var x = Item(Base);
        var y = Item(Flip(20));
        var z = Item(Flip(20, from: 20));
        PdqHash.Parse(x.PerceptualHash!).DistanceTo(PdqHash.Parse(z.PerceptualHash!)).ShouldBe(20);
        PdqHash.Parse(y.PerceptualHash!).DistanceTo(PdqHash.Parse(z.PerceptualHash!)).ShouldBe(40);
        // Bundle order y, z, x: y–x 20, x–z 20, so y, z, x are one group kept by y (the first added).
        var group = BundleDuplicates.Find([y, z, x]).ShouldHaveSingleItem();
        group.WorkIds.ShouldBe([y.WorkId, z.WorkId, x.WorkId]);
        group.Keep.ShouldBe(y.WorkId);
        group.MaxDistance.ShouldBe(20);
    }

    [Fact]
    public void Hashes_that_are_not_PDQ_are_ignored()
    {
        var a = Item(Base);
        var old = new HashedItem(Guid.NewGuid(), "00ff00ff00ff00ff");
        var none = new HashedItem(Guid.NewGuid(), null);
        var bad = new HashedItem(Guid.NewGuid(), new string('z', 64));
        BundleDuplicates.Find([a, old, none, bad, old]).ShouldBeEmpty();
        BundleDuplicates.Find([]).ShouldBeEmpty();
    }

    [Fact]
    public void Two_separate_groups_stay_separate()
    {
        var far = new PdqHash(~Base.W0, ~Base.W1, ~Base.W2, ~Base.W3);
        var a1 = Item(Base);
        var b1 = Item(far);
        var a2 = Item(Flip(3));
        var b2 = Item(far with { W3 = far.W3 ^ 1 });
        var groups = BundleDuplicates.Find([a1, b1, a2, b2]);
        groups.Count.ShouldBe(2);
        groups[0].WorkIds.ShouldBe([a1.WorkId, a2.WorkId]);
        groups[1].WorkIds.ShouldBe([b1.WorkId, b2.WorkId]);
        groups[1].MaxDistance.ShouldBe(1);
    }
}
