using System.ComponentModel.DataAnnotations;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Imaging;
using Market.Web.Mediation;
using Market.Web.Storage;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.Works;

[RequestSizeLimit(SiteSetup.MaxUploadBytes + 1024 * 1024)]
public sealed class UploadModel(IMediator mediator, IFileStore files, ImageInspector images) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Give the work a title."), StringLength(Work.MaxTitleLength)]
    public string? Title { get; set; }

    [BindProperty, StringLength(Work.MaxDescriptionLength)]
    public string? Description { get; set; }

    [BindProperty, Required(ErrorMessage = "Choose an image file.")]
    public IFormFile? Image { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid || Image is null) return Page();
        if (Image.Length == 0)
        {
            ModelState.AddModelError(nameof(Image), "The file is empty.");
            return Page();
        }

        StoredFile? stored = null;
        try
        {
            await using (var content = Image.OpenReadStream())
                stored = await files.SaveAsync("originals", content, SiteSetup.MaxUploadBytes, ct);
            // The bytes decide what the file is; the name and the browser's content type are not trusted.
            var facts = images.Inspect(files.LocalPath(stored.Key));
            var image = new StoredImage(stored.Key, Path.GetFileName(Image.FileName), facts.ContentType, stored.Length, facts.Width, facts.Height);
            var id = await mediator.Send(new Command(User.UserId(), Title, Description, image), ct);
            TempData["Flash"] = "Uploaded. Next: opt the work in and set a license offer.";
            return RedirectToPage("Details", new { id });
        }
        catch (Exception e) when (e is BadImageException or DomainException or FileTooLargeException)
        {
            if (stored is not null) files.Delete(stored.Key);
            ModelState.AddModelError(nameof(Image), e.Message);
            return Page();
        }
    }

    public sealed record Command(string CreatorId, string? Title, string? Description, StoredImage Image) : ICommand<Guid>;

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Command, Guid>
    {
        public Task<Guid> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var work = Work.Upload(Guid.CreateVersion7(now), request.CreatorId, request.Title, request.Description, request.Image, now);
            db.Works.Add(work);
            return Task.FromResult(work.Id);
        }
    }
}
