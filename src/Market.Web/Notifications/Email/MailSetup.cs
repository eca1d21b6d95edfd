using Microsoft.Extensions.DependencyInjection.Extensions;
using MimeKit;

namespace Market.Web.Notifications.Email;

public static class MailSetup
{
    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Mail").Get<MailSettings>() ?? new MailSettings();
        var problems = settings.Problems();
        if (problems.Count > 0)
            throw new InvalidOperationException("Mail settings are not valid: " + string.Join(" ", problems));

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new MailMessageFactory(new MailboxAddress(settings.FromName, settings.From)));
        if (settings.IsSmtp)
        {
            services.AddSingleton(settings.Smtp);
            services.AddSingleton<IMailTransport, SmtpMailTransport>();
        }
        else
        {
            var folder = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, settings.Folder));
            services.AddSingleton(sp => new FolderMailTransport(folder, sp.GetRequiredService<MailMessageFactory>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<FolderMailTransport>());
            services.AddSingleton(new LocalMailbox(folder));
        }
        return builder;
    }
}
