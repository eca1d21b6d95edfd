using System.Net;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>Buyers report training runs; the creators whose works were used hear of it and see it on their dashboard.</summary>
public sealed class TrainingRunTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task A_reported_run_is_listed_on_the_license_told_to_the_creator_and_shown_on_their_dashboard()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await creator.ListAsync(App, "Harbour at dusk");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        await buyer.AddToBundleAsync(id);
        var licenseId = await buyer.PayWithTestProviderAsync((await buyer.CheckoutAsync()).Headers.Location!.OriginalString);
        var today = DateOnly.FromDateTime(Now().UtcDateTime).ToString("yyyy-MM-dd");

        var response = await buyer.SubmitAsync($"/Licenses/Details/{licenseId}",
            new Dictionary<string, string> { ["ModelName"] = "Painter-XL", ["ModelVersion"] = "2.1", ["TrainedOn"] = today }, handler: "TrainingRun");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());

        (await buyer.PageAsync($"/Licenses/Details/{licenseId}")).Text("[data-testid=runs]").ShouldContain("Painter-XL");
        var notice = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.TrainingRunReported));
        notice.Subject.ShouldBe("Lab Inc trained Painter-XL 2.1 on your work");
        notice.Body.ShouldContain("“Harbour at dusk”");
        await App.WaitForMailAsync("ana@example.test", "trained Painter-XL");
        var dashboard = await creator.PageAsync("/Works");
        dashboard.Text("[data-testid=training-runs]").ShouldContain("Lab Inc");
        dashboard.Text("[data-testid=training-runs]").ShouldContain("Harbour at dusk");
    }

    [Fact]
    public async Task A_run_in_the_future_or_on_another_organisations_license_is_refused_and_records_nothing()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var id = await creator.ListAsync(App, "Harbour at dusk");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        await buyer.AddToBundleAsync(id);
        var licenseId = await buyer.PayWithTestProviderAsync((await buyer.CheckoutAsync()).Headers.Location!.OriginalString);
        var tomorrow = DateOnly.FromDateTime(Now().UtcDateTime).AddDays(1).ToString("yyyy-MM-dd");

        var future = await buyer.SubmitAsync($"/Licenses/Details/{licenseId}",
            new Dictionary<string, string> { ["ModelName"] = "M", ["ModelVersion"] = "1", ["TrainedOn"] = tomorrow }, handler: "TrainingRun");
        (await WebSession.ParseAsync(future)).Errors().ShouldContain("in the future");

        var other = await this.SignUpBuyerAsync("cy@other.test", "Other Lab");
        var foreign = await other.PostWithTokenAsync($"/Licenses/Details/{licenseId}?handler=TrainingRun", "/Bundles",
            new Dictionary<string, string> { ["ModelName"] = "M", ["ModelVersion"] = "1", ["TrainedOn"] = "2026-01-01" });
        foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Db(db => db.TrainingRuns.CountAsync())).ShouldBe(0);
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.TrainingRunReported))).ShouldBe(0);
    }
}
