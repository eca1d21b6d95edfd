using Market.Domain.Licensing;
using static Market.Domain.Tests.TestWorks;

namespace Market.Domain.Tests.Licensing;

public class TrainingRunTests
{
    // A one-year license issued at Now (TestWorks' offers run 12 months).
    private static License OneYearLicense()
    {
        var work = Listed();
        var bundle = Bundle.Open(Guid.NewGuid(), Guid.NewGuid(), "buyer-1", Now);
        bundle.Add(work, work.OnlyOfferId(), Now);
        var order = Order.Place(Guid.NewGuid(), bundle, "buyer-1", ById([work]), "test", Now);
        order.MarkPaid(order.TotalMinor, order.Currency, "pi_1", Now);
        return License.Issue(Guid.NewGuid(), order, _ => "Ada Painter", Now);
    }

    private static readonly DateOnly IssueDay = DateOnly.FromDateTime(Now.UtcDateTime);

    [Fact]
    public void A_run_within_the_license_is_recorded_with_who_what_and_when()
    {
        var license = OneYearLicense();
        var run = TrainingRun.Report(Guid.NewGuid(), license, "buyer-1", "  Painter-XL ", " 2.1 ", IssueDay.AddDays(10), Now.AddDays(11));

        run.ModelName.ShouldBe("Painter-XL");
        run.ModelVersion.ShouldBe("2.1");
        run.LicenseId.ShouldBe(license.Id);
        run.OrganisationId.ShouldBe(license.OrganisationId);
        run.ReportedByUserId.ShouldBe("buyer-1");
        run.ReportedAt.ShouldBe(Now.AddDays(11));
    }

    [Theory]
    [InlineData(null, "1.0", "Name the model that was trained.")]
    [InlineData("  ", "1.0", "Name the model that was trained.")]
    [InlineData("Painter", "", "Give the model's version.")]
    public void A_run_without_a_model_or_version_is_refused(string? model, string? version, string message) =>
        Should.Throw<DomainException>(() => TrainingRun.Report(Guid.NewGuid(), OneYearLicense(), "buyer-1", model, version, IssueDay, Now))
            .Message.ShouldBe(message);

    [Fact]
    public void Overlong_names_are_refused()
    {
        var license = OneYearLicense();
        Should.Throw<DomainException>(() => TrainingRun.Report(Guid.NewGuid(), license, "b", new string('m', TrainingRun.MaxModelNameLength + 1), "1", IssueDay, Now));
        Should.Throw<DomainException>(() => TrainingRun.Report(Guid.NewGuid(), license, "b", "m", new string('v', TrainingRun.MaxModelVersionLength + 1), IssueDay, Now));
    }

    [Fact]
    public void A_run_dated_in_the_future_before_the_license_or_after_it_ended_is_refused()
    {
        var license = OneYearLicense();
        Should.Throw<DomainException>(() => TrainingRun.Report(Guid.NewGuid(), license, "b", "M", "1", IssueDay.AddDays(2), Now.AddDays(1)))
            .Message.ShouldContain("in the future");
        Should.Throw<DomainException>(() => TrainingRun.Report(Guid.NewGuid(), license, "b", "M", "1", IssueDay.AddDays(-1), Now))
            .Message.ShouldContain("was issued on");
        Should.Throw<DomainException>(() => TrainingRun.Report(Guid.NewGuid(), license, "b", "M", "1", IssueDay.AddMonths(13), Now.AddMonths(14)))
            .Message.ShouldContain("ended by");
    }
}
