using MimeKit;

namespace Market.Web.Notifications.Email;

public static class MailProviders
{
    public const string Folder = "folder";
    public const string Smtp = "smtp";
}

/// <summary>Section <c>Mail</c>.</summary>
public sealed class MailSettings
{
    /// <summary><c>folder</c> (default: nothing leaves the machine) or <c>smtp</c>.</summary>
    public string Provider { get; set; } = MailProviders.Folder;

    public string From { get; set; } = "marketplace@localhost";
    public string FromName { get; set; } = "Marketplace";

    /// <summary>Where the folder provider writes .eml files; relative paths are taken from the content root.</summary>
    public string Folder { get; set; } = "App_Data/mail";

    public SmtpMailSettings Smtp { get; set; } = new();

    public bool IsFolder => string.Equals(Provider, MailProviders.Folder, StringComparison.OrdinalIgnoreCase);
    public bool IsSmtp => string.Equals(Provider, MailProviders.Smtp, StringComparison.OrdinalIgnoreCase);

    /// <summary>Everything wrong at once, so a misconfigured deployment is fixed in one round, not one per restart.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!IsFolder && !IsSmtp)
            problems.Add($"Mail:Provider '{Provider}' is not known; use '{MailProviders.Folder}' or '{MailProviders.Smtp}'.");
        if (!IsPlainAddress(From))
            problems.Add($"Mail:From '{From}' is not a plain e-mail address such as marketplace@example.org (the display name goes in Mail:FromName).");
        if (IsFolder && string.IsNullOrWhiteSpace(Folder))
            problems.Add("Mail:Provider is folder but Mail:Folder is empty.");
        if (IsSmtp) problems.AddRange(Smtp.Problems());
        return problems;
    }

    private static bool IsPlainAddress(string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && MailboxAddress.TryParse(text, out var mailbox)
        && string.IsNullOrEmpty(mailbox.Name)
        && !string.IsNullOrEmpty(mailbox.LocalPart)
        && !string.IsNullOrEmpty(mailbox.Domain);
}

/// <summary>Section <c>Mail:Smtp</c>. The password comes from configuration or the environment and is never logged.</summary>
public sealed class SmtpMailSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>
    /// <c>auto</c> (TLS on connect for port 465, otherwise STARTTLS when the server offers it), <c>none</c>,
    /// <c>starttls</c> (required) or <c>ssl</c> (TLS on connect).
    /// </summary>
    public string Security { get; set; } = "auto";

    /// <summary>When empty the transport does not authenticate (a relay that trusts our address).</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }

    internal static readonly string[] SecurityModes = ["auto", "none", "starttls", "ssl"];

    internal IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
            problems.Add("Mail:Provider is smtp but Mail:Smtp:Host is not set.");
        if (Port is < 1 or > 65535)
            problems.Add($"Mail:Smtp:Port {Port} is not a TCP port (1-65535).");
        if (!SecurityModes.Contains(Security, StringComparer.OrdinalIgnoreCase))
            problems.Add($"Mail:Smtp:Security '{Security}' is not known; use auto, none, starttls or ssl.");
        // Only says that a password is there, never what it is.
        if (string.IsNullOrEmpty(UserName) && !string.IsNullOrEmpty(Password))
            problems.Add("Mail:Smtp:Password is set but Mail:Smtp:UserName is not; without a user name the transport does not authenticate.");
        return problems;
    }

    public override string ToString() => $"{Host}:{Port} ({Security})";
}
