using JasperFx.Events;
using Marten;
using Market.Billing.Ledger;
using Market.Billing.Periods;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Web.Identity;
using Market.Web.Ledger;
using Market.Web.Mediation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Market.Web.Features.Finance;

/// <summary>The closed months of the books, and closing the next one.</summary>
public sealed class PeriodsModel(IMediator mediator) : PageModel
{
    public State Current { get; private set; } = null!;
    [BindProperty] public string? Period { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Current = await mediator.Send(new Query(), ct);

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken ct)
    {
        try
        {
            var closed = await mediator.Send(new Close(Period ?? "", User.UserId()), ct);
            TempData["Flash"] = $"{closed.Period} is closed.";
            return RedirectToPage();
        }
        catch (LedgerException e)
        {
            ModelState.AddModelError(nameof(Period), e.Message);
        }
        // Two closes decided from the same stream version: the second commit fails on the version check (or, for
        // the very first close, on the stream id) and its transaction rolls back.
        catch (Exception e) when (e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException
                                      or JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            ModelState.AddModelError(nameof(Period), "Someone else closed a period at the same moment; nothing was changed. Look at the list and try again.");
        }
        Current = await mediator.Send(new Query(), ct);
        return Page();
    }

    public sealed record State(IReadOnlyList<PeriodClosed> Closed, StatementPeriod? Next);

    public sealed record Query : IRequest<State>;

    /// <summary>Closes <see cref="Period"/> (yyyy-MM); refused unless it is the next month to close and has ended.</summary>
    public sealed record Close(string Period, string ClosedBy) : ICommand<PeriodClosed>;

    internal static async Task<(IReadOnlyList<PeriodClosed> Closed, DateTimeOffset? FirstPostingAt)> LoadAsync(IQuerySession session, CancellationToken ct)
    {
        var closed = (await session.Events.FetchStreamAsync(PeriodStream.Id, token: ct)).Select(e => e.Data).OfType<PeriodClosed>().ToList();
        // The first posting decides the first month to close; only ledger transactions post money.
        var first = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId != PeriodStream.Id).OrderBy(e => e.Sequence).Take(1).ToListAsync(ct);
        return (closed, (first.FirstOrDefault()?.Data as ILedgerTransaction)?.PostedAt);
    }

    internal sealed class QueryHandler(IDocumentStore store, TimeProvider clock) : IRequestHandler<Query, State>
    {
        public async Task<State> Handle(Query request, CancellationToken ct)
        {
            await using var session = store.QuerySession();
            var (closed, first) = await LoadAsync(session, ct);
            return new State(closed.OrderByDescending(c => c.Period, StringComparer.Ordinal).ToList(), PeriodDecisions.NextToClose(closed, first, clock.GetUtcNow()));
        }
    }

    internal sealed class CloseHandler(UnitOfWork unitOfWork, IDocumentStore store, NpgsqlDataSource ledger, TimeProvider clock) : IRequestHandler<Close, PeriodClosed>
    {
        public async Task<PeriodClosed> Handle(Close request, CancellationToken ct)
        {
            var session = unitOfWork.Ledger;
            var (closed, first) = await LoadAsync(session, ct);
            // The snapshot must include every posting so far, so wait for the projection to apply them. Postings
            // made after this read land in the open month, which the snapshot does not claim to cover.
            await store.CatchUpAsync();
            var trialBalance = await TrialBalance.ReadAsync(ledger, ct);
            var e = PeriodDecisions.Close(closed, request.Period, first, request.ClosedBy, trialBalance, clock.GetUtcNow());
            // Expected version = the stream's version after this append: two closes decided from the same state
            // cannot both commit. The first close starts the stream, and a second start collides on its id.
            if (closed.Count == 0) session.Events.StartStream(PeriodStream.Id, e);
            else session.Events.Append(PeriodStream.Id, closed.Count + 1, e);
            return e;
        }
    }
}
