using Market.Domain.Licensing;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Licensing;

public class ExpiryScheduleTests
{
    private static readonly Guid LicenseId = Guid.NewGuid();
    private static readonly DateTimeOffset End = Now.AddMonths(12);

    private static ItemTerm Item(DateTimeOffset? endsAt = null, ExpiryDuty duty = ExpiryDuty.DeleteData, int days = 30, DateTimeOffset? takenDownAt = null,
        bool attested = false, Guid? licenseId = null, DateTimeOffset? startsAt = null, string title = "Harbour") =>
        new(Guid.NewGuid(), licenseId ?? LicenseId, title, startsAt ?? Now, endsAt ?? End, duty, days, takenDownAt, attested);

    private static Obligation One(params ItemTerm[] items) => ExpirySchedule.Obligations(items).ShouldHaveSingleItem();

    [Fact]
    public void Each_stage_falls_due_once_in_order_as_time_passes_and_nothing_is_sent_before_or_twice()
    {
        var o = One(Item());
        var recorded = new List<ExpiryStage>();
        var timeline = new (DateTimeOffset At, ExpiryStage? Expected)[]
        {
            (End.AddDays(-31), null),
            (End.AddDays(-30), ExpiryStage.FirstReminder),
            (End.AddDays(-30).AddHours(1), null),
            (End.AddDays(-8), null),
            (End.AddDays(-7), ExpiryStage.SecondReminder),
            (End.AddMinutes(-1), null),
            (End, ExpiryStage.Ended),
            (End.AddDays(29), null),
            (End.AddDays(30), ExpiryStage.Overdue),
            (End.AddDays(43), null),
            (End.AddDays(44), ExpiryStage.FinalNotice),
            (End.AddDays(400), null),
        };
        foreach (var (at, expected) in timeline)
        {
            var decision = ExpirySchedule.Decide(o, recorded, at);
            decision.Send.ShouldBe(expected, $"at end {(at - End).TotalDays:+0.##;-0.##} days");
            decision.Superseded.ShouldBeEmpty();
            if (decision.Send is { } stage) recorded.Add(stage);
            // Deciding again at the same moment, with the decision recorded, sends nothing more.
            ExpirySchedule.Decide(o, recorded, at).Send.ShouldBeNull();
        }
        recorded.ShouldBe([ExpiryStage.FirstReminder, ExpiryStage.SecondReminder, ExpiryStage.Ended, ExpiryStage.Overdue, ExpiryStage.FinalNotice]);
    }

    [Fact]
    public void After_a_gap_the_latest_due_stage_is_sent_and_the_earlier_ones_are_superseded_not_skipped_silently()
    {
        var o = One(Item());

        var atEnd = ExpirySchedule.Decide(o, [], End.AddHours(3));
        atEnd.Send.ShouldBe(ExpiryStage.Ended);
        atEnd.Superseded.ShouldBe([ExpiryStage.FirstReminder, ExpiryStage.SecondReminder]);

        var pastDue = ExpirySchedule.Decide(o, [ExpiryStage.FirstReminder], End.AddDays(31));
        pastDue.Send.ShouldBe(ExpiryStage.Overdue);
        pastDue.Superseded.ShouldBe([ExpiryStage.SecondReminder, ExpiryStage.Ended]);
    }

    [Fact]
    public void An_attested_group_gets_nothing_more_not_even_reminders_or_escalations()
    {
        var attested = One(Item(attested: true));

        ExpirySchedule.Decide(attested, [], End.AddDays(-7)).ShouldBe(NoticeDecision.Nothing);
        ExpirySchedule.Decide(attested, [ExpiryStage.Ended], End.AddDays(100)).ShouldBe(NoticeDecision.Nothing);
        attested.IsOverdue(End.AddDays(100)).ShouldBeFalse();
    }

    [Fact]
    public void A_group_with_one_item_still_open_is_not_attested_and_its_messages_name_only_that_item()
    {
        var done = Item(attested: true, title: "Fields");
        var open = Item(title: "Harbour");

        var o = One(done, open);

        o.Attested.ShouldBeFalse();
        o.OpenItems.ShouldBe([open]);
        ExpirySchedule.Decide(o, [], End).Send.ShouldBe(ExpiryStage.Ended);
    }

    [Fact]
    public void Items_are_grouped_by_license_and_end_date_with_the_strictest_duty_and_earliest_due_date()
    {
        var a = Item(duty: ExpiryDuty.DeleteData, days: 60);
        var b = Item(duty: ExpiryDuty.DestroyOrRetrainModels, days: 14);
        var later = Item(endsAt: End.AddMonths(12));
        var elsewhere = Item(licenseId: Guid.NewGuid());

        var groups = ExpirySchedule.Obligations([a, b, later, elsewhere]);

        groups.Count.ShouldBe(3);
        var first = groups.Single(g => g.LicenseId == LicenseId && g.EndsAt == End);
        first.Items.Select(i => i.ItemId).ShouldBe([a.ItemId, b.ItemId], ignoreOrder: true);
        first.Duty.ShouldBe(ExpiryDuty.DestroyOrRetrainModels);
        first.AttestWithinDays.ShouldBe(14);
        first.DueAt.ShouldBe(End.AddDays(14));
        groups.Single(g => g.LicenseId == LicenseId && g.EndsAt == End.AddMonths(12)).Items.ShouldBe([later]);
        groups.Single(g => g.LicenseId != LicenseId).Items.ShouldBe([elsewhere]);
    }

    [Fact]
    public void A_work_taken_down_while_the_item_ran_owes_its_attestation_from_the_takedown_without_reminders()
    {
        var takenDown = Now.AddMonths(3);
        var o = One(Item(days: 30, takenDownAt: takenDown));

        o.Basis.ShouldBe(DutyBasis.Takedown);
        o.EndsAt.ShouldBe(takenDown);
        o.DueAt.ShouldBe(takenDown.AddDays(30));
        ExpirySchedule.DueAt(o, ExpiryStage.FirstReminder).ShouldBeNull();
        ExpirySchedule.DueAt(o, ExpiryStage.SecondReminder).ShouldBeNull();
        var decision = ExpirySchedule.Decide(o, [], takenDown);
        decision.Send.ShouldBe(ExpiryStage.Ended);
        decision.Superseded.ShouldBeEmpty();
        ExpirySchedule.Decide(o, [ExpiryStage.Ended], takenDown.AddDays(30)).Send.ShouldBe(ExpiryStage.Overdue);
    }

    [Fact]
    public void A_takedown_after_the_item_ended_leaves_it_on_its_ordinary_end_and_splits_it_from_a_taken_down_sibling()
    {
        var endedFirst = Item(takenDownAt: End.AddDays(2));
        var sibling = Item(takenDownAt: End.AddDays(-2));

        var groups = ExpirySchedule.Obligations([endedFirst, sibling]);

        groups.Single(g => g.Basis == DutyBasis.Expiry).Items.ShouldBe([endedFirst]);
        groups.Single(g => g.Basis == DutyBasis.Takedown).Items.ShouldBe([sibling]);
        groups.Select(g => g.Key).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public void No_reminder_is_due_that_would_fall_before_the_items_started()
    {
        // A one-month term starting 31 January ends 28 February: 28 days, so there is no "30 days left".
        var start = new DateTimeOffset(2027, 1, 31, 12, 0, 0, TimeSpan.Zero);
        var o = One(Item(startsAt: start, endsAt: start.AddMonths(1)));

        ExpirySchedule.DueAt(o, ExpiryStage.FirstReminder).ShouldBeNull();
        ExpirySchedule.DueAt(o, ExpiryStage.SecondReminder).ShouldBe(start.AddMonths(1).AddDays(-7));
        ExpirySchedule.Decide(o, [], start.AddHours(1)).ShouldBe(NoticeDecision.Nothing);
    }

    [Fact]
    public void Overdue_counts_whole_days_past_the_due_date()
    {
        var o = One(Item(days: 30));

        o.IsOverdue(End.AddDays(30).AddSeconds(-1)).ShouldBeFalse();
        o.DaysOverdue(End.AddDays(30).AddSeconds(-1)).ShouldBe(0);
        o.IsOverdue(End.AddDays(30)).ShouldBeTrue();
        o.DaysOverdue(End.AddDays(30).AddHours(23)).ShouldBe(0);
        o.DaysOverdue(End.AddDays(45).AddHours(1)).ShouldBe(15);
    }

    [Fact]
    public void Keys_name_the_basis_and_the_end_instant()
    {
        var o = One(Item());

        o.Key.ShouldBe($"e{End.ToUnixTimeMilliseconds()}");
        ExpirySchedule.KeyOf(DutyBasis.Takedown, End).ShouldBe($"t{End.ToUnixTimeMilliseconds()}");
    }
}
