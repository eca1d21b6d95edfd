using Market.Domain.Licensing;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Licensing;

public class DeletionAttestationTests
{
    private static readonly Guid LicenseId = Guid.NewGuid();
    private static readonly Guid OrganisationId = Guid.NewGuid();
    private static readonly DateTimeOffset End = Now.AddMonths(12);
    private static readonly DateOnly EndDay = DateOnly.FromDateTime(End.UtcDateTime);
    private static readonly DateTimeOffset AfterEnd = End.AddDays(5);

    private static ItemTerm Item(ExpiryDuty duty = ExpiryDuty.DeleteData, bool attested = false, DateTimeOffset? takenDownAt = null) =>
        new(Guid.NewGuid(), LicenseId, "Harbour", Now, End, duty, 30, takenDownAt, attested);

    private static Obligation Group(params ItemTerm[] items) =>
        ExpirySchedule.Obligations(items.Length == 0 ? [Item()] : items).ShouldHaveSingleItem();

    private static AttestationForm Form(
        string? name = "Jane Roe", string? title = "Head of data", bool deleted = true, bool models = false, bool none = true,
        string? statement = "Deleted the training bucket and its snapshots.", DateOnly? doneOn = null, string? early = null) =>
        new(name, title, deleted, models, none, statement, doneOn ?? EndDay.AddDays(2), early);

    private static DeletionAttestation Sign(AttestationForm form, Obligation? group = null, int runs = 0, DateTimeOffset? now = null,
        string? userAgent = "Firefox") =>
        DeletionAttestation.Sign(Guid.NewGuid(), group ?? Group(), OrganisationId, Now, "buyer-1", form, runs, "198.51.100.4", userAgent, now ?? AfterEnd);

    [Fact]
    public void A_signed_attestation_records_who_what_when_and_from_where_for_every_open_item()
    {
        var open = Item();
        var done = Item(attested: true);
        var group = Group(open, done);

        var a = Sign(Form(name: "  Jane   Roe ", title: " Head of data ", statement: " Deleted the bucket. "), group);

        a.LicenseId.ShouldBe(LicenseId);
        a.OrganisationId.ShouldBe(OrganisationId);
        a.Items.Select(i => i.LicenseItemId).ShouldBe([open.ItemId]);
        a.Items.ShouldAllBe(i => i.AttestationId == a.Id);
        (a.SignerName, a.SignerTitle, a.Statement, a.SignedByUserId).ShouldBe(("Jane Roe", "Head of data", "Deleted the bucket.", "buyer-1"));
        a.DataDeleted.ShouldBeTrue();
        a.NoModelsTrained.ShouldBeTrue();
        a.ModelsDestroyedOrRetrained.ShouldBeFalse();
        a.DoneOn.ShouldBe(EndDay.AddDays(2));
        a.SignedAt.ShouldBe(AfterEnd);
        (a.Basis, a.EndsAt, a.DueAt, a.Duty).ShouldBe((DutyBasis.Expiry, End, End.AddDays(30), ExpiryDuty.DeleteData));
        (a.RemoteAddress, a.UserAgent).ShouldBe(("198.51.100.4", "Firefox"));
        a.IsEarly.ShouldBeFalse();
        a.WasLate.ShouldBeFalse();
    }

    [Fact]
    public void Items_attested_already_cannot_be_attested_again() =>
        Should.Throw<DomainException>(() => Sign(Form(), Group(Item(attested: true))))
            .Message.ShouldBe("These items have been attested already.");

    [Theory]
    [InlineData(null, "CTO", "Type your full name to sign the attestation.")]
    [InlineData("  J ", "CTO", "Type your full name to sign the attestation.")]
    [InlineData("Jane Roe", "   ", "Give your role or title in the organisation.")]
    [InlineData("Jane Roe", null, "Give your role or title in the organisation.")]
    public void The_signer_must_give_a_name_and_a_title(string? name, string? title, string message) =>
        Should.Throw<DomainException>(() => Sign(Form(name: name, title: title))).Message.ShouldBe(message);

    [Fact]
    public void Overlong_name_title_statement_and_reason_are_refused()
    {
        Should.Throw<DomainException>(() => Sign(Form(name: new string('a', DeletionAttestation.MaxNameLength + 1)))).Message.ShouldContain("at most 200");
        Should.Throw<DomainException>(() => Sign(Form(title: new string('a', DeletionAttestation.MaxTitleLength + 1)))).Message.ShouldContain("at most 120");
        Should.Throw<DomainException>(() => Sign(Form(statement: new string('a', DeletionAttestation.MaxStatementLength + 1)))).Message.ShouldContain("at most 4000");
        Should.Throw<DomainException>(() => Sign(Form(doneOn: EndDay.AddDays(-1), early: new string('a', DeletionAttestation.MaxEarlyReasonLength + 1))))
            .Message.ShouldContain("at most 1000");
    }

    [Fact]
    public void Nothing_is_signed_until_the_data_is_deleted() =>
        Should.Throw<DomainException>(() => Sign(Form(deleted: false)))
            .Message.ShouldBe("Confirm that the data has been deleted from all storage, backups included. Do not sign until it has been.");

    [Fact]
    public void Models_destroyed_and_no_models_trained_contradict_each_other() =>
        Should.Throw<DomainException>(() => Sign(Form(models: true, none: true))).Message.ShouldStartWith("Tick one of the two");

    [Fact]
    public void When_the_terms_require_destroying_models_the_signer_must_say_what_became_of_them()
    {
        var group = Group(Item(duty: ExpiryDuty.DestroyOrRetrainModels));

        Should.Throw<DomainException>(() => Sign(Form(models: false, none: false), group))
            .Message.ShouldStartWith("The license requires every model trained on this data to be destroyed or retrained");
        Sign(Form(models: true, none: false), group).ModelsDestroyedOrRetrained.ShouldBeTrue();
        Sign(Form(models: false, none: true), group).NoModelsTrained.ShouldBeTrue();
        Sign(Form(models: false, none: false)).ModelsText.ShouldBe("models not covered (the terms did not require it)");
    }

    [Fact]
    public void No_models_trained_is_not_credible_when_training_runs_were_reported()
    {
        Should.Throw<DomainException>(() => Sign(Form(none: true), runs: 2))
            .Message.ShouldStartWith("2 training runs were reported on this license");
        Sign(Form(models: true, none: false), runs: 2).ModelsDestroyedOrRetrained.ShouldBeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void The_signer_describes_what_was_deleted(string? statement) =>
        Should.Throw<DomainException>(() => Sign(Form(statement: statement))).Message.ShouldBe("Describe what was deleted or destroyed, and where.");

    [Fact]
    public void The_deletion_date_is_required_not_in_the_future_and_not_before_the_license()
    {
        Should.Throw<DomainException>(() => Sign(Form() with { DoneOn = null })).Message.ShouldBe("Give the date the deletion was completed.");
        Should.Throw<DomainException>(() => Sign(Form(doneOn: DateOnly.FromDateTime(AfterEnd.UtcDateTime).AddDays(1))))
            .Message.ShouldBe("The deletion date is in the future. Sign once the deletion is done.");
        Should.Throw<DomainException>(() => Sign(Form(doneOn: DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-1), early: "Stopped")))
            .Message.ShouldBe("The license was issued on 2026-11-02; a deletion before that cannot have been of its data.");
        Sign(Form(doneOn: DateOnly.FromDateTime(AfterEnd.UtcDateTime))).DoneOn.ShouldBe(DateOnly.FromDateTime(AfterEnd.UtcDateTime));
    }

    [Fact]
    public void Attesting_before_the_end_needs_a_stated_reason_and_is_marked_early()
    {
        var before = End.AddDays(-20);
        var doneOn = DateOnly.FromDateTime(before.UtcDateTime);

        Should.Throw<DomainException>(() => Sign(Form(doneOn: doneOn), now: before))
            .Message.ShouldBe("These items run until 2027-11-02. To attest a deletion before then, say why (for example, that you stopped using the data).");
        Should.Throw<DomainException>(() => Sign(Form(doneOn: doneOn, early: "  "), now: before)).Message.ShouldStartWith("These items run until");

        var a = Sign(Form(doneOn: doneOn, early: " We stopped the project. "), now: before);
        a.IsEarly.ShouldBeTrue();
        a.EarlyReason.ShouldBe("We stopped the project.");
    }

    [Fact]
    public void A_deletion_dated_before_the_end_needs_the_reason_even_when_signed_after_it_and_a_reason_for_an_ordinary_one_is_dropped()
    {
        Should.Throw<DomainException>(() => Sign(Form(doneOn: EndDay.AddDays(-3)))).Message.ShouldStartWith("These items run until");
        Sign(Form(doneOn: EndDay.AddDays(-3), early: "Project stopped")).IsEarly.ShouldBeTrue();

        var ordinary = Sign(Form(doneOn: EndDay, early: "not needed"));
        ordinary.IsEarly.ShouldBeFalse();
        ordinary.EarlyReason.ShouldBeNull();
    }

    [Fact]
    public void A_takedown_attestation_counts_from_the_takedown_and_late_signing_is_visible()
    {
        var takenDown = Now.AddMonths(2);
        var group = Group(Item(takenDownAt: takenDown));

        var a = Sign(Form(doneOn: DateOnly.FromDateTime(takenDown.UtcDateTime).AddDays(1)), group, now: takenDown.AddDays(40));

        (a.Basis, a.EndsAt, a.DueAt).ShouldBe((DutyBasis.Takedown, takenDown, takenDown.AddDays(30)));
        a.IsEarly.ShouldBeFalse();
        a.WasLate.ShouldBeTrue();
    }

    [Fact]
    public void A_long_user_agent_is_clipped_like_a_consent_record_s()
    {
        Sign(Form(), userAgent: new string('x', 1000)).UserAgent!.Length.ShouldBe(DeletionAttestation.MaxUserAgentLength);
    }
}
