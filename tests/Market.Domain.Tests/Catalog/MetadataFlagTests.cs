using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Catalog;

public class MetadataFlagTests
{
    private const string AiUri = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    private static void ReadyToList(Work work)
    {
        work.GrantConsent(Creator, ticked: true, ConsentText.CurrentVersion, null, Now);
        work.AddOffer(Creator, Guid.NewGuid(), LicenseTerms.OneYearGenerative, new Price(4900, "EUR"), Now);
    }

    // Upload

    [Fact]
    public void The_uploader_is_the_sole_rights_holder_with_the_whole_share_confirmed_and_paid_to_their_account()
    {
        var work = Work.Upload(Guid.NewGuid(), Creator, "Harbour at dusk", null, Image, Now, "  Zoë Åkesson ");

        var holder = work.RightsHolders.ShouldHaveSingleItem();
        holder.WorkId.ShouldBe(work.Id);
        holder.Name.ShouldBe("Zoë Åkesson");
        holder.Email.ShouldBeNull();
        holder.UserId.ShouldBe(Creator);
        holder.PayeeId.ShouldBe(Creator);
        holder.Role.ShouldBe(RightsHolderRole.Creator);
        holder.SplitBasisPoints.ShouldBe(Shares.Whole);
        holder.Status.ShouldBe(ShareStatus.Confirmed);
        holder.RequestedAt.ShouldBe(Now);
        holder.RespondedAt.ShouldBe(Now);
        work.HoldersConfirmed.ShouldBeTrue();
        work.Flags.ShouldBeEmpty();
        work.Status.ShouldBe("draft");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void Without_a_display_name_the_creator_s_share_is_named_the_creator(string? creatorName) =>
        Work.Upload(Guid.NewGuid(), Creator, "Harbour at dusk", null, Image, Now, creatorName)
            .RightsHolders.ShouldHaveSingleItem().Name.ShouldBe("The creator");

    [Fact]
    public void A_creator_name_longer_than_a_holder_name_may_be_is_shortened_for_the_share()
    {
        var work = Work.Upload(Guid.NewGuid(), Creator, "Harbour at dusk", null, Image, Now, new string('z', RightsHolder.MaxNameLength + 50));

        work.RightsHolders.Single().Name.ShouldBe(new string('z', RightsHolder.MaxNameLength));
    }

    [Fact]
    public void The_file_s_metadata_is_kept_with_the_work()
    {
        var metadata = new EmbeddedMetadata("Harbour", "Zoë Åkesson", "© 2026 Zoë Åkesson", "Dusk over the harbour", DigitalSourceTypes.DigitalCapture);

        var work = Work.Upload(Guid.NewGuid(), Creator, "Harbour at dusk", null, Image, Now, "Zoë Åkesson", metadata);

        work.Metadata.ShouldBe(metadata);
    }

    [Fact]
    public void A_file_without_metadata_keeps_none()
    {
        var work = Work.Upload(Guid.NewGuid(), Creator, "Harbour at dusk", null, Image, Now, "Zoë Åkesson");

        work.Metadata.IsEmpty.ShouldBeTrue();
        work.Flags.ShouldBeEmpty();
    }

    // Raising flags

    [Fact]
    public void Metadata_naming_another_person_as_creator_raises_a_flag_naming_both()
    {
        var work = UploadedWith(metadataCreator: "Ben Lens", creatorName: "Zoë Åkesson");

        var flag = work.Flags.ShouldHaveSingleItem();
        flag.Kind.ShouldBe(FlagKind.MetadataNamesAnotherCreator);
        flag.WorkId.ShouldBe(work.Id);
        flag.RaisedAt.ShouldBe(Now);
        flag.IsOpen.ShouldBeTrue();
        flag.Answer.ShouldBeNull();
        flag.Detail.ShouldBe("The file's metadata names \"Ben Lens\" as its creator, not you (Zoë Åkesson).");
        work.HasOpenFlags.ShouldBeTrue();
        work.Status.ShouldBe("flagged");
    }

    [Theory]
    [InlineData("Zoë Åkesson")]
    [InlineData("zoe akesson")]
    [InlineData("ZOE AKESSON")]
    [InlineData("© Zoe Akesson Studio")]
    [InlineData("Photo: Zoë Åkesson, 2026")]
    [InlineData("Ben Lens; zoe akesson")]
    [InlineData("zoe akesson;Ben Lens;")]
    public void The_creator_spelled_differently_or_among_several_creators_raises_no_flag(string metadataCreator)
    {
        var work = UploadedWith(metadataCreator: metadataCreator, creatorName: "Zoë Åkesson");

        work.Flags.ShouldBeEmpty();
        work.Status.ShouldBe("draft");
    }

    [Theory]
    [InlineData("Ben Lens; Ada Painter")]
    [InlineData("Akesson Zoe")]
    [InlineData("Zoey Akesson")]
    public void Metadata_naming_only_other_people_raises_the_flag(string metadataCreator) =>
        UploadedWith(metadataCreator: metadataCreator, creatorName: "Zoë Åkesson")
            .Flags.ShouldHaveSingleItem().Kind.ShouldBe(FlagKind.MetadataNamesAnotherCreator);

    [Fact]
    public void A_creator_without_a_display_name_is_flagged_when_the_file_names_anyone()
    {
        var work = UploadedWith(metadataCreator: "Zoë Åkesson", creatorName: null);

        work.Flags.ShouldHaveSingleItem().Detail.ShouldBe("The file's metadata names \"Zoë Åkesson\" as its creator, not you (The creator).");
    }

    [Fact]
    public void A_flag_s_detail_is_capped_at_its_column_length()
    {
        var work = UploadedWith(metadataCreator: new string('b', EmbeddedMetadata.MaxFieldLength), creatorName: new string('z', RightsHolder.MaxNameLength));

        work.Flags.Single().Detail.Length.ShouldBe(WorkFlag.MaxDetailLength);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("©")]
    [InlineData(";")]
    [InlineData(" ; ")]
    public void A_creator_field_that_names_nobody_raises_no_flag(string metadataCreator) =>
        UploadedWith(metadataCreator: metadataCreator, creatorName: "Zoë Åkesson").Flags.ShouldBeEmpty();

    [Theory]
    [InlineData(DigitalSourceTypes.TrainedAlgorithmicMedia)]
    [InlineData(AiUri)]
    [InlineData("https://CV.IPTC.ORG/newscodes/digitalsourcetype/trainedAlgorithmicMedia/")]
    [InlineData("digsrctype:trainedAlgorithmicMedia")]
    [InlineData(DigitalSourceTypes.CompositeWithTrainedAlgorithmicMedia)]
    [InlineData(DigitalSourceTypes.CompositeSynthetic)]
    public void A_file_declared_ai_generated_raises_a_flag_but_is_not_labelled_until_the_creator_answers(string sourceType)
    {
        var work = UploadedWith(digitalSourceType: sourceType);

        var flag = work.Flags.ShouldHaveSingleItem();
        flag.Kind.ShouldBe(FlagKind.DeclaredAiGenerated);
        flag.Detail.ShouldBe($"The file's metadata declares it AI-generated (IPTC digital source type \"{sourceType}\").");
        work.AiGenerated.ShouldBeFalse();
        work.Status.ShouldBe("flagged");
    }

    [Theory]
    [InlineData(DigitalSourceTypes.AlgorithmicMedia)]
    [InlineData(DigitalSourceTypes.DigitalCapture)]
    [InlineData("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture")]
    [InlineData("http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia")]
    [InlineData("http://example.com/trainedAlgorithmicMedia")]
    [InlineData(null)]
    public void A_file_not_declared_ai_generated_raises_no_flag(string? sourceType)
    {
        var work = UploadedWith(digitalSourceType: sourceType);

        work.Flags.ShouldBeEmpty();
        work.AiGenerated.ShouldBeFalse();
    }

    [Fact]
    public void A_file_naming_someone_else_and_declared_ai_generated_raises_both_flags() =>
        UploadedWith(metadataCreator: "Ben Lens", digitalSourceType: AiUri).Flags.Select(f => f.Kind)
            .ShouldBe([FlagKind.MetadataNamesAnotherCreator, FlagKind.DeclaredAiGenerated], ignoreOrder: true);

    // Listing while flagged

    [Fact]
    public void A_work_with_an_open_flag_cannot_be_submitted_for_listing()
    {
        var work = UploadedWith(metadataCreator: "Ben Lens");
        ReadyToList(work);

        Should.Throw<DomainException>(() => work.SubmitForListing(Creator))
            .Message.ShouldBe("Answer the questions about the file's metadata before listing the work.");
        work.State.ShouldBe(WorkState.Draft);
    }

    [Fact]
    public void A_work_is_listed_once_every_flag_is_answered()
    {
        var work = UploadedWith(metadataCreator: "Ben Lens", digitalSourceType: AiUri);
        ReadyToList(work);
        var nameFlag = work.Flags.Single(f => f.Kind == FlagKind.MetadataNamesAnotherCreator);
        var aiFlag = work.Flags.Single(f => f.Kind == FlagKind.DeclaredAiGenerated);

        work.AnswerFlag(Creator, nameFlag.Id, FlagAnswer.RightsConfirmed, Now);
        Should.Throw<DomainException>(() => work.SubmitForListing(Creator));
        work.AnswerFlag(Creator, aiFlag.Id, FlagAnswer.AiGeneratedDenied, Now);
        work.SubmitForListing(Creator);

        work.State.ShouldBe(WorkState.Scanning);
    }

    // Answering

    [Fact]
    public void Answering_a_flag_records_the_answer_who_gave_it_and_when()
    {
        var work = UploadedWith(metadataCreator: "Ben Lens");
        var flag = work.Flags.Single();
        var later = Now.AddMinutes(7);

        work.AnswerFlag(Creator, flag.Id, FlagAnswer.RightsConfirmed, later);

        flag.IsOpen.ShouldBeFalse();
        flag.Answer.ShouldBe(FlagAnswer.RightsConfirmed);
        flag.AnsweredBy.ShouldBe(Creator);
        flag.AnsweredAt.ShouldBe(later);
        work.Flags.ShouldHaveSingleItem();
        work.HasOpenFlags.ShouldBeFalse();
        work.Status.ShouldBe("draft");
        work.AiGenerated.ShouldBeFalse();
    }

    [Fact]
    public void Confirming_the_work_is_ai_generated_labels_it_so()
    {
        var work = UploadedWith(digitalSourceType: AiUri);

        work.AnswerFlag(Creator, work.Flags.Single().Id, FlagAnswer.AiGeneratedConfirmed, Now);

        work.AiGenerated.ShouldBeTrue();
        work.HasOpenFlags.ShouldBeFalse();
    }

    [Fact]
    public void Denying_the_work_is_ai_generated_leaves_it_unlabelled()
    {
        var work = UploadedWith(digitalSourceType: AiUri);

        work.AnswerFlag(Creator, work.Flags.Single().Id, FlagAnswer.AiGeneratedDenied, Now);

        work.AiGenerated.ShouldBeFalse();
        work.Flags.Single().Answer.ShouldBe(FlagAnswer.AiGeneratedDenied);
    }

    [Theory]
    [InlineData("Ben Lens", null, FlagAnswer.AiGeneratedConfirmed)]
    [InlineData("Ben Lens", null, FlagAnswer.AiGeneratedDenied)]
    [InlineData("Ben Lens", null, (FlagAnswer)99)]
    [InlineData(null, AiUri, FlagAnswer.RightsConfirmed)]
    [InlineData(null, AiUri, (FlagAnswer)0)]
    public void An_answer_that_does_not_fit_the_flag_is_refused_and_the_flag_stays_open(string? metadataCreator, string? sourceType, FlagAnswer answer)
    {
        var work = UploadedWith(metadataCreator: metadataCreator, digitalSourceType: sourceType);
        var flag = work.Flags.Single();

        Should.Throw<DomainException>(() => work.AnswerFlag(Creator, flag.Id, answer, Now))
            .Message.ShouldBe("That answer does not fit this flag.");
        flag.IsOpen.ShouldBeTrue();
        flag.AnsweredBy.ShouldBeNull();
        work.AiGenerated.ShouldBeFalse();
    }

    [Fact]
    public void A_flag_cannot_be_answered_twice()
    {
        var work = UploadedWith(digitalSourceType: AiUri);
        var flag = work.Flags.Single();
        work.AnswerFlag(Creator, flag.Id, FlagAnswer.AiGeneratedDenied, Now);

        Should.Throw<DomainException>(() => work.AnswerFlag(Creator, flag.Id, FlagAnswer.AiGeneratedConfirmed, Now.AddDays(1)))
            .Message.ShouldBe("This flag was already answered.");
        flag.Answer.ShouldBe(FlagAnswer.AiGeneratedDenied);
        flag.AnsweredAt.ShouldBe(Now);
        work.AiGenerated.ShouldBeFalse();
    }

    [Fact]
    public void Only_the_creator_can_answer_a_flag()
    {
        var work = UploadedWith(digitalSourceType: AiUri);
        var flag = work.Flags.Single();

        Should.Throw<DomainException>(() => work.AnswerFlag(OtherCreator, flag.Id, FlagAnswer.AiGeneratedConfirmed, Now))
            .Message.ShouldBe("Only the work's creator can do that.");
        flag.IsOpen.ShouldBeTrue();
        work.AiGenerated.ShouldBeFalse();
    }

    [Fact]
    public void A_flag_of_another_work_cannot_be_answered()
    {
        var work = UploadedWith(digitalSourceType: AiUri);
        var other = UploadedWith(digitalSourceType: AiUri);

        Should.Throw<DomainException>(() => work.AnswerFlag(Creator, other.Flags.Single().Id, FlagAnswer.AiGeneratedConfirmed, Now))
            .Message.ShouldBe("There is no such flag on this work.");
        work.HasOpenFlags.ShouldBeTrue();
        other.HasOpenFlags.ShouldBeTrue();
    }
}
