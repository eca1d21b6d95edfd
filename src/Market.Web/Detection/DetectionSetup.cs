using Hangfire;
using Market.Domain.Detection.Index;

namespace Market.Web.Detection;

/// <summary>
/// Detection's services. The match catalog is one per process; the batch matcher runs on CUDA when the process
/// finds a GPU (a worker started on a GPU machine with <c>Jobs__Role=worker</c> and <c>Jobs__Queues__0=gpu</c>), on
/// ILGPU's CPU accelerator otherwise, unless <c>Detection:Accelerator</c> says <c>cpu</c>.
/// </summary>
public static class DetectionSetup
{
    public static WebApplicationBuilder AddDetection(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CatalogDetection>();
        builder.Services.AddSingleton(new GpuMatchers(!string.Equals(builder.Configuration["Detection:Accelerator"], "cpu", StringComparison.OrdinalIgnoreCase)));
        builder.Services.AddScoped<CatalogRescanJob>();
        return builder;
    }

    public static WebApplication UseDetection(this WebApplication app)
    {
        // 03:30 UTC, after the day's uploads and before the working day in most of Europe and the Americas.
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<CatalogRescanJob>(CatalogRescanJob.RecurringJobId, job => job.RunNightlyAsync(CancellationToken.None), "30 3 * * *");
        return app;
    }
}

/// <summary>
/// The process's one <see cref="GpuMatcher"/>, made on first use: creating an ILGPU context and compiling the kernel
/// costs a second or two that a web process that never runs detection should not pay.
/// </summary>
public sealed class GpuMatchers(bool allowCuda) : IDisposable
{
    private readonly Lazy<GpuMatcher> _matcher = new(() => new GpuMatcher(allowCuda), LazyThreadSafetyMode.ExecutionAndPublication);

    public GpuMatcher Get() => _matcher.Value;

    public void Dispose()
    {
        if (_matcher.IsValueCreated) _matcher.Value.Dispose();
    }
}
