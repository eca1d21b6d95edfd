using System.Security.Claims;
using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Delivery;
using Market.Web.Identity;
using Market.Web.Licensing;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Api;

/// <summary>The organisation's licenses: list, one license, its signed manifest, download links, the whole ZIP.</summary>
public static class LicensesApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static void Map(RouteGroupBuilder api)
    {
        var licenses = api.MapGroup("/licenses");
        licenses.MapGet("", ListAsync).RequireAuthorization(ApiAuthentication.Policies.LicensesRead);
        licenses.MapGet("/{id:guid}", GetAsync).RequireAuthorization(ApiAuthentication.Policies.LicensesRead);
        licenses.MapGet("/{id:guid}/manifest", ManifestAsync).RequireAuthorization(ApiAuthentication.Policies.LicensesRead);
        licenses.MapGet("/{id:guid}/files", FilesAsync).RequireAuthorization(ApiAuthentication.Policies.Downloads);
        licenses.MapGet("/{id:guid}/archive", ArchiveAsync).RequireAuthorization(ApiAuthentication.Policies.Downloads);
    }

    private static Guid Organisation(ClaimsPrincipal user) => Guid.Parse(user.OrganisationId()!);

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, IMediator mediator, int? offset, int? limit, CancellationToken ct)
    {
        var (from, take) = (offset ?? 0, limit ?? DefaultLimit);
        if (from < 0) return ApiProblems.BadRequest("offset must be 0 or more.");
        if (take is < 1 or > MaxLimit) return ApiProblems.BadRequest($"limit must be between 1 and {MaxLimit}.");
        return Results.Ok(await mediator.Send(new ListQuery(Organisation(user), from, take), ct));
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, IMediator mediator, SiteSettings site, CancellationToken ct)
    {
        var delivery = await mediator.Send(new LoadDelivery(id, Organisation(user)), ct);
        return delivery is null ? ApiProblems.NotFound(ApiProblems.NoSuchLicense) : Results.Ok(LicenseDetail.From(delivery, site));
    }

    private static async Task<IResult> ManifestAsync(Guid id, ClaimsPrincipal user, MarketDb db, LicenseSigner signer, SiteSettings site, CancellationToken ct)
    {
        var file = await db.SignedManifestFileAsync(signer, site, id, Organisation(user), ct);
        return file is null ? ApiProblems.NotFound(ApiProblems.NoSuchLicense) : Results.File(file, "application/json", ManifestFile.DownloadName(id));
    }

    private static async Task<IResult> FilesAsync(Guid id, ClaimsPrincipal user, IMediator mediator, DeliveryLinks links, SiteSettings site, CancellationToken ct)
    {
        var delivery = await mediator.Send(new LoadDelivery(id, Organisation(user)), ct);
        if (delivery is null) return ApiProblems.NotFound(ApiProblems.NoSuchLicense);
        var expires = delivery.Now + links.LinkLifetime;
        // Whole seconds: the link carries Unix seconds, and the answer should say exactly when it stops working.
        expires = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds());
        var tokenId = user.TokenId();
        var files = delivery.Deliverable.Select(f =>
        {
            var url = site.Absolute($"{ApiEndpoints.Prefix}/files/{links.Sign(new FileGrant(id, f.Item.WorkId, delivery.License.OrganisationId, tokenId, expires))}");
            var embeds = FilesApi.EmbedsXmp(f.ContentType);
            return new FileLink(f.Item.WorkId, f.Item.WorkTitle, f.FileName, f.ContentType, f.ByteSize, f.Sha256, url, url + "?embed=false",
                embeds ? "embedded-xmp" : "sidecar-xmp", url + "?xmp=true", expires);
        }).ToList();
        var refused = delivery.Files.Where(f => !f.Item.IsDeliverable(delivery.Now))
            .Select(f => new NotDelivered(f.Item.WorkId, f.Item.WorkTitle, delivery.Refusal(f)!)).ToList();
        return Results.Ok(new FileList(id, expires, files, refused));
    }

    private static async Task<IResult> ArchiveAsync(Guid id, ClaimsPrincipal user, IMediator mediator, MarketDb db, LicenseSigner signer, SiteSettings site,
        CancellationToken ct)
    {
        var organisation = Organisation(user);
        var delivery = await mediator.Send(new LoadDelivery(id, organisation), ct);
        if (delivery is null) return ApiProblems.NotFound(ApiProblems.NoSuchLicense);
        if (delivery.Deliverable.Count == 0)
            return ApiProblems.Gone("Nothing in this license may be downloaded now. " + string.Join(" ", delivery.Files.Select(delivery.Refusal).OfType<string>()));
        var manifest = await db.SignedManifestFileAsync(signer, site, id, organisation, ct);
        return new ArchiveResult(delivery, manifest!);
    }

    // Reading

    public sealed record ListQuery(Guid OrganisationId, int Offset, int Limit) : IRequest<LicensePage>;

    public sealed record LicenseSummary(Guid Id, Guid OrderId, DateTimeOffset IssuedAt, int Items, DateTimeOffset EndsAt, string Url);

    public sealed record LicensePage(IReadOnlyList<LicenseSummary> Licenses, int Total, int Offset, int Limit, string? Next);

    internal sealed class ListHandler(MarketDb db, SiteSettings site) : IRequestHandler<ListQuery, LicensePage>
    {
        public async Task<LicensePage> Handle(ListQuery request, CancellationToken ct)
        {
            var mine = db.Licenses.AsNoTracking().Where(l => l.OrganisationId == request.OrganisationId);
            var total = await mine.CountAsync(ct);
            var rows = await mine.OrderByDescending(l => l.IssuedAt).ThenBy(l => l.Id)
                .Skip(request.Offset).Take(request.Limit)
                .Select(l => new { l.Id, l.OrderId, l.IssuedAt, Items = l.Items.Count, EndsAt = l.Items.Max(i => i.EndsAt) })
                .ToListAsync(ct);
            var next = request.Offset + rows.Count < total
                ? site.Absolute($"{ApiEndpoints.Prefix}/licenses?offset={request.Offset + rows.Count}&limit={request.Limit}")
                : null;
            return new LicensePage(
                rows.Select(r => new LicenseSummary(r.Id, r.OrderId, r.IssuedAt, r.Items, r.EndsAt, site.Absolute($"{ApiEndpoints.Prefix}/licenses/{r.Id}"))).ToList(),
                total, request.Offset, request.Limit, next);
        }
    }

    public sealed record Price(long Minor, string Currency);

    public sealed record Terms(string Scope, string Summary, bool Commercial, int TermMonths, bool AttributionRequired, bool NameMayNotBeUsedAsPrompt,
        string DutyAtExpiry, int AttestWithinDays)
    {
        public static Terms From(LicenseTerms t) => new(t.Scope.ToString(), t.Describe(), t.Commercial, t.TermMonths, t.AttributionRequired,
            t.NameMayNotBeUsedAsPrompt, t.DutyAtExpiry.ToString(), t.AttestWithinDays);
    }

    public sealed record Item(Guid WorkId, string Title, string Creator, string CopyrightHolder, string RightsHolders, Terms Terms,
        DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Deliverable, string? NotDeliverableReason, DateTimeOffset? RecalledAt, string? RecallReason,
        Price Price, string? OriginalSha256, bool AiGenerated);

    public sealed record LicenseDetail(Guid Id, Guid OrderId, string Licensee, DateTimeOffset IssuedAt, string VerifyUrl, string ManifestUrl,
        string FilesUrl, string ArchiveUrl, IReadOnlyList<Item> Items)
    {
        public static LicenseDetail From(LicenseDelivery d, SiteSettings site)
        {
            var self = $"{ApiEndpoints.Prefix}/licenses/{d.License.Id}";
            return new LicenseDetail(d.License.Id, d.License.OrderId, d.Licensee, d.License.IssuedAt, site.Absolute($"/Verify/{d.License.Id}"),
                site.Absolute(self + "/manifest"), site.Absolute(self + "/files"), site.Absolute(self + "/archive"),
                d.Files.Select(f => new Item(f.Item.WorkId, f.Item.WorkTitle, f.Item.CreatorName, f.Item.CopyrightHolder, f.Item.RightsHolders,
                    Terms.From(f.Item.Terms), f.Item.StartsAt, f.Item.EndsAt, f.Item.IsDeliverable(d.Now), d.Refusal(f), f.Item.RecalledAt,
                    f.Item.RecallReason, new Price(f.Item.PriceMinor, f.Item.Currency), f.Sha256, f.AiGenerated)).ToList());
        }
    }

    /// <param name="Metadata">embedded-xmp: the license is inside the file; sidecar-xmp: the format has no place for it, fetch <paramref name="XmpUrl"/>.</param>
    public sealed record FileLink(Guid WorkId, string Title, string FileName, string ContentType, long OriginalSize, string? OriginalSha256,
        string Url, string OriginalUrl, string Metadata, string XmpUrl, DateTimeOffset ExpiresAt);

    public sealed record NotDelivered(Guid WorkId, string Title, string Reason);

    public sealed record FileList(Guid LicenseId, DateTimeOffset ExpiresAt, IReadOnlyList<FileLink> Files, IReadOnlyList<NotDelivered> NotDelivered);
}
