using Market.Domain;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Works;

/// <summary>Title, description, tags, medium and year of one of the creator's works.</summary>
public sealed class EditModel(IMediator mediator, MarketDb db) : PageModel
{
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? Tags { get; set; }
    [BindProperty] public WorkMedium Medium { get; set; }
    [BindProperty] public int? CreationYear { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var work = await db.Works.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id && w.CreatorId == User.UserId(), ct);
        if (work is null) return NotFound();
        (Title, Description, Tags, Medium, CreationYear) = (work.Title, work.Description, string.Join(", ", work.Tags), work.Medium, work.CreationYear);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        try
        {
            await mediator.Send(new Command(id, User.UserId(), Title, Description, Tags, Medium, CreationYear), ct);
        }
        catch (WorkNotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        TempData["Flash"] = "Saved.";
        return RedirectToPage("Details", new { id });
    }

    /// <param name="Tags">Comma-separated, as typed.</param>
    public sealed record Command(Guid Id, string CreatorId, string? Title, string? Description, string? Tags, WorkMedium Medium, int? CreationYear) : ICommand<Unit>;

    internal sealed class Handler(MarketDb db, TimeProvider clock) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command request, CancellationToken ct)
        {
            var work = await db.LoadOwnedWorkAsync(request.Id, request.CreatorId, ct);
            work.Describe(request.CreatorId, request.Title, request.Description, SplitTags(request.Tags), request.Medium, request.CreationYear, clock.GetUtcNow());
            return Unit.Value;
        }
    }

    public static IEnumerable<string> SplitTags(string? tags) => (tags ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries);
}
