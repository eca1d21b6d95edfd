using Market.Domain.Moderation;

namespace Market.Domain.Tests.Moderation;

public sealed class SanctionLadderTests
{
    private static readonly DateTimeOffset Now = TestWorks.Now;

    [Fact]
    public void First_strike_warns_second_suspends_for_90_days_third_blocks_for_good()
    {
        var first = SanctionLadder.For(Guid.NewGuid(), "u", Guid.NewGuid(), 0, Now);
        first.Kind.ShouldBe(SanctionKind.Warning);
        first.Strike.ShouldBe(1);
        SanctionLadder.UploadRefusal([first], Now).ShouldBeNull();

        var second = SanctionLadder.For(Guid.NewGuid(), "u", Guid.NewGuid(), 1, Now);
        second.Kind.ShouldBe(SanctionKind.UploadsSuspended);
        second.UploadsBlockedUntil.ShouldBe(Now.AddDays(90));
        SanctionLadder.UploadRefusal([first, second], Now.AddDays(89))!.ShouldContain("suspended until");
        SanctionLadder.UploadRefusal([first, second], Now.AddDays(90)).ShouldBeNull("the suspension ends");

        var third = SanctionLadder.For(Guid.NewGuid(), "u", Guid.NewGuid(), 2, Now);
        third.Kind.ShouldBe(SanctionKind.UploadsBlocked);
        SanctionLadder.UploadRefusal([first, second, third], Now.AddYears(10))!.ShouldContain("permanently");
        SanctionLadder.For(Guid.NewGuid(), "u", Guid.NewGuid(), 7, Now).Kind.ShouldBe(SanctionKind.UploadsBlocked);
        Should.Throw<ArgumentOutOfRangeException>(() => SanctionLadder.For(Guid.NewGuid(), "u", Guid.NewGuid(), -1, Now));
    }
}
