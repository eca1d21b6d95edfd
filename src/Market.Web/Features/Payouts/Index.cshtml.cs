using Marten;
using Market.Billing.Payouts;
using Market.Billing.Sales;
using Market.Domain;
using Market.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Market.Web.Features.Payouts;

/// <summary>Finance's payout batches: the list, and preparing a new batch for a currency.</summary>
[Authorize(Policy = Policies.Finance)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<PayoutBatch> Batches { get; private set; } = [];
    public IReadOnlyList<SkippedPayee> Skipped { get; private set; } = [];

    [BindProperty] public string Currency { get; set; } = "EUR";

    public async Task OnGetAsync(CancellationToken ct) => Batches = await mediator.Send(new Query(), ct);

    public async Task<IActionResult> OnPostPrepareAsync(CancellationToken ct)
    {
        try
        {
            var prepared = await mediator.Send(new PreparePayoutBatch.Command(Currency, User.UserId()), ct);
            TempData["Flash"] = $"Batch prepared with {prepared.Event.Items.Count} payee(s); {prepared.Skipped.Count} skipped. Another finance user must approve it.";
            TempData["Skipped"] = string.Join("\n", prepared.Skipped.Select(s => $"{s.PayeeId}: {s.Reason}"));
            return RedirectToPage("Details", new { id = prepared.Event.BatchId });
        }
        catch (Exception e) when (e is LedgerException or DomainException)
        {
            ModelState.AddModelError(nameof(Currency), e.Message);
            Batches = await mediator.Send(new Query(), ct);
            return Page();
        }
    }

    public sealed record Query : IRequest<IReadOnlyList<PayoutBatch>>;

    internal sealed class Handler(IDocumentStore store) : IRequestHandler<Query, IReadOnlyList<PayoutBatch>>
    {
        public async Task<IReadOnlyList<PayoutBatch>> Handle(Query request, CancellationToken ct)
        {
            await using var session = store.QuerySession();
            // A batch's stream starts with PayoutBatchPrepared; its id is the batch id.
            var ids = await session.Events.QueryRawEventDataOnly<PayoutBatchPrepared>().Select(e => e.BatchId).ToListAsync(ct);
            var batches = new List<PayoutBatch>();
            foreach (var id in ids) batches.Add((await PayoutBatchStream.LoadAsync(session, id, ct)).Batch);
            return batches.OrderByDescending(b => b.PreparedAt).ToList();
        }
    }
}
