using Market.Web.Data;
using Market.Web.Delivery;
using Market.Web.Identity;
using Market.Web.Licensing;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.Licenses;

/// <summary>
/// "Download all (ZIP)" on the license page: the organisation's deliverable files with the signed manifest,
/// LICENSE.txt and croissant.json, streamed (see Delivery/LicenseArchive). The page itself only shows when
/// nothing may be downloaded, and why.
/// </summary>
public sealed class DownloadModel(IMediator mediator, MarketDb db, LicenseSigner signer, SiteSettings site) : PageModel
{
    public LicenseDelivery? Delivery { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var organisation = Guid.Parse(User.OrganisationId()!);
        Delivery = await mediator.Send(new LoadDelivery(id, organisation), ct);
        if (Delivery is null) return NotFound();
        if (Delivery.Deliverable.Count == 0)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        var manifest = await db.SignedManifestFileAsync(signer, site, id, organisation, ct);
        return new ArchiveResult(Delivery, manifest!);
    }
}
