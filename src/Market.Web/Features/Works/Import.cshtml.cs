using System.Globalization;
using Market.Domain;
using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Money;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Reporting;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Works;

/// <summary>
/// Describes a large portfolio from one CSV file: titles, descriptions, tags, medium, year and prices, matched
/// to the creator's works by the uploaded file name or by work id. The file is checked row by row against the
/// same rules as the forms and shown as a preview; only a file without errors can be applied, all at once.
/// </summary>
[RequestSizeLimit(Importer.MaxFileBytes + 64 * 1024)]
public sealed class ImportModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<ImportRow>? Preview { get; private set; }
    public string? FileError { get; private set; }
    [BindProperty] public string? CsvText { get; set; }

    public void OnGet() { }

    public IActionResult OnGetTemplate() =>
        File(new Csv(Importer.Columns).Row("harbour-at-dusk.jpg", "", "Harbour at dusk", "Oil on canvas, photographed in daylight.",
            "harbour; dusk; oil", "Painting", "2024", "49.00", "EUR").ToUtf8(), "text/csv; charset=utf-8", "works-template.csv");

    public async Task<IActionResult> OnPostPreviewAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0) { FileError = "Choose a CSV file."; return Page(); }
        if (file.Length > Importer.MaxFileBytes) { FileError = $"The file is larger than {Importer.MaxFileBytes / 1024 / 1024} MB; split it."; return Page(); }
        using (var reader = new StreamReader(file.OpenReadStream(), detectEncodingFromByteOrderMarks: true))
            CsvText = await reader.ReadToEndAsync(ct);
        return await PreviewAsync(ct);
    }

    public async Task<IActionResult> OnPostApplyAsync(CancellationToken ct)
    {
        if (string.IsNullOrEmpty(CsvText) || CsvText.Length > Importer.MaxFileBytes) { FileError = "Upload the file again."; return Page(); }
        try
        {
            var count = await mediator.Send(new Apply(User.UserId(), CsvText), ct);
            TempData["Flash"] = $"{count} work{(count == 1 ? "" : "s")} updated from the file.";
            return RedirectToPage("Index");
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            return await PreviewAsync(ct);
        }
    }

    private async Task<IActionResult> PreviewAsync(CancellationToken ct)
    {
        try
        {
            Preview = await mediator.Send(new Check(User.UserId(), CsvText!), ct);
        }
        catch (FormatException e)
        {
            FileError = e.Message;
        }
        return Page();
    }

    /// <summary>Checks the file without saving anything: the changes are tried on copies that are never tracked.</summary>
    public sealed record Check(string CreatorId, string CsvText) : IRequest<IReadOnlyList<ImportRow>>;

    internal sealed class CheckHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Check, IReadOnlyList<ImportRow>>
    {
        public async Task<IReadOnlyList<ImportRow>> Handle(Check request, CancellationToken ct)
        {
            var works = await db.Works.AsNoTracking().Include(w => w.Offers).AsSplitQuery()
                .Where(w => w.CreatorId == request.CreatorId).ToListAsync(ct);
            return Importer.Plan(request.CreatorId, request.CsvText, works, clock.GetUtcNow()).Rows;
        }
    }

    /// <summary>Applies a file that checks clean, in one transaction; any row in error and nothing is saved.</summary>
    public sealed record Apply(string CreatorId, string CsvText) : ICommand<int>;

    internal sealed class ApplyHandler(MarketDb db, TimeProvider clock) : IRequestHandler<Apply, int>
    {
        public async Task<int> Handle(Apply request, CancellationToken ct)
        {
            var works = await db.Works.Include(w => w.Offers).AsSplitQuery()
                .Where(w => w.CreatorId == request.CreatorId).ToListAsync(ct);
            Importer.Result result;
            try
            {
                result = Importer.Plan(request.CreatorId, request.CsvText, works, clock.GetUtcNow());
            }
            catch (FormatException e)
            {
                throw new DomainException(e.Message);
            }
            var errors = result.Rows.Count(r => r.Error is not null);
            if (errors > 0) throw new DomainException($"{errors} row{(errors == 1 ? " has an error" : "s have errors")}; nothing was saved. Fix the file and try again.");
            foreach (var offer in result.NewOffers) db.Entry(offer).State = EntityState.Added;
            return result.Rows.Count;
        }
    }
}

/// <summary>One row of the file as the preview shows it.</summary>
public sealed record ImportRow(int Row, string Key, string? WorkTitle, string Changes, string? Error);

/// <summary>The import's rules, on works loaded by the caller (tracked to apply, untracked to check).</summary>
public static class Importer
{
    public const long MaxFileBytes = 2 * 1024 * 1024;
    public const int MaxRows = 5000;
    public static readonly string[] Columns = ["file", "work_id", "title", "description", "tags", "medium", "year", "price", "currency"];

    public sealed record Result(IReadOnlyList<ImportRow> Rows, IReadOnlyList<LicenseOffer> NewOffers);

    public static Result Plan(string creatorId, string text, IReadOnlyList<Work> works, DateTimeOffset now)
    {
        var table = CsvReader.Parse(text, MaxRows + 1);
        if (table.Count < 2) throw new FormatException("The file needs a header row and at least one row of works.");
        var header = table[0].Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var unknown = header.Where(h => !Columns.Contains(h)).ToList();
        if (unknown.Count > 0) throw new FormatException($"Unknown column{(unknown.Count == 1 ? "" : "s")}: {string.Join(", ", unknown)}. The columns are: {string.Join(", ", Columns)}.");
        if (header.Distinct().Count() != header.Length) throw new FormatException("A column appears twice in the header.");
        if (!header.Contains("file") && !header.Contains("work_id")) throw new FormatException("The file needs a 'file' or a 'work_id' column to say which work each row describes.");

        var byFile = works.Where(w => w.State != WorkState.Rejected).GroupBy(w => w.OriginalFileName, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<Guid>();
        var rows = new List<ImportRow>();
        var offers = new List<LicenseOffer>();
        for (var r = 1; r < table.Count; r++)
        {
            var cells = table[r];
            string? Cell(string name)
            {
                var i = Array.IndexOf(header, name);
                var value = i >= 0 && i < cells.Length ? cells[i].Trim() : "";
                return value.Length == 0 ? null : value;
            }
            var key = Cell("work_id") ?? Cell("file") ?? "";
            try
            {
                if (cells.Length > header.Length) throw new DomainException($"The row has {cells.Length} cells; the header has {header.Length}.");
                var work = Find(Cell("work_id"), Cell("file"), works, byFile);
                if (!seen.Add(work.Id)) throw new DomainException("This work is already described by an earlier row.");
                var changes = Describe(creatorId, work, Cell, now);
                if (Cell("price") is { } price) changes.Add(SetPrice(creatorId, work, price, Cell("currency"), now, offers));
                else if (Cell("currency") is not null) throw new DomainException("A currency without a price: give both, or neither.");
                rows.Add(new ImportRow(r + 1, key, work.Title, changes.Count == 0 ? "no change" : string.Join("; ", changes), null));
            }
            catch (DomainException e)
            {
                rows.Add(new ImportRow(r + 1, key, null, "", e.Message));
            }
        }
        return new Result(rows, offers);
    }

    private static Work Find(string? workId, string? file, IReadOnlyList<Work> works, Dictionary<string, List<Work>> byFile)
    {
        if (workId is not null)
            return Guid.TryParse(workId, out var id) && works.FirstOrDefault(w => w.Id == id) is { } byId
                ? byId
                : throw new DomainException($"None of your works has the id {workId}.");
        if (file is null) throw new DomainException("Say which work the row is for: fill in 'file' or 'work_id'.");
        if (!byFile.TryGetValue(file, out var matches)) throw new DomainException($"None of your works was uploaded as \"{file}\".");
        if (matches.Count > 1) throw new DomainException($"{matches.Count} of your works were uploaded as \"{file}\"; use their work_id instead.");
        return matches[0];
    }

    private static List<string> Describe(string creatorId, Work work, Func<string, string?> cell, DateTimeOffset now)
    {
        var changes = new List<string>();
        var title = cell("title");
        var description = cell("description");
        var tags = cell("tags");
        var medium = work.Medium;
        if (cell("medium") is { } m)
        {
            var plain = m.Replace(" ", "").Replace("-", "");
            if (!Enum.TryParse(plain, ignoreCase: true, out medium) || !Enum.IsDefined(medium) || int.TryParse(plain, out _))
                throw new DomainException($"'{m}' is not a medium; use one of {string.Join(", ", Enum.GetNames<WorkMedium>().Skip(1))}.");
        }
        int? year = work.CreationYear;
        if (cell("year") is { } y)
        {
            if (!int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) throw new DomainException($"'{y}' is not a year.");
            year = parsed;
        }
        if (title is null && description is null && tags is null && medium == work.Medium && year == work.CreationYear) return changes;
        work.Describe(creatorId, title ?? work.Title, description ?? work.Description,
            tags is null ? work.Tags : EditModel.SplitTags(tags), medium, year, now);
        if (title is not null) changes.Add($"title “{title}”");
        if (description is not null) changes.Add("description");
        if (tags is not null) changes.Add($"tags: {string.Join(", ", work.Tags)}");
        if (cell("medium") is not null) changes.Add($"medium {medium}");
        if (cell("year") is not null) changes.Add($"year {year}");
        return changes;
    }

    /// <summary>
    /// A price changes the work's one offer (keeping its terms), or creates the default offer when there is none.
    /// A work with several offers is priced on its page or with the bulk offer editor, where the terms are visible.
    /// </summary>
    private static string SetPrice(string creatorId, Work work, string price, string? currency, DateTimeOffset now, List<LicenseOffer> created)
    {
        var active = work.ActiveOffers.ToList();
        if (active.Count > 1) throw new DomainException("This work has several offers; change their prices on its page or with the bulk offer editor.");
        var parsed = Price.Parse(price, currency ?? active.FirstOrDefault()?.Currency ?? "EUR");
        if (active.Count == 1 && active[0].PriceMinor == parsed.Minor && active[0].Currency == parsed.Currency) return $"price unchanged ({parsed})";
        var offer = active.Count == 1
            ? work.ReviseOffer(creatorId, active[0].Id, Guid.CreateVersion7(now), active[0].Terms, parsed, now)
            : work.AddOffer(creatorId, Guid.CreateVersion7(now), LicenseTerms.OneYearGenerative, parsed, now);
        created.Add(offer);
        return active.Count == 1 ? $"price {parsed}" : $"new offer at {parsed} ({LicenseTerms.OneYearGenerative.Describe()})";
    }
}
