using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Storage;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;

namespace Market.Web.Features.Works;

public static class Previews
{
    /// <summary>
    /// Serves the derived preview, never the original: to anyone for a listed work, and to its creator while
    /// it is not listed. Any other id is a 404, so ids cannot be probed.
    /// </summary>
    public static void MapPreviews(this IEndpointRouteBuilder app) =>
        app.MapGet("/previews/{id:guid}", async (Guid id, ClaimsPrincipal user, MarketDb db, IFileStore files, CancellationToken ct) =>
        {
            var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
            var preview = await db.Works.AsNoTracking()
                .Where(w => w.Id == id && w.PreviewKey != null && (w.State == WorkState.Listed || w.CreatorId == userId))
                .Select(w => new { w.PreviewKey, Public = w.State == WorkState.Listed })
                .FirstOrDefaultAsync(ct);
            if (preview is null) return Results.NotFound();
            return Results.Stream(await files.OpenReadAsync(preview.PreviewKey!, ct), "image/jpeg");
        });
}
