using Market.Domain.Licensing;
using Market.Web.Data;
using Market.Web.Identity;
using Market.Web.Licensing;
using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Licenses;

public sealed class DetailsModel(IMediator mediator, MarketDb db, LicenseSigner signer, SiteSettings site) : PageModel
{
    public License? License { get; private set; }

    /// <summary>The signed manifest to keep with the data: JSON with the manifest for reading and the JWS that proves it.</summary>
    public async Task<IActionResult> OnGetManifestAsync(Guid id, CancellationToken ct)
    {
        var manifest = await db.ManifestAsync(id, Guid.Parse(User.OrganisationId()!), site, ct);
        if (manifest is null) return NotFound();
        var file = JsonSerializer.SerializeToUtf8Bytes(new { format = LicenseManifest.CurrentFormat, keyId = signer.KeyId, jws = signer.Sign(manifest), manifest },
            new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        return File(file, "application/json", $"license-{id}.manifest.json");
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        License = await mediator.Send(new Query(id, Guid.Parse(User.OrganisationId()!)), ct);
        return License is null ? NotFound() : Page();
    }

    public sealed record Query(Guid Id, Guid OrganisationId) : IRequest<License?>;

    internal sealed class Handler(MarketDb db) : IRequestHandler<Query, License?>
    {
        // Scoped to the organisation: another organisation's license id is simply not found.
        public Task<License?> Handle(Query request, CancellationToken ct) =>
            db.Licenses.AsNoTracking().Include(l => l.Items)
                .FirstOrDefaultAsync(l => l.Id == request.Id && l.OrganisationId == request.OrganisationId, ct);
    }
}
