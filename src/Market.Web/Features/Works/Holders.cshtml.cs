using System.Globalization;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Features.Shares;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Works;

/// <summary>
/// Who shares in a work's royalties. The creator names holders with a role and a percentage (stored as basis
/// points, summing to exactly 100%); everyone other than the creator is e-mailed a single-use link to confirm
/// or refuse, and the work cannot be sold until all have confirmed.
/// </summary>
public sealed class HoldersModel(IMediator mediator, MarketDb db) : PageModel
{
    public const int BlankRows = 3;

    public string WorkTitle { get; private set; } = "";
    public IReadOnlyList<RightsHolder> Current { get; private set; } = [];
    [BindProperty] public List<Row> Rows { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Rows = Current.Select(h => new Row
        {
            Name = h.Name, Email = h.Email, Role = h.Role, IsMe = h.IsCreatorAccount(User.UserId()),
            Percent = (h.SplitBasisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture),
        }).ToList();
        if (!Rows.Any(r => r.IsMe)) Rows.Insert(0, new Row { IsMe = true, Role = RightsHolderRole.Creator });
        Rows.AddRange(Enumerable.Range(0, BlankRows).Select(_ => new Row()));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        try
        {
            var specs = Rows.Where(r => !r.IsBlank).Select(r => r.ToSpec()).ToList();
            var asked = await mediator.Send(new Command(id, User.UserId(), specs), ct);
            TempData["Flash"] = asked == 0
                ? "Rights holders saved."
                : $"Rights holders saved. We e-mailed {asked} of them a link to confirm their share; the work cannot be sold until everyone has.";
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
        return RedirectToPage("Details", new { id });
    }

    public async Task<IActionResult> OnPostResendAsync(Guid id, Guid holderId, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new Resend(id, User.UserId(), holderId), ct);
        }
        catch (WorkNotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            TempData["Flash"] = e.Message;
            return RedirectToPage("Details", new { id });
        }
        TempData["Flash"] = "We sent the link again. The earlier link no longer works.";
        return RedirectToPage("Details", new { id });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var work = await db.Works.AsNoTracking().Include(w => w.RightsHolders)
            .FirstOrDefaultAsync(w => w.Id == id && w.CreatorId == User.UserId(), ct);
        if (work is null) return false;
        WorkTitle = work.Title;
        Current = work.RightsHolders.OrderByDescending(h => h.SplitBasisPoints).ToList();
        return true;
    }

    public sealed class Row
    {
        public string? Name { get; set; }
        public string? Email { get; set; }
        public RightsHolderRole Role { get; set; } = RightsHolderRole.CoOwner;
        public string? Percent { get; set; }
        public bool IsMe { get; set; }

        /// <summary>An empty row, or the creator's own row with no share: not a holder.</summary>
        public bool IsBlank => string.IsNullOrWhiteSpace(Percent) && (IsMe || (string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Email)));

        public RightsHolderSpec ToSpec() => new(Name, Email, Role, ParseBasisPoints(Percent, IsMe ? "your share" : Name), IsMe);
    }

    /// <summary>"60", "33.33" or "0.5" per cent → basis points, by string arithmetic (no rounding surprises).</summary>
    public static int ParseBasisPoints(string? percent, string? who)
    {
        var text = percent?.Trim().TrimEnd('%').Trim();
        var label = string.IsNullOrWhiteSpace(who) ? "each holder" : who;
        if (string.IsNullOrEmpty(text)) throw new DomainException($"Give a share for {label}.");
        var parts = text.Split('.');
        if (parts.Length > 2 || parts[0].Length is 0 or > 3 || !parts.All(p => p.All(char.IsAsciiDigit)) || (parts.Length == 2 && parts[1].Length is 0 or > 2))
            throw new DomainException($"The share for {label} must be a percentage like 60 or 33.33.");
        var whole = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var hundredths = parts.Length == 2 ? int.Parse(parts[1].PadRight(2, '0'), CultureInfo.InvariantCulture) : 0;
        return whole * 100 + hundredths;
    }

    public sealed record Command(Guid WorkId, string CreatorId, IReadOnlyList<RightsHolderSpec> Holders) : ICommand<int>;

    internal sealed class Handler(MarketDb db, ShareRequests requests, TimeProvider clock) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command request, CancellationToken ct)
        {
            var work = await db.LoadOwnedWorkAsync(request.WorkId, request.CreatorId, ct);
            var creatorName = (await db.DisplayNamesAsync([request.CreatorId], ct)).GetValueOrDefault(request.CreatorId, "The creator");
            var before = work.RightsHolders.ToList();
            var toAsk = work.SetRightsHolders(request.CreatorId, creatorName, request.Holders, clock.GetUtcNow());
            // Holders replaced by the change are removed; new ones are added. Their answers stay in the sales that used them.
            foreach (var gone in before.Where(h => !work.RightsHolders.Contains(h))) db.Remove(gone);
            foreach (var added in work.RightsHolders.Where(h => !before.Contains(h))) db.Entry(added).State = EntityState.Added;
            foreach (var holder in toAsk) await requests.AskAsync(work, holder, creatorName, ct);
            return toAsk.Count;
        }
    }

    public sealed record Resend(Guid WorkId, string CreatorId, Guid HolderId) : ICommand<Unit>;

    internal sealed class ResendHandler(MarketDb db, ShareRequests requests) : IRequestHandler<Resend, Unit>
    {
        public async Task<Unit> Handle(Resend request, CancellationToken ct)
        {
            var work = await db.LoadOwnedWorkAsync(request.WorkId, request.CreatorId, ct);
            var holder = work.RightsHolders.FirstOrDefault(h => h.Id == request.HolderId && h.Email is not null)
                ?? throw new DomainException("There is no such rights holder on this work.");
            var creatorName = (await db.DisplayNamesAsync([request.CreatorId], ct)).GetValueOrDefault(request.CreatorId, "The creator");
            await requests.AskAsync(work, holder, creatorName, ct);
            return Unit.Value;
        }
    }
}
