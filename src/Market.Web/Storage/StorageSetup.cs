namespace Market.Web.Storage;

public sealed class StorageSettings
{
    /// <summary><c>local</c> (default) or <c>s3</c>.</summary>
    public string Provider { get; set; } = "local";

    /// <summary>Folder for the local store; relative paths are taken from the content root.</summary>
    public string Root { get; set; } = "App_Data/files";

    /// <summary>Where uploads wait for inspection. Defaults to a folder inside <see cref="Root"/>, so storing is a rename.</summary>
    public string? StagingRoot { get; set; }

    /// <summary>Largest single file accepted, in bytes. Checked while streaming, before the file is decoded.</summary>
    public long MaxFileBytes { get; set; } = 200L * 1024 * 1024;
}

public static class StorageSetup
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Storage").Get<StorageSettings>() ?? new StorageSettings();
        if (settings.MaxFileBytes <= 0) throw new InvalidOperationException("Storage:MaxFileBytes must be positive.");
        var contentRoot = builder.Environment.ContentRootPath;
        var root = Path.Combine(contentRoot, settings.Root);
        builder.Services.AddSingleton(settings);
        var staging = Path.Combine(contentRoot, settings.StagingRoot ?? Path.Combine(settings.Root, "staging"));
        builder.Services.AddSingleton(new UploadStaging(staging));
        switch (settings.Provider.ToLowerInvariant())
        {
            case "local":
                builder.Services.AddSingleton<IFileStore>(new LocalFileStore(root));
                break;
            case "s3":
                var s3 = builder.Configuration.GetSection(S3StorageSettings.Section).Get<S3StorageSettings>() ?? new S3StorageSettings();
                // Checked now, so a missing setting stops startup instead of the first upload.
                s3.Validate();
                // Temporary downloads sit beside staged uploads: both are scratch space on this machine's disk.
                builder.Services.AddSingleton<IFileStore>(services =>
                    new S3FileStore(s3, Path.Combine(staging, "downloads"), services.GetRequiredService<ILogger<S3FileStore>>()));
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{settings.Provider}' is not known; use 'local' or 's3'.");
        }
        return builder;
    }
}
