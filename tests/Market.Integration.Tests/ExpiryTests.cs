using System.Net;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Features.Licenses;
using Market.Web.Identity;
using Market.Web.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests;

/// <summary>
/// The end of a license: reminders, the notice that access ended, the deletion attestation and the escalation
/// when it is overdue. The test's clock is moved to each moment and the expiry job is run directly, twice where
/// it matters, since running it again must never send again.
/// </summary>
public sealed class ExpiryTests(MarketAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Reminders_30_and_7_days_before_the_end_reach_every_member_once_and_no_other_organisation()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var harbour = await creator.ListAsync(App, "Harbour");
        var fields = await creator.ListWithTermsAsync(App, "Fields", termMonths: 24);
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        await App.AddMemberAsync("bo@lab.test", "cy@lab.test");
        var licenseId = await buyer.BuyAsync(harbour);
        var rival = await this.SignUpBuyerAsync("di@rival.test", "Rival Lab");
        await rival.BuyAsync(fields);
        var end = await EndOfAsync(licenseId);
        var lab = new[] { await UserIdAsync("bo@lab.test"), await UserIdAsync("cy@lab.test") };
        var rivalId = await UserIdAsync("di@rival.test");

        App.MoveClockTo(end.AddDays(-31));
        await App.RunExpiryJobAsync();
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.LicenseExpiring))).ShouldBe(0);

        App.MoveClockTo(end.AddDays(-30).AddMinutes(1));
        await App.RunExpiryJobAsync();
        await App.RunExpiryJobAsync();
        foreach (var member in lab)
            (await Db(db => db.Notifications.Where(n => n.UserId == member && n.Kind == NotificationKind.LicenseExpiring).Select(n => n.Subject).ToListAsync()))
                .ShouldBe(["“Harbour”: your license ends in 30 days"]);
        (await Db(db => db.OutboxEmails.CountAsync(m => m.To == "bo@lab.test" && m.Subject.Contains("in 30 days")))).ShouldBe(1);

        App.MoveClockTo(end.AddDays(-7).AddMinutes(1));
        await App.RunExpiryJobAsync();
        await App.RunExpiryJobAsync();
        foreach (var member in lab)
            (await Db(db => db.Notifications.Where(n => n.UserId == member && n.Kind == NotificationKind.LicenseExpiring).Select(n => n.Subject).ToListAsync()))
                .ShouldBe(["“Harbour”: your license ends in 30 days", "“Harbour”: your license ends in 7 days"],
                    ignoreOrder: true);
        (await Db(db => db.Notifications.CountAsync(n => n.UserId == rivalId))).ShouldBe(0, "the other organisation's license ends a year later");

        var mail = await App.WaitForMailAsync("cy@lab.test", "in 7 days");
        mail.TextBody.ShouldContain("“Harbour”");
        mail.TextBody.ShouldContain("delete the data");
        Mailbox.LinkIn(mail, "/Licenses/Details/").ShouldEndWith($"/Licenses/Details/{licenseId}");
        var notices = await Db(db => db.ExpiryNotices.Where(n => n.LicenseId == licenseId).ToListAsync());
        notices.OrderBy(n => n.Stage).Select(n => (n.Stage, n.Outcome, n.Recipients))
            .ShouldBe([(ExpiryStage.FirstReminder, NoticeOutcome.Sent, 2), (ExpiryStage.SecondReminder, NoticeOutcome.Sent, 2)]);
    }

    [Fact]
    public async Task At_the_end_access_stops_and_the_organisation_is_told_an_attestation_is_due_without_late_reminders()
    {
        var licenseId = await BoughtLicenseAsync();
        var end = await EndOfAsync(licenseId);

        App.MoveClockTo(end.AddMinutes(5));
        await App.RunExpiryJobAsync();
        await App.RunExpiryJobAsync();

        var notice = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.LicenseExpired));
        notice.Subject.ShouldBe($"“Harbour”: license ended; attest deletion by {end.AddDays(30):yyyy-MM-dd}");
        notice.Body.ShouldContain(licenseId.ToString());
        notice.Body.ShouldContain("can no longer be downloaded");
        notice.Body.ShouldContain("delete the data from all storage, backups included");
        notice.Link.ShouldStartWith($"/Licenses/Attest/{licenseId}?group=e");
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.LicenseExpiring))).ShouldBe(0, "a reminder after the end is pointless");
        (await Db(db => db.ExpiryNotices.Where(n => n.LicenseId == licenseId).Select(n => new { n.Stage, n.Outcome }).ToListAsync()))
            .OrderBy(n => n.Stage).Select(n => (n.Stage, n.Outcome))
            .ShouldBe([(ExpiryStage.FirstReminder, NoticeOutcome.Superseded), (ExpiryStage.SecondReminder, NoticeOutcome.Superseded), (ExpiryStage.Ended, NoticeOutcome.Sent)]);
        (await Db(db => db.Licenses.Include(l => l.Items).SingleAsync(l => l.Id == licenseId))).DeliverableItems(Now()).ShouldBeEmpty();

        // The session from before the jump has expired; a fresh one sees the status and the way to sign.
        var buyer = await this.SignInAsync("bo@lab.test");
        var status = (await buyer.PageAsync($"/Licenses/Details/{licenseId}")).Text("[data-testid=obligation-status]");
        status.ShouldContain("Due");
        status.ShouldContain("Sign the attestation");
    }

    [Fact]
    public async Task The_attestation_form_refuses_bad_input_recording_nothing_then_signs_once_and_tells_the_creator()
    {
        var licenseId = await BoughtLicenseAsync();
        var end = await EndOfAsync(licenseId);
        App.MoveClockTo(end.AddDays(2));
        var buyer = await this.SignInAsync("bo@lab.test");
        var page = $"/Licenses/Attest/{licenseId}";
        var today = DateOnly.FromDateTime(Now().UtcDateTime);

        var bad = new (Dictionary<string, string> Fields, string Error)[]
        {
            (Valid(today, without: "DataDeleted"), "deleted from all storage"),
            (Valid(today, with: ("DoneOn", today.AddDays(1).ToString("yyyy-MM-dd"))), "in the future"),
            (Valid(today, with: ("SignerName", "  ")), "Type your full name"),
            (Valid(today, with: ("SignerTitle", "")), "role or title"),
            (Valid(today, with: ("Statement", "")), "Describe what was deleted"),
            (Valid(today, with: ("ModelsDestroyedOrRetrained", "true")), "Tick one of the two"),
            (Valid(today, with: ("DoneOn", end.AddDays(-3).ToString("yyyy-MM-dd"))), "say why"),
            (Valid(today, with: ("Group", "e123")), "Choose which of the license's items"),
            (Valid(today, with: ("DoneOn", "")), "Give the date"),
        };
        foreach (var (fields, error) in bad)
        {
            var response = await buyer.SubmitAsync(page, fields);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, error);
            (await WebSession.ParseAsync(response)).Errors().ShouldContain(error);
        }
        (await Db(db => db.DeletionAttestations.CountAsync())).ShouldBe(0);
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.DeletionAttested))).ShouldBe(0);

        var signed = await buyer.SubmitAsync(page, Valid(today));
        signed.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(signed)).Errors());
        signed.Headers.Location!.OriginalString.ShouldBe($"/Licenses/Details/{licenseId}");

        var attestation = await Db(db => db.DeletionAttestations.Include(a => a.Items).SingleAsync());
        (attestation.SignerName, attestation.SignerTitle, attestation.DoneOn, attestation.IsEarly).ShouldBe(("Jane Roe", "Head of data", today, false));
        attestation.Items.ShouldHaveSingleItem();
        var told = await Db(db => db.Notifications.SingleAsync(n => n.Kind == NotificationKind.DeletionAttested));
        told.Subject.ShouldBe("Lab Inc attested deleting the data of your work");
        told.Body.ShouldContain("Jane Roe (Head of data)");
        (await buyer.PageAsync($"/Licenses/Details/{licenseId}")).Text("[data-testid=obligation-status]").ShouldContain("Attested");

        var creator = await this.SignInAsync("ana@example.test");
        var workId = await Db(db => db.Works.Select(w => w.Id).SingleAsync());
        var line = (await creator.PageAsync($"/Works/Details/{workId}")).Text("[data-testid=work-attestations]");
        line.ShouldContain("Lab Inc");
        line.ShouldContain($"signed {today:yyyy-MM-dd}");

        (await buyer.PageAsync(page)).Text("[data-testid=nothing-open]").ShouldContain("Every item of this license is attested");
        var again = await buyer.PostWithTokenAsync(page, $"/Licenses/Details/{licenseId}", Valid(today, with: ("Group", $"e{end.ToUnixTimeMilliseconds()}")));
        (await WebSession.ParseAsync(again)).Errors().ShouldContain("attested already");
        (await Db(db => db.DeletionAttestations.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task Another_organisation_can_neither_see_nor_sign_the_attestation()
    {
        var licenseId = await BoughtLicenseAsync();
        App.MoveClockTo((await EndOfAsync(licenseId)).AddDays(1));
        var rival = await this.SignUpBuyerAsync("di@rival.test", "Rival Lab");
        var group = $"e{(await EndOfAsync(licenseId)).ToUnixTimeMilliseconds()}";

        (await rival.GetAsync($"/Licenses/Attest/{licenseId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await rival.GetAsync($"/Licenses/Attest/{licenseId}?group={group}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var forged = await rival.PostWithTokenAsync($"/Licenses/Attest/{licenseId}", "/Bundles",
            Valid(DateOnly.FromDateTime(Now().UtcDateTime), with: ("Group", group)));
        forged.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Db(db => db.DeletionAttestations.CountAsync())).ShouldBe(0);

        var creator = await this.SignInAsync("ana@example.test");
        (await creator.GetAsync($"/Licenses/Attest/{licenseId}")).Headers.Location!.OriginalString.ShouldContain("AccessDenied");
    }

    [Fact]
    public async Task An_early_attestation_needs_a_reason_ends_access_to_the_items_and_ends_the_reminders()
    {
        var licenseId = await BoughtLicenseAsync();
        var end = await EndOfAsync(licenseId);
        App.MoveClockTo(end.AddDays(-60));
        var buyer = await this.SignInAsync("bo@lab.test");
        var today = DateOnly.FromDateTime(Now().UtcDateTime);
        var page = $"/Licenses/Attest/{licenseId}";
        (await buyer.PageAsync(page)).Text("[data-testid=early]").ShouldContain("still running");

        var noReason = await buyer.SubmitAsync(page, Valid(today));
        (await WebSession.ParseAsync(noReason)).Errors().ShouldContain($"These items run until {end:yyyy-MM-dd}");
        (await Db(db => db.DeletionAttestations.CountAsync())).ShouldBe(0);
        (await Db(db => db.Licenses.Include(l => l.Items).SingleAsync())).DeliverableItems(Now()).ShouldHaveSingleItem();

        var early = await buyer.SubmitAsync(page, Valid(today, with: ("EarlyReason", "The project was cancelled.")));
        early.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(early)).Errors());
        (await Db(db => db.DeletionAttestations.SingleAsync())).EarlyReason.ShouldBe("The project was cancelled.");
        (await Db(db => db.Licenses.Include(l => l.Items).SingleAsync())).DeliverableItems(Now()).ShouldBeEmpty("signing early ends the access");

        foreach (var at in new[] { end.AddDays(-30).AddMinutes(1), end.AddMinutes(1), end.AddDays(45) })
        {
            App.MoveClockTo(at);
            await App.RunExpiryJobAsync();
        }
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.LicenseExpiring || n.Kind == NotificationKind.LicenseExpired
                                                          || n.Kind == NotificationKind.AttestationOverdue))).ShouldBe(0);
    }

    [Fact]
    public async Task An_overdue_attestation_is_escalated_to_the_organisation_and_admins_once_per_stage_and_listed_for_admins_until_signed()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var work = await creator.ListWithTermsAsync(App, "Harbour", duty: ExpiryDuty.DestroyOrRetrainModels, attestWithinDays: 14);
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        var licenseId = await buyer.BuyAsync(work);
        var key = await App.CreateStaffAsync("admin@market.test", Roles.Admin);
        var end = await EndOfAsync(licenseId);
        var (bo, admin) = (await UserIdAsync("bo@lab.test"), await UserIdAsync("admin@market.test"));

        App.MoveClockTo(end.AddDays(14).AddHours(1));
        await App.RunExpiryJobAsync();
        await App.RunExpiryJobAsync();

        (await OverdueSubjectsAsync(bo)).ShouldBe(["“Harbour”: deletion attestation overdue"]);
        (await OverdueSubjectsAsync(admin)).ShouldBe(["Lab Inc: deletion attestation overdue for “Harbour”"]);
        var adminSession = await this.SignInAsync("admin@market.test", key);
        var report = await adminSession.PageAsync("/Admin/Attestations");
        var row = report.QuerySelectorAll("[data-testid=overdue-row]").ShouldHaveSingleItem();
        row.TextContent.ShouldContain("Lab Inc");
        row.TextContent.ShouldContain(licenseId.ToString());
        row.TextContent.ShouldContain("Harbour");
        row.QuerySelector("[data-testid=days-overdue]")!.TextContent.Trim().ShouldBe("0");
        row.QuerySelector("[data-testid=notices]")!.TextContent.ShouldContain("overdue notice");

        var buyerNow = await this.SignInAsync("bo@lab.test");
        (await buyerNow.GetAsync("/Admin/Attestations")).Headers.Location!.OriginalString.ShouldContain("AccessDenied");

        App.MoveClockTo(end.AddDays(28).AddHours(2));
        await App.RunExpiryJobAsync();
        await App.RunExpiryJobAsync();
        App.MoveClockTo(end.AddDays(90));
        await App.RunExpiryJobAsync();
        (await OverdueSubjectsAsync(bo)).Count.ShouldBe(2);
        (await OverdueSubjectsAsync(bo)).ShouldContain(s => s.StartsWith("Final notice:"));
        (await OverdueSubjectsAsync(admin)).Count.ShouldBe(2);
        (await OverdueSubjectsAsync(admin)).ShouldContain(s => s.Contains("still missing"));

        buyerNow = await this.SignInAsync("bo@lab.test");
        var today = DateOnly.FromDateTime(Now().UtcDateTime);
        var page = $"/Licenses/Attest/{licenseId}";
        (await buyerNow.PageAsync(page)).Text("[data-testid=duty]").ShouldContain("destroy every model trained on it");
        var withoutModels = await buyerNow.SubmitAsync(page, Valid(today, without: "NoModelsTrained"));
        (await WebSession.ParseAsync(withoutModels)).Errors().ShouldContain("requires every model trained on this data to be destroyed or retrained");
        var signed = await buyerNow.SubmitAsync(page, Valid(today, without: "NoModelsTrained", with: ("ModelsDestroyedOrRetrained", "true")));
        signed.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(signed)).Errors());

        adminSession = await this.SignInAsync("admin@market.test", key);
        report = await adminSession.PageAsync("/Admin/Attestations");
        report.QuerySelector("[data-testid=no-overdue]").ShouldNotBeNull();
        var audit = report.QuerySelectorAll("[data-testid=signed-row]").ShouldHaveSingleItem().TextContent;
        audit.ShouldContain("Jane Roe, Head of data");
        audit.ShouldContain("late");
        audit.ShouldContain("models destroyed or retrained");
        await App.RunExpiryJobAsync();
        (await OverdueSubjectsAsync(bo)).Count.ShouldBe(2);
    }

    private Task<List<string>> OverdueSubjectsAsync(string userId) =>
        Db(db => db.Notifications.Where(n => n.UserId == userId && n.Kind == NotificationKind.AttestationOverdue).OrderBy(n => n.CreatedAt)
            .Select(n => n.Subject).ToListAsync());

    /// <summary>Ana lists “Harbour” under the default offer (one year, delete the data, attest within 30 days); Lab Inc buys it.</summary>
    private async Task<Guid> BoughtLicenseAsync()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var work = await creator.ListAsync(App, "Harbour");
        var buyer = await this.SignUpBuyerAsync("bo@lab.test", "Lab Inc");
        return await buyer.BuyAsync(work);
    }

    private Task<DateTimeOffset> EndOfAsync(Guid licenseId) =>
        Db(db => db.Set<LicenseItem>().Where(i => i.LicenseId == licenseId).Select(i => i.EndsAt).FirstAsync());

    private Task<string> UserIdAsync(string email) => Db(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    /// <summary>A complete, valid attestation form, with one field changed or left out.</summary>
    internal static Dictionary<string, string> Valid(DateOnly doneOn, (string Name, string Value)? with = null, string? without = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["DataDeleted"] = "true", ["NoModelsTrained"] = "true", ["Statement"] = "Deleted the bucket, its replicas and the nightly backups.",
            ["DoneOn"] = doneOn.ToString("yyyy-MM-dd"), ["SignerName"] = "Jane Roe", ["SignerTitle"] = "Head of data",
        };
        if (without is not null) fields.Remove(without);
        if (with is { } w) fields[w.Name] = w.Value;
        return fields;
    }
}

/// <summary>Steps the expiry and recall tests share.</summary>
internal static class ExpirySteps
{
    public static async Task<Guid> BuyAsync(this WebSession buyer, params Guid[] workIds)
    {
        foreach (var id in workIds) await buyer.AddToBundleAsync(id);
        return await buyer.PayWithTestProviderAsync((await buyer.CheckoutAsync()).Headers.Location!.OriginalString);
    }

    /// <summary>Runs the hourly job once, as Hangfire would, in a scope of its own.</summary>
    public static Task RunExpiryJobAsync(this MarketAppFactory app) =>
        app.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<ExpiryJob>().RunAsync(CancellationToken.None);
            return 0;
        });

    public static void MoveClockTo(this MarketAppFactory app, DateTimeOffset at) => app.Clock.Advance(at - app.Clock.GetUtcNow());

    /// <summary>Another member of the organisation of <paramref name="colleagueEmail"/>, added as its admin would.</summary>
    public static Task AddMemberAsync(this MarketAppFactory app, string colleagueEmail, string email) =>
        app.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<MarketUser>>();
            var colleague = await users.FindByEmailAsync(colleagueEmail) ?? throw new InvalidOperationException(colleagueEmail);
            var user = new MarketUser
            {
                UserName = email, Email = email, DisplayName = "Colleague", EmailConfirmed = true,
                OrganisationId = colleague.OrganisationId, OrganisationRole = OrganisationRole.Member,
            };
            (await users.CreateAsync(user, People.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRoleAsync(user, Roles.Buyer)).Succeeded.ShouldBeTrue();
            return 0;
        });

    /// <summary>
    /// Lists a work under an offer with the given term and end-of-term duty. The test images come in three
    /// variants; the default one differs from <see cref="CreatorSteps.ListAsync"/>'s, so both can be listed.
    /// </summary>
    public static async Task<Guid> ListWithTermsAsync(this WebSession creator, MarketAppFactory app, string title, int termMonths = 12,
        ExpiryDuty duty = ExpiryDuty.DeleteData, int attestWithinDays = 30, int imageVariant = 1)
    {
        var id = await creator.UploadAsync(title, CreatorSteps.Jpeg(imageVariant));
        await creator.ConsentAsync(id);
        var response = await creator.SubmitAsync($"/Works/Offer/{id}", new Dictionary<string, string>
        {
            ["Price"] = "49.00", ["Currency"] = "EUR", ["TermMonths"] = termMonths.ToString(), ["DutyAtExpiry"] = duty.ToString(),
            ["AttestWithinDays"] = attestWithinDays.ToString(),
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, (await WebSession.ParseAsync(response)).Errors());
        await creator.SubmitAsync(id);
        (await app.ScannedStateAsync(id)).ShouldBe(WorkState.Listed);
        return id;
    }
}
