namespace Market.Domain.Licensing;

/// <summary>Why an organisation owes a deletion attestation for some items.</summary>
public enum DutyBasis
{
    /// <summary>The items' term ended.</summary>
    Expiry = 1,
    /// <summary>A moderator took the work down (theft): the license could not validly grant it.</summary>
    Takedown = 2,
}

/// <summary>The messages sent about one group of items, in the order they fall due.</summary>
public enum ExpiryStage
{
    /// <summary><see cref="ExpirySchedule.FirstReminder"/> before the end.</summary>
    FirstReminder = 1,
    /// <summary><see cref="ExpirySchedule.SecondReminder"/> before the end.</summary>
    SecondReminder = 2,
    /// <summary>At the end: access has ended and the attestation is due.</summary>
    Ended = 3,
    /// <summary>At the due date with no attestation: the organisation again, and the marketplace's admins.</summary>
    Overdue = 4,
    /// <summary><see cref="ExpirySchedule.FinalNoticeAfter"/> after the due date, still nothing: the last escalation.</summary>
    FinalNotice = 5,
}

/// <summary>What the schedule needs to know about one license item.</summary>
/// <param name="TakenDownAt">When the item's work was taken down by a moderator, if it was.</param>
/// <param name="Attested">A signed deletion attestation covers the item already.</param>
public sealed record ItemTerm(
    Guid ItemId, Guid LicenseId, string WorkTitle, DateTimeOffset StartsAt, DateTimeOffset EndsAt, ExpiryDuty Duty, int AttestWithinDays,
    DateTimeOffset? TakenDownAt, bool Attested);

/// <summary>
/// A group of one license's items that end together, for one reason, and so owe one deletion attestation. Items
/// of several offers can end on the same date under different terms; the group takes the strictest duty and the
/// earliest due date among them, so one attestation honours every item's terms.
/// </summary>
public sealed record Obligation(
    Guid LicenseId, DutyBasis Basis, DateTimeOffset EndsAt, DateTimeOffset StartsAt, DateTimeOffset DueAt, ExpiryDuty Duty, int AttestWithinDays,
    IReadOnlyList<ItemTerm> Items)
{
    /// <summary>The items no attestation covers yet.</summary>
    public IReadOnlyList<ItemTerm> OpenItems => Items.Where(i => !i.Attested).ToList();

    public bool Attested => Items.All(i => i.Attested);

    public bool HasEnded(DateTimeOffset now) => now >= EndsAt;

    public bool IsOverdue(DateTimeOffset now) => !Attested && now >= DueAt;

    /// <summary>Whole days past the due date; 0 on the day it falls due.</summary>
    public int DaysOverdue(DateTimeOffset now) => IsOverdue(now) ? (int)(now - DueAt).TotalDays : 0;

    /// <summary>Names the group in a link or a form: the reason and the end instant, unique within a license.</summary>
    public string Key => ExpirySchedule.KeyOf(Basis, EndsAt);
}

/// <summary>
/// When each message about a license's end falls due, as a pure function of the items, what was recorded as
/// sent, and the time. The job that sends them records every stage it decides on, so running it twice sends
/// nothing twice, and running it after a gap catches up instead of skipping.
/// </summary>
public static class ExpirySchedule
{
    public static readonly TimeSpan FirstReminder = TimeSpan.FromDays(30);
    public static readonly TimeSpan SecondReminder = TimeSpan.FromDays(7);
    /// <summary>The second escalation comes this long after the due date if there is still no attestation.</summary>
    public static readonly TimeSpan FinalNoticeAfter = TimeSpan.FromDays(14);

    /// <summary>
    /// Every stage can have fallen due by this long after an item's end (attestation within at most
    /// <see cref="LicenseTerms.MaxAttestDays"/>, then the final notice); older items need no more messages.
    /// </summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(LicenseTerms.MaxAttestDays) + FinalNoticeAfter + TimeSpan.FromDays(1);

    /// <summary>
    /// Groups items into obligations. An item whose work was taken down while it ran owes its attestation from the
    /// takedown, not from its end; every other item from its end.
    /// </summary>
    public static IReadOnlyList<Obligation> Obligations(IEnumerable<ItemTerm> items) =>
        items.Select(i => (Item: i, Basis: BasisOf(i), End: EndOf(i)))
            .GroupBy(x => (x.Item.LicenseId, x.Basis, x.End))
            .Select(g =>
            {
                var members = g.Select(x => x.Item).OrderBy(i => i.WorkTitle, StringComparer.CurrentCulture).ThenBy(i => i.ItemId).ToList();
                var days = members.Min(i => i.AttestWithinDays);
                var duty = members.Any(i => i.Duty == ExpiryDuty.DestroyOrRetrainModels) ? ExpiryDuty.DestroyOrRetrainModels : ExpiryDuty.DeleteData;
                return new Obligation(g.Key.LicenseId, g.Key.Basis, g.Key.End, members.Min(i => i.StartsAt), g.Key.End.AddDays(days), duty, days, members);
            })
            .OrderBy(o => o.EndsAt).ThenBy(o => o.Basis)
            .ToList();

    private static DutyBasis BasisOf(ItemTerm item) =>
        item.TakenDownAt is { } takenDown && takenDown < item.EndsAt ? DutyBasis.Takedown : DutyBasis.Expiry;

    private static DateTimeOffset EndOf(ItemTerm item) => BasisOf(item) == DutyBasis.Takedown ? item.TakenDownAt!.Value : item.EndsAt;

    public static string KeyOf(DutyBasis basis, DateTimeOffset endsAt) =>
        $"{(basis == DutyBasis.Takedown ? 't' : 'e')}{endsAt.ToUnixTimeMilliseconds()}";

    /// <summary>
    /// When <paramref name="stage"/> falls due for the obligation, or null when it does not apply: no reminders
    /// before a takedown (it comes without warning), and none that would fall before the items even started
    /// (a buyer of a one-month term knew its end when buying).
    /// </summary>
    public static DateTimeOffset? DueAt(Obligation obligation, ExpiryStage stage)
    {
        DateTimeOffset? Reminder(TimeSpan before)
        {
            if (obligation.Basis == DutyBasis.Takedown) return null;
            var at = obligation.EndsAt - before;
            return at > obligation.StartsAt ? at : null;
        }

        return stage switch
        {
            ExpiryStage.FirstReminder => Reminder(FirstReminder),
            ExpiryStage.SecondReminder => Reminder(SecondReminder),
            ExpiryStage.Ended => obligation.EndsAt,
            ExpiryStage.Overdue => obligation.DueAt,
            ExpiryStage.FinalNotice => obligation.DueAt + FinalNoticeAfter,
            _ => throw new ArgumentOutOfRangeException(nameof(stage)),
        };
    }

    /// <summary>
    /// What to send now. Every stage that has fallen due and is not recorded is decided on: the latest of them is
    /// sent, and the earlier ones are recorded as superseded rather than sent late, because each message says
    /// everything the earlier ones did (after a gap, no one wants "30 days left" next to "access has ended").
    /// Once every item is attested nothing more is sent: an early attestation ends the reminders too.
    /// </summary>
    public static NoticeDecision Decide(Obligation obligation, IReadOnlyCollection<ExpiryStage> recorded, DateTimeOffset now)
    {
        if (obligation.Attested) return NoticeDecision.Nothing;
        var due = Enum.GetValues<ExpiryStage>()
            .Where(s => !recorded.Contains(s) && DueAt(obligation, s) is { } at && at <= now)
            .ToList();
        if (due.Count == 0) return NoticeDecision.Nothing;
        var send = due.Max();
        return new NoticeDecision(send, due.Where(s => s != send).ToList());
    }
}

/// <summary>The stage to send now, if any, and the earlier stages it makes pointless.</summary>
public sealed record NoticeDecision(ExpiryStage? Send, IReadOnlyList<ExpiryStage> Superseded)
{
    public static NoticeDecision Nothing { get; } = new(null, []);
}

public enum NoticeOutcome
{
    Sent = 1,
    /// <summary>Fell due while a later stage did too; that one was sent instead.</summary>
    Superseded = 2,
}

/// <summary>
/// The record that a stage was decided for one group of a license's items: the job's memory, so a rerun or a
/// retry never sends it again. Unique per license, basis, end and stage in the database too, so two runs racing
/// cannot both send.
/// </summary>
public sealed class ExpiryNoticeRecord
{
    private ExpiryNoticeRecord() { }

    public ExpiryNoticeRecord(Guid id, Guid licenseId, Guid organisationId, DutyBasis basis, DateTimeOffset endsAt, ExpiryStage stage,
        NoticeOutcome outcome, int recipients, DateTimeOffset at)
    {
        Id = id; LicenseId = licenseId; OrganisationId = organisationId; Basis = basis; EndsAt = endsAt; Stage = stage;
        Outcome = outcome; Recipients = recipients; At = at;
    }

    public Guid Id { get; private set; }
    public Guid LicenseId { get; private set; }
    public Guid OrganisationId { get; private set; }
    public DutyBasis Basis { get; private set; }
    public DateTimeOffset EndsAt { get; private set; }
    public ExpiryStage Stage { get; private set; }
    public NoticeOutcome Outcome { get; private set; }
    /// <summary>How many people were notified (organisation members, plus admins for escalations).</summary>
    public int Recipients { get; private set; }
    public DateTimeOffset At { get; private set; }
}
