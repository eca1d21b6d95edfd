using Market.Domain.Catalog;
using Market.Domain.Moderation;

namespace Market.Domain.Tests.Moderation;

public sealed class ClaimTests
{
    private const string Claimant = "claimant-1";
    private const string Moderator = "moderator-1";
    private const string Statement = "I photographed this harbour in 2019; the raw files are mine.";
    private static readonly DateTimeOffset Now = TestWorks.Now;

    private static Claim FileOn(Work work, string claimant = Claimant, IReadOnlyCollection<Claim>? open = null, string? text = "First published on my site.",
        string[]? urls = null) =>
        Claim.File(Guid.NewGuid(), work, claimant, Statement, text, urls ?? [], null, open ?? [], Now);

    [Fact]
    public void A_claim_on_a_listed_work_is_open_and_holds_under_its_own_id()
    {
        var work = TestWorks.Listed();
        var claim = FileOn(work, urls: ["https://example.com/harbour", " ", "https://example.com/harbour"]);
        claim.State.ShouldBe(ClaimState.Open);
        claim.HoldId.ShouldBe(claim.Id);
        claim.UploaderId.ShouldBe(TestWorks.Creator);
        claim.EvidenceUrls.ShouldBe(["https://example.com/harbour"]);
    }

    [Fact]
    public void Nobody_claims_their_own_work()
    {
        Should.Throw<DomainException>(() => FileOn(TestWorks.Listed(), claimant: TestWorks.Creator)).Message.ShouldContain("yourself");
    }

    [Fact]
    public void Only_listed_or_held_works_can_be_claimed()
    {
        Should.Throw<DomainException>(() => FileOn(TestWorks.Consented())).Message.ShouldContain("listed");
        var taken = TestWorks.Listed();
        taken.TakeDown("theft", Moderator, Now);
        Should.Throw<DomainException>(() => FileOn(taken));
    }

    [Fact]
    public void A_second_claimant_shares_the_first_claims_hold_but_one_claimant_has_one_open_claim()
    {
        var work = TestWorks.Listed();
        var first = FileOn(work);
        work.HoldForClaim().ShouldBeTrue();
        var second = FileOn(work, claimant: "claimant-2", open: [first]);
        second.HoldId.ShouldBe(first.Id);
        work.HoldForClaim().ShouldBeFalse("a work is held once");
        Should.Throw<DomainException>(() => FileOn(work, open: [first, second])).Message.ShouldContain("already have an open claim");
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.com/x")]
    [InlineData("example.com/no-scheme")]
    [InlineData("file:///etc/passwd")]
    public void Evidence_links_are_web_addresses_only(string url)
    {
        Should.Throw<DomainException>(() => FileOn(TestWorks.Listed(), urls: [url])).Message.ShouldContain("web address");
    }

    [Fact]
    public void A_claim_needs_a_statement_and_some_evidence()
    {
        Should.Throw<DomainException>(() => Claim.File(Guid.NewGuid(), TestWorks.Listed(), Claimant, "mine", "x", [], null, [], Now));
        Should.Throw<DomainException>(() => FileOn(TestWorks.Listed(), text: " ")).Message.ShouldContain("evidence");
        Should.Throw<DomainException>(() => FileOn(TestWorks.Listed(), urls: Enumerable.Range(0, 11).Select(i => $"https://e.com/{i}").ToArray()));
    }

    [Fact]
    public void A_decision_needs_a_reason_an_uninvolved_moderator_and_an_open_claim()
    {
        var claim = FileOn(TestWorks.Listed());
        Should.Throw<DomainException>(() => claim.Uphold(Moderator, " ", Now));
        Should.Throw<DomainException>(() => claim.Uphold(Claimant, "mine", Now)).Message.ShouldContain("party");
        Should.Throw<DomainException>(() => claim.Reject(TestWorks.Creator, "not theirs", Now)).Message.ShouldContain("party");
        claim.State.ShouldBe(ClaimState.Open);
        claim.Uphold(Moderator, "RAW files and EXIF match.", Now);
        claim.State.ShouldBe(ClaimState.Upheld);
        claim.DecidedByUserId.ShouldBe(Moderator);
        Should.Throw<DomainException>(() => claim.Reject(Moderator, "changed my mind", Now)).Message.ShouldContain("already upheld");
        Should.Throw<DomainException>(() => claim.Withdraw(Claimant, Now));
        Should.Throw<DomainException>(() => claim.Counter(TestWorks.Creator, "It is mine", Now));
    }

    [Fact]
    public void Only_the_uploader_answers_and_only_the_claimant_withdraws()
    {
        var claim = FileOn(TestWorks.Listed());
        Should.Throw<DomainException>(() => claim.Counter(Claimant, "x", Now));
        Should.Throw<DomainException>(() => claim.Counter(TestWorks.Creator, " ", Now));
        claim.Counter(TestWorks.Creator, "I bought the rights in 2020.", Now);
        claim.CounterStatement.ShouldBe("I bought the rights in 2020.");
        Should.Throw<DomainException>(() => claim.Withdraw(TestWorks.Creator, Now));
        claim.Withdraw(Claimant, Now);
        claim.State.ShouldBe(ClaimState.Withdrawn);
    }

    [Fact]
    public void Upholding_one_claim_supersedes_the_others_on_the_same_work()
    {
        var work = TestWorks.Listed();
        var first = FileOn(work);
        var second = FileOn(work, claimant: "claimant-2", open: [first]);
        Should.Throw<ArgumentException>(() => second.Supersede(first, Now), "only an upheld claim supersedes");
        first.Uphold(Moderator, "Proven.", Now);
        second.Supersede(first, Now);
        second.State.ShouldBe(ClaimState.Superseded);
        Should.Throw<ArgumentException>(() => FileOn(TestWorks.Listed()).Supersede(first, Now), "another work's claim");
    }

    [Fact]
    public void A_held_work_is_not_for_sale_and_returns_to_the_catalog_when_released()
    {
        var work = TestWorks.Listed();
        work.HoldForClaim();
        work.State.ShouldBe(WorkState.Held);
        work.IsForSale.ShouldBeFalse();
        Should.Throw<DomainException>(() => work.OfferForSale(work.OnlyOfferId()));
        work.ReleaseHold().ShouldBeTrue();
        work.IsForSale.ShouldBeTrue();
        work.ReleaseHold().ShouldBeFalse();
        Should.Throw<DomainException>(() => TestWorks.Consented().HoldForClaim());
    }

    [Fact]
    public void A_held_work_can_still_be_taken_down()
    {
        var work = TestWorks.Listed();
        work.HoldForClaim();
        work.TakeDown("Claim upheld.", Moderator, Now);
        work.State.ShouldBe(WorkState.TakenDown);
        work.ReleaseHold().ShouldBeFalse();
    }
}
