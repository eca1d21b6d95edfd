using Hangfire;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;
using Market.Web.Data;

namespace Market.Web.Notifications;

public static class NotificationsSetup
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<Notifier>();
        builder.Services.AddScoped<SendEmailJob>();
        builder.Services.AddScoped<UnreadNotifications>();
        builder.Services.AddTransient<Microsoft.AspNetCore.Identity.UI.Services.IEmailSender, OutboxEmailSender>();
        return builder;
    }

    /// <summary>The sweep that re-enqueues e-mails whose enqueue was lost; registering it again is harmless.</summary>
    public static WebApplication UseNotifications(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<SendEmailJob>(SendEmailJob.SweepJobId, job => job.SweepAsync(CancellationToken.None), "*/5 * * * *");
        return app;
    }
}

/// <summary>The count on the navigation bar.</summary>
public sealed class UnreadNotifications(MarketDb db)
{
    public Task<int> CountAsync(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return id is null ? Task.FromResult(0) : db.Notifications.CountAsync(n => n.UserId == id && n.ReadAt == null);
    }
}
