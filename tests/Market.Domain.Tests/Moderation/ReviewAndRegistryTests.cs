using Market.Domain.Catalog;
using Market.Domain.Moderation;

namespace Market.Domain.Tests.Moderation;

public sealed class ReviewAndRegistryTests
{
    private static readonly DateTimeOffset Now = TestWorks.Now;

    private static Work Quarantined()
    {
        var work = TestWorks.Scanning();
        work.DecideScan("sha", "0123456789abcdef", "previews/p", new ScanDecision(ScanOutcome.Quarantined, null, [], []), Now);
        return work;
    }

    [Fact]
    public void A_quarantined_work_is_not_for_sale_until_released()
    {
        var work = Quarantined();
        work.State.ShouldBe(WorkState.Quarantined);
        work.IsForSale.ShouldBeFalse();
        work.Status.ShouldBe("under review");
        work.ListedAt.ShouldBeNull();

        work.ReleaseFromQuarantine(Now.AddHours(1));
        work.State.ShouldBe(WorkState.Listed);
        work.ListedAt.ShouldBe(Now.AddHours(1));
        Should.Throw<DomainException>(() => work.ReleaseFromQuarantine(Now)).Message.ShouldContain("not under review");
    }

    [Fact]
    public void A_refused_quarantined_work_keeps_the_reason_and_cannot_be_offered()
    {
        var work = Quarantined();
        work.RefuseAfterReview("A copy.");
        work.State.ShouldBe(WorkState.Rejected);
        work.RejectionReason.ShouldBe("A copy.");
        Should.Throw<DomainException>(() => work.RefuseAfterReview("again"));
        Should.Throw<DomainException>(() => TestWorks.Draft().Quarantine()).Message.ShouldContain("Only a work being scanned");
    }

    [Fact]
    public void A_case_is_decided_once_and_confirming_needs_a_reason()
    {
        var c = ReviewCase.Open(Guid.NewGuid(), new CaseToOpen(ReviewCaseKind.WorkMatch, Guid.NewGuid(), "x", 3, "as uploaded"), Now);
        Should.Throw<DomainException>(() => c.Confirm("mod", "  ", Now)).Message.ShouldContain("Give the reason");
        c.IsOpen.ShouldBeTrue();
        c.Clear("mod", null, Now);
        c.State.ShouldBe(ReviewCaseState.Cleared);
        c.DecidedBy.ShouldBe("mod");
        Should.Throw<DomainException>(() => c.Confirm("mod", "copy", Now)).Message.ShouldContain("decided already");
        Should.Throw<ArgumentException>(() => ReviewCase.Open(Guid.NewGuid(), new CaseToOpen(ReviewCaseKind.WorkMatch, null, null, 1, "e"), Now));
    }

    private static Registrant Applicant() =>
        Registrant.Apply("user-1", "Mei Chen", "Mei@Studio.test", "Studio Chen", "I painted the harbour series.", "https://studio.test/about", Now);

    [Fact]
    public void A_registrant_registers_only_after_the_e_mail_check_and_a_moderator_s_approval()
    {
        var r = Applicant();
        r.Email.ShouldBe("Mei@Studio.test");
        Should.Throw<DomainException>(r.EnsureCanRegister).Message.ShouldContain("Verify your e-mail address first");
        Should.Throw<DomainException>(() => r.Approve("mod", null, Now)).Message.ShouldContain("not verified");
        Should.Throw<DomainException>(() => r.VerifyEmail("someone@else.test", Now)).Message.ShouldContain("another address");
        r.VerifyEmail("MEI@studio.test", Now);
        Should.Throw<DomainException>(r.EnsureCanRegister).Message.ShouldContain("not approved your application yet");
        Should.Throw<DomainException>(() => ProtectedWork.Register(r, "Harbour", ProtectedWorkSource.Hashes, new string('a', 64), 90, null, null, Now));
        r.Approve("mod", null, Now);
        var entry = ProtectedWork.Register(r, " Harbour ", ProtectedWorkSource.Hashes, new string('A', 64), 90, null, null, Now);
        entry.Label.ShouldBe("Harbour");
        entry.PerceptualHash.ShouldBe(new string('a', 64));
        Should.Throw<DomainException>(() => r.Refuse("mod", "late", Now)).Message.ShouldContain("approved already");
    }

    [Fact]
    public void Another_registrant_cannot_remove_an_entry_and_removal_is_once()
    {
        var r = Applicant();
        r.VerifyEmail(r.Email, Now);
        r.Approve("mod", null, Now);
        var entry = ProtectedWork.Register(r, "Harbour", ProtectedWorkSource.Hashes, new string('a', 64), null, null, null, Now);
        var other = Registrant.Apply("user-2", "Other", "o@x.test", null, "Mine.", null, Now);
        Should.Throw<DomainException>(() => entry.Remove(other, Now)).Message.ShouldBe("There is no such entry in your registry.");
        entry.Remove(r, Now);
        entry.IsActive.ShouldBeFalse();
        Should.Throw<DomainException>(() => entry.Remove(r, Now)).Message.ShouldContain("removed already");
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative")]
    [InlineData("ftp://x.test/a")]
    public void Evidence_must_be_a_web_address(string url) =>
        Should.Throw<DomainException>(() => Registrant.Apply("u", "N", "a@b.test", null, "S", url, Now)).Message.ShouldContain("https://");

    [Fact]
    public void Refusing_needs_a_reason() =>
        Should.Throw<DomainException>(() => Applicant().Refuse("mod", " ", Now)).Message.ShouldContain("Give the reason");
}
