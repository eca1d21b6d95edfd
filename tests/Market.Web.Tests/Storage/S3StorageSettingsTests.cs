using Market.Web.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Market.Web.Tests.Storage;

public sealed class S3StorageSettingsTests : IDisposable
{
    private const string Secret = "s3cr3t-value-not-for-messages";
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("market-setup-").FullName;

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    private static S3StorageSettings Valid() => new()
    {
        ServiceUrl = "http://127.0.0.1:9000",
        Bucket = "market",
        AccessKey = "AKIAEXAMPLE",
        SecretKey = Secret,
    };

    [Fact]
    public void Complete_settings_pass()
    {
        Should.NotThrow(() => Valid().Validate());
    }

    [Fact]
    public void A_missing_bucket_is_named()
    {
        var settings = Valid();
        settings.Bucket = " ";

        Should.Throw<InvalidOperationException>(settings.Validate).Message.ShouldContain("Storage:S3:Bucket is required");
    }

    [Fact]
    public void A_missing_service_url_is_named_when_no_region_says_where_Amazon_S3_is()
    {
        var settings = Valid();
        settings.ServiceUrl = null;
        settings.Region = "";

        Should.Throw<InvalidOperationException>(settings.Validate).Message.ShouldContain("Storage:S3:ServiceUrl is required");
    }

    [Fact]
    public void Without_a_service_url_Amazon_S3_in_the_region_is_used()
    {
        var settings = Valid();
        settings.ServiceUrl = "";
        settings.Region = "eu-central-1";

        settings.Validate();
        using var client = S3FileStore.CreateClient(settings);

        client.Config.RegionEndpoint.ShouldBe(Amazon.RegionEndpoint.EUCentral1);
    }

    [Fact]
    public void The_client_is_configured_for_S3_compatible_servers()
    {
        var settings = Valid();

        using var client = S3FileStore.CreateClient(settings);

        var config = (Amazon.S3.AmazonS3Config)client.Config;
        config.ServiceURL.ShouldStartWith("http://127.0.0.1:9000");
        config.ForcePathStyle.ShouldBe(true);
        config.AuthenticationRegion.ShouldBe("us-east-1");
        config.RequestChecksumCalculation.ShouldBe(Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED);
        config.ResponseChecksumValidation.ShouldBe(Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED);
    }

    [Theory]
    [InlineData("localhost:9000")]
    [InlineData("127.0.0.1:9000")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("/relative")]
    public void A_service_url_that_is_not_an_http_url_is_named(string url)
    {
        var settings = Valid();
        settings.ServiceUrl = url;

        Should.Throw<InvalidOperationException>(settings.Validate).Message.ShouldContain("Storage:S3:ServiceUrl must be an absolute http or https URL");
    }

    [Fact]
    public void An_access_key_without_a_secret_names_the_secret_setting()
    {
        var settings = Valid();
        settings.SecretKey = null;

        Should.Throw<InvalidOperationException>(settings.Validate).Message.ShouldContain("Storage:S3:SecretKey is required");
    }

    [Fact]
    public void A_secret_without_an_access_key_names_the_access_key_and_does_not_show_the_secret()
    {
        var settings = Valid();
        settings.AccessKey = "";

        var message = Should.Throw<InvalidOperationException>(settings.Validate).Message;

        message.ShouldContain("Storage:S3:AccessKey is required");
        message.ShouldNotContain(Secret);
    }

    [Fact]
    public void Every_problem_is_named_at_once()
    {
        var message = Should.Throw<InvalidOperationException>(new S3StorageSettings { ServiceUrl = "nope", SecretKey = Secret }.Validate).Message;

        message.ShouldContain("Storage:S3:Bucket");
        message.ShouldContain("Storage:S3:ServiceUrl");
        message.ShouldContain("Storage:S3:AccessKey");
        message.ShouldNotContain(Secret);
    }

    [Fact]
    public void Settings_never_show_the_secret()
    {
        Valid().ToString().ShouldNotContain(Secret);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("market", "market/")]
    [InlineData("market/", "market/")]
    [InlineData("tenants/market/", "tenants/market/")]
    public void A_prefix_is_a_folder_ending_in_one_slash(string? prefix, string expected)
    {
        var settings = Valid();
        settings.Prefix = prefix;

        settings.Validate();
        settings.NormalizedPrefix.ShouldBe(expected);
    }

    [Theory]
    [InlineData("/market")]
    [InlineData("../market")]
    [InlineData("market/../other")]
    [InlineData("a//b")]
    [InlineData("./market")]
    [InlineData("my market")]
    [InlineData("market?x=1")]
    public void A_prefix_that_is_not_a_plain_relative_folder_is_named(string prefix)
    {
        var settings = Valid();
        settings.Prefix = prefix;

        Should.Throw<InvalidOperationException>(settings.Validate).Message.ShouldContain("Storage:S3:Prefix");
    }

    [Fact]
    public async Task The_s3_provider_binds_Storage_S3_and_registers_the_S3_store()
    {
        var builder = Builder(new()
        {
            ["Storage:Provider"] = "s3",
            ["Storage:S3:ServiceUrl"] = "http://127.0.0.1:9000",
            ["Storage:S3:Bucket"] = "market",
            ["Storage:S3:AccessKey"] = "AKIAEXAMPLE",
            ["Storage:S3:SecretKey"] = Secret,
        });

        builder.AddStorage();
        await using var services = builder.Services.BuildServiceProvider();

        services.GetRequiredService<IFileStore>().ShouldBeOfType<S3FileStore>();
        Directory.Exists(Path.Combine(_contentRoot, "App_Data", "files", "staging", "downloads")).ShouldBeTrue();
    }

    [Fact]
    public void The_s3_provider_stops_startup_naming_a_missing_setting()
    {
        var builder = Builder(new()
        {
            ["Storage:Provider"] = "S3",
            ["Storage:S3:ServiceUrl"] = "http://127.0.0.1:9000",
        });

        Should.Throw<InvalidOperationException>(() => builder.AddStorage()).Message.ShouldContain("Storage:S3:Bucket is required");
    }

    [Fact]
    public async Task Local_stays_the_default_provider()
    {
        var builder = Builder(new());

        builder.AddStorage();
        await using var services = builder.Services.BuildServiceProvider();

        services.GetRequiredService<IFileStore>().ShouldBeOfType<LocalFileStore>();
    }

    private WebApplicationBuilder Builder(Dictionary<string, string?> configuration)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ContentRootPath = _contentRoot,
            EnvironmentName = Environments.Development,
        });
        builder.Services.AddLogging();
        builder.Configuration.AddInMemoryCollection(configuration);
        return builder;
    }
}
