using Market.Domain;
using Market.Domain.Catalog;
using Market.Web.Imaging;
using Market.Web.Storage;
using MediatR;

namespace Market.Web.Features.Works;

/// <summary>What became of one uploaded file: a new work, or the reason it was refused.</summary>
public sealed record UploadOutcome(string FileName, Guid? WorkId, string? Error)
{
    public bool Accepted => WorkId is not null;
}

/// <summary>
/// Takes one uploaded file from the request stream to a draft work: stage it on local disk (counted, so an
/// oversized file is cut off at the limit), check what it is from its bytes and decoded header, then store
/// the untouched original and create the work. A refused file leaves nothing behind.
/// </summary>
public sealed class UploadIntake(IMediator mediator, IFileStore files, UploadStaging staging, StorageSettings settings, ImageInspector images, MetadataReader metadataReader)
{
    public const int MaxFileNameLength = 260;

    public async Task<UploadOutcome> AcceptAsync(string creatorId, string? fileName, Stream content, CancellationToken cancellationToken)
    {
        var name = CleanFileName(fileName);
        string? key = null;
        try
        {
            using var staged = await staging.StageAsync(content, settings.MaxFileBytes, cancellationToken);
            if (staged.Length == 0) return new UploadOutcome(name, null, "The file is empty.");
            // The bytes decide what the file is; the name and the browser's content type are not trusted.
            var facts = images.Inspect(staged.Path);
            // What the file says about itself (creator, copyright, AI source type): kept, shown, and flagged when it
            // names someone else or declares generative AI. Read before the file moves, from the staged copy.
            var metadata = metadataReader.Read(staged.Path);
            key = StoreKeys.New(StoreKeys.Originals);
            await files.PutFileAsync(key, staged.Path, facts.ContentType, cancellationToken);
            var image = new StoredImage(key, name, facts.ContentType, staged.Length, facts.Width, facts.Height);
            var id = await mediator.Send(new Upload.Command(creatorId, metadata.Title ?? TitleFromFileName(name), metadata.Description, image, metadata), cancellationToken);
            return new UploadOutcome(name, id, null);
        }
        catch (Exception e) when (e is BadImageException or DomainException or FileTooLargeException)
        {
            if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
            return new UploadOutcome(name, null, e.Message);
        }
        catch
        {
            if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The name as the uploader's machine had it, without any folder part, for display only.</summary>
    public static string CleanFileName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/')).Trim();
        name = new string(name.Where(c => !char.IsControl(c)).ToArray());
        if (name.Length == 0) return "unnamed";
        return name.Length > MaxFileNameLength ? name[..MaxFileNameLength] : name;
    }

    /// <summary>A first title from the file name ("sunset_over-harbour.jpg" → "sunset over harbour"), editable later.</summary>
    public static string TitleFromFileName(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName).Replace('_', ' ').Replace('-', ' ').Trim();
        stem = string.Join(' ', stem.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (stem.Length == 0) stem = "Untitled";
        return stem.Length > Work.MaxTitleLength ? stem[..Work.MaxTitleLength] : stem;
    }
}
