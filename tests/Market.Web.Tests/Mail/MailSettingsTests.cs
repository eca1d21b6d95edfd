using Market.Web.Notifications.Email;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Web.Tests.Mail;

public sealed class MailSettingsTests
{
    [Fact]
    public void The_defaults_are_valid_and_keep_mail_in_a_folder()
    {
        var settings = new MailSettings();
        settings.Problems().ShouldBeEmpty();
        settings.IsFolder.ShouldBeTrue();
    }

    [Fact]
    public void Smtp_with_a_host_is_valid()
    {
        var settings = new MailSettings { Provider = "SMTP", Smtp = { Host = "smtp.example.org", UserName = "u", Password = "p" } };
        settings.Problems().ShouldBeEmpty();
    }

    [Fact]
    public void Smtp_without_a_host_names_the_missing_key() =>
        new MailSettings { Provider = "smtp" }.Problems().ShouldHaveSingleItem()
            .ShouldBe("Mail:Provider is smtp but Mail:Smtp:Host is not set.");

    [Fact]
    public void An_unknown_provider_is_named_with_the_choices() =>
        new MailSettings { Provider = "pigeon" }.Problems().ShouldHaveSingleItem()
            .ShouldBe("Mail:Provider 'pigeon' is not known; use 'folder' or 'smtp'.");

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("nodomain")]
    [InlineData("Market <market@example.org>")]
    [InlineData("a@example.org, b@example.org")]
    public void A_bad_from_address_is_named(string from) =>
        new MailSettings { From = from }.Problems().ShouldHaveSingleItem().ShouldStartWith($"Mail:From '{from}' is not a plain e-mail address");

    [Fact]
    public void Smtp_port_and_security_are_checked()
    {
        var problems = new MailSettings { Provider = "smtp", Smtp = { Host = "h", Port = 0, Security = "tls1.0" } }.Problems();
        problems.ShouldBe([
            "Mail:Smtp:Port 0 is not a TCP port (1-65535).",
            "Mail:Smtp:Security 'tls1.0' is not known; use auto, none, starttls or ssl.",
        ]);
    }

    [Fact]
    public void Smtp_settings_are_ignored_when_mail_stays_in_the_folder() =>
        new MailSettings { Provider = "folder", Smtp = { Port = -1, Security = "bogus" } }.Problems().ShouldBeEmpty();

    [Fact]
    public void A_password_without_a_user_name_is_reported_without_revealing_it()
    {
        var settings = new MailSettings { Provider = "smtp", Smtp = { Host = "h", Password = "hunter2-secret" } };

        var problem = settings.Problems().ShouldHaveSingleItem();
        problem.ShouldStartWith("Mail:Smtp:Password is set but Mail:Smtp:UserName is not");
        problem.ShouldNotContain("hunter2-secret");
        settings.Smtp.ToString().ShouldNotContain("hunter2-secret");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        new MailSettings { Provider = "smtp", From = "nope", Smtp = { Security = "x" } }.Problems().Count.ShouldBe(3);
    }

    [Fact]
    public void AddMail_refuses_to_start_with_invalid_settings()
    {
        using var root = new TempFolder();
        var builder = Builder(root.Path, new() { ["Mail:Provider"] = "smtp", ["Mail:Smtp:Password"] = "hunter2-secret" });

        var error = Should.Throw<InvalidOperationException>(() => builder.AddMail());

        error.Message.ShouldContain("Mail:Smtp:Host is not set");
        error.Message.ShouldNotContain("hunter2-secret");
    }

    [Fact]
    public void AddMail_defaults_to_the_folder_under_the_content_root_with_its_mailbox()
    {
        using var root = new TempFolder();
        using var services = Builder(root.Path, []).AddMail().Services.BuildServiceProvider();

        services.GetRequiredService<IMailTransport>().ShouldBeOfType<FolderMailTransport>();
        services.GetService<LocalMailbox>().ShouldNotBeNull();
        Directory.Exists(Path.Combine(root.Path, "App_Data", "mail")).ShouldBeTrue();
    }

    [Fact]
    public async Task AddMail_folder_transport_and_mailbox_share_the_configured_folder()
    {
        using var root = new TempFolder();
        using var services = Builder(root.Path, new() { ["Mail:Folder"] = "outbox", ["Mail:From"] = "shop@market.test" })
            .AddMail().Services.BuildServiceProvider();

        await services.GetRequiredService<IMailTransport>().SendAsync(MailTestKit.Mail(), Guid.NewGuid(), CancellationToken.None);

        MailTestKit.EmlFiles(Path.Combine(root.Path, "outbox")).ShouldHaveSingleItem();
        (await services.GetRequiredService<LocalMailbox>().ListAsync(10, CancellationToken.None)).ShouldHaveSingleItem();
    }

    [Fact]
    public void AddMail_with_smtp_has_no_local_mailbox()
    {
        using var root = new TempFolder();
        using var services = Builder(root.Path, new() { ["Mail:Provider"] = "smtp", ["Mail:Smtp:Host"] = "smtp.example.org" })
            .AddMail().Services.BuildServiceProvider();

        services.GetRequiredService<IMailTransport>().ShouldBeOfType<SmtpMailTransport>();
        services.GetService<LocalMailbox>().ShouldBeNull();
    }

    private static WebApplicationBuilder Builder(string contentRoot, Dictionary<string, string?> config)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = contentRoot });
        builder.Configuration.AddInMemoryCollection(config);
        return builder;
    }
}
