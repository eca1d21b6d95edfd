using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Market.Web.Data;
using Market.Web.Identity;

namespace Market.Web.Jobs;

public static class JobQueues
{
    /// <summary>Detection work: served by GPU workers when there are any, by every worker on a single machine.</summary>
    public const string Gpu = "gpu";
    public const string Default = "default";
}

public sealed class JobSettings
{
    /// <summary>web, worker or all: whether this process serves pages, runs jobs, or both.</summary>
    public string Role { get; set; } = "all";
    public int Workers { get; set; } = Math.Max(2, Environment.ProcessorCount);
    public string[] Queues { get; set; } = [JobQueues.Gpu, JobQueues.Default];
    public int PollIntervalMilliseconds { get; set; } = 1000;

    public bool RunsJobs => Role is "all" or "worker";
}

public static class JobsSetup
{
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Jobs").Get<JobSettings>() ?? new JobSettings();
        var connectionString = DatabaseSetup.ConnectionString(builder.Configuration);
        builder.Services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = TimeSpan.FromMilliseconds(settings.PollIntervalMilliseconds),
            }));
        if (settings.RunsJobs)
            builder.Services.AddHangfireServer(o =>
            {
                o.Queues = settings.Queues;
                o.WorkerCount = settings.Workers;
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        return builder;
    }

    public static WebApplication UseJobsDashboard(this WebApplication app)
    {
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminOnlyDashboard()],
            // The dashboard's own forms carry Hangfire's antiforgery token; keep it on.
            IgnoreAntiforgeryToken = false,
            DashboardTitle = "Marketplace jobs",
        });
        return app;
    }

    private sealed class AdminOnlyDashboard : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Admin) && user.HasClaim(c => c.Type == IdentitySetup.TwoFactorClaim);
        }
    }
}
