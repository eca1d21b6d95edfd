using Market.Domain.Catalog;
using Market.Domain.Moderation;

namespace Market.Domain.Tests.Moderation;

public sealed class ScanPolicyTests
{
    private const string Me = "creator-1";
    private const string Other = "creator-2";
    private static readonly Guid WorkId = Guid.NewGuid();
    private static ScannedWork Work(bool ai = false) => new(WorkId, Me, "abc", ai);

    private static ScanDecision Decide(ScanFindings findings, bool ai = false, AiGeneratedHandling handling = AiGeneratedHandling.Label) =>
        ScanPolicy.Decide(Work(ai), findings, handling);

    [Fact]
    public void Nothing_found_lists_the_work() =>
        Decide(ScanFindings.None).ShouldBe(new ScanDecision(ScanOutcome.Listed, null, [], []), new DecisionComparer());

    [Theory]
    [InlineData(WorkState.Listed, "This file is an exact copy of your work \"Harbour\", which is already listed.")]
    [InlineData(WorkState.Draft, "This file is an exact copy of your work \"Harbour\", which you uploaded already. List that one instead.")]
    [InlineData(WorkState.Quarantined, "This file is an exact copy of your work \"Harbour\", which you uploaded already. List that one instead.")]
    [InlineData(WorkState.TakenDown, "This file is an exact copy of your work \"Harbour\", which a moderator took down. It cannot be listed again.")]
    public void An_exact_copy_of_one_s_own_work_is_refused_with_a_message_naming_it(WorkState state, string message)
    {
        var decision = Decide(new ScanFindings([new ExactDuplicate(MatchTarget.Work, Guid.NewGuid(), Me, "Harbour", state)], []));
        decision.Outcome.ShouldBe(ScanOutcome.Rejected);
        decision.Reason.ShouldBe(message);
        decision.Cases.ShouldBeEmpty();
    }

    [Fact]
    public void An_exact_copy_of_one_s_own_withdrawn_work_is_listed_again()
    {
        var decision = Decide(new ScanFindings([new ExactDuplicate(MatchTarget.Work, Guid.NewGuid(), Me, "Harbour", WorkState.Withdrawn)], []));
        decision.Outcome.ShouldBe(ScanOutcome.Listed);
    }

    [Fact]
    public void An_exact_copy_of_another_account_s_work_is_quarantined_with_distance_zero_not_refused()
    {
        var target = Guid.NewGuid();
        var decision = Decide(new ScanFindings([new ExactDuplicate(MatchTarget.Work, target, Other, "Theirs", WorkState.Listed)], []));
        decision.Outcome.ShouldBe(ScanOutcome.Quarantined);
        decision.Reason.ShouldBeNull();
        decision.Cases.ShouldBe([new CaseToOpen(ReviewCaseKind.WorkMatch, target, Other, 0, ScanPolicy.ExactEdit)]);
    }

    [Fact]
    public void Near_matches_to_others_and_to_the_registry_open_one_case_each_on_the_closest_evidence()
    {
        var theirs = Guid.NewGuid();
        var entry = Guid.NewGuid();
        var decision = Decide(new ScanFindings([], [
            new NearMatch(MatchTarget.Work, theirs, Other, 9, "rotated 90°"),
            new NearMatch(MatchTarget.Work, theirs, Other, 3, "as uploaded"),
            new NearMatch(MatchTarget.ProtectedWork, entry, "holder", 12, "cropped"),
        ]));
        decision.Outcome.ShouldBe(ScanOutcome.Quarantined);
        decision.Cases.ShouldBe([
            new CaseToOpen(ReviewCaseKind.WorkMatch, theirs, Other, 3, "as uploaded"),
            new CaseToOpen(ReviewCaseKind.ProtectedWorkMatch, entry, "holder", 12, "cropped"),
        ]);
    }

    [Fact]
    public void A_registry_entry_of_one_s_own_still_quarantines_since_the_registry_is_checked_by_moderators()
    {
        var entry = Guid.NewGuid();
        var decision = Decide(new ScanFindings([new ExactDuplicate(MatchTarget.ProtectedWork, entry, Me, "Mine", null)], []));
        decision.Outcome.ShouldBe(ScanOutcome.Quarantined);
        decision.Cases.Single().Kind.ShouldBe(ReviewCaseKind.ProtectedWorkMatch);
    }

    [Fact]
    public void A_near_match_to_one_s_own_work_is_listed_and_noted()
    {
        var mine = Guid.NewGuid();
        var decision = Decide(new ScanFindings([], [new NearMatch(MatchTarget.Work, mine, Me, 4, "as uploaded")]));
        decision.Outcome.ShouldBe(ScanOutcome.Listed);
        decision.Notes.ShouldHaveSingleItem().ShouldContain(mine.ToString());
    }

    [Fact]
    public void The_work_itself_is_never_a_match()
    {
        var decision = Decide(new ScanFindings([new ExactDuplicate(MatchTarget.Work, WorkId, Me, "Self", WorkState.Scanning)],
            [new NearMatch(MatchTarget.Work, WorkId, Me, 0, "as uploaded")]));
        decision.Outcome.ShouldBe(ScanOutcome.Listed);
    }

    [Fact]
    public void An_own_exact_copy_is_refused_before_matches_to_others_are_considered()
    {
        var decision = Decide(new ScanFindings([new ExactDuplicate(MatchTarget.Work, Guid.NewGuid(), Me, "Harbour", WorkState.Listed)],
            [new NearMatch(MatchTarget.Work, Guid.NewGuid(), Other, 2, "as uploaded")]));
        decision.Outcome.ShouldBe(ScanOutcome.Rejected);
    }

    [Theory]
    [InlineData(AiGeneratedHandling.Label, ScanOutcome.Listed, 0)]
    [InlineData(AiGeneratedHandling.Review, ScanOutcome.Quarantined, 1)]
    [InlineData(AiGeneratedHandling.Refuse, ScanOutcome.Rejected, 0)]
    public void A_declared_AI_generated_work_is_handled_per_the_platform_setting(AiGeneratedHandling handling, ScanOutcome outcome, int cases)
    {
        var decision = Decide(ScanFindings.None, ai: true, handling);
        decision.Outcome.ShouldBe(outcome);
        decision.Cases.Count.ShouldBe(cases);
        if (cases == 1) decision.Cases[0].ShouldBe(new CaseToOpen(ReviewCaseKind.DeclaredAiGenerated, null, null, null, "declared AI-generated in the file's metadata"));
        if (outcome == ScanOutcome.Rejected) decision.Reason!.ShouldContain("does not accept AI-generated works");
    }

    [Fact]
    public void Without_a_declaration_the_AI_setting_changes_nothing() =>
        Decide(ScanFindings.None, ai: false, AiGeneratedHandling.Refuse).Outcome.ShouldBe(ScanOutcome.Listed);

    private sealed class DecisionComparer : IEqualityComparer<ScanDecision>
    {
        public bool Equals(ScanDecision? x, ScanDecision? y) =>
            x!.Outcome == y!.Outcome && x.Reason == y.Reason && x.Cases.SequenceEqual(y.Cases) && x.Notes.SequenceEqual(y.Notes);
        public int GetHashCode(ScanDecision obj) => obj.Outcome.GetHashCode();
    }
}
