using Market.Web.Data;
using Market.Web.Delivery;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Market.Web.Features.Api;

/// <summary>
/// GET /api/v1/files/{link}: one licensed file, by a signed link from /licenses/{id}/files. The link is the
/// credential (like a pre-signed object-store URL, so a training job's download workers need no API token), but
/// it is short-lived, bound to the organisation and the token that asked for it, and everything is checked again
/// here: the token still active, the license still the organisation's, the item still deliverable.
/// </summary>
public static class FilesApi
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/files/{link}", DownloadAsync).AllowAnonymous();

    /// <summary>The formats whose files carry the packet inside; the rest get a sidecar.</summary>
    public static bool EmbedsXmp(string contentType) => contentType is "image/jpeg" or "image/png" or "image/webp" or "image/tiff";

    private static async Task<IResult> DownloadAsync(string link, bool? embed, bool? xmp, HttpContext http, DeliveryLinks links, MarketDb db,
        IMediator mediator, DeliveredFiles files, SiteSettings site, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var check = links.Check(link, now);
        if (check.Status == LinkStatus.Invalid)
            return ApiProblems.Forbidden("This download link is not valid: it was changed, cut short, or made by another server. Ask the API for new links.");
        var grant = check.Grant!;
        if (check.Status == LinkStatus.Expired)
            return ApiProblems.Forbidden($"This download link expired at {grant.ExpiresAt:yyyy-MM-dd HH:mm:ss} UTC. Ask GET {ApiEndpoints.Prefix}/licenses/{grant.LicenseId}/files for new links.");

        var token = await db.ApiTokens.AsNoTracking().Where(t => t.Id == grant.TokenId)
            .Select(t => new { t.OrganisationId, t.RevokedAt, t.ExpiresAt }).FirstOrDefaultAsync(ct);
        if (token is null || token.OrganisationId != grant.OrganisationId || token.RevokedAt is not null || (token.ExpiresAt is { } end && now >= end))
            return ApiProblems.Forbidden("The API token that made this link has been revoked or has expired, so the link no longer works.");

        var delivery = await mediator.Send(new LoadDelivery(grant.LicenseId, grant.OrganisationId), ct);
        var file = delivery?.File(grant.WorkId);
        if (delivery is null || file is null) return ApiProblems.NotFound("Your organisation's license does not hold this work.");
        if (delivery.Refusal(file) is { } refusal) return ApiProblems.Gone(refusal);

        var facts = XmpLicenseFacts.For(file.Item, delivery.Licensee, file.Sha256, file.AiGenerated, site);
        if (xmp == true)
            return Results.File(LicenseXmp.Packet(facts), "application/rdf+xml", DeliveryNames.Sidecar(file.FileName));

        var opened = await files.OpenAsync(file, facts, embed != false, ct);
        // Results.File disposes the stream; the lease (a temporary copy, for object storage) goes with the response.
        http.Response.RegisterForDisposeAsync(opened);
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.File(opened.Content, file.ContentType, file.FileName, lastModified: null,
            entityTag: EntityTagHeaderValue.Parse(opened.EntityTag), enableRangeProcessing: true);
    }
}
