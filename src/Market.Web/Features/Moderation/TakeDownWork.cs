using Market.Domain;
using Market.Domain.Catalog;
using Market.Web.Data;
using Market.Web.Features.Licenses;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Moderation;

/// <summary>
/// Takes a work off the market for theft: it leaves the catalog, every license still running on it is recalled
/// (the organisations must stop using it, delete it and attest), and its creator and rights holders are told why.
/// The moderator page sends it; so can a detection case that proves a theft.
/// </summary>
public sealed record TakeDownWork(Guid WorkId, string ModeratorId, string? Reason) : ICommand<TakedownResult>;

/// <param name="LicensesRecalled">How many organisations' licenses held the work and were told.</param>
public sealed record TakedownResult(string Title, int LicensesRecalled);

/// <summary>An unknown work id: the page answers 404 and nothing changes.</summary>
public sealed class NoSuchWorkException() : DomainException("There is no work with that id.");

internal sealed class TakeDownWorkHandler(MarketDb db, IMediator mediator, Notifier notifier, TimeProvider clock)
    : IRequestHandler<TakeDownWork, TakedownResult>
{
    public async Task<TakedownResult> Handle(TakeDownWork request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var work = await db.Works.Include(w => w.RightsHolders).FirstOrDefaultAsync(w => w.Id == request.WorkId, ct)
            ?? throw new NoSuchWorkException();
        work.TakeDown(request.Reason, request.ModeratorId, now);
        var recalled = await mediator.Send(new RecallWork(work.Id, RecallCause.Takedown, work.TakedownReason!, now), ct);

        // The creator and every rights holder: with an account they get a notification (and its e-mail); a holder
        // who never signed up has only the address the creator gave, so they get the e-mail alone.
        var subject = $"“{work.Title}” was taken down by a moderator";
        var body = $"A moderator has taken down “{work.Title}”: {work.TakedownReason} It has left the catalog and can no longer be sold, " +
                   recalled switch
                   {
                       0 => "and no license was running on it. ",
                       1 => "and the organisation holding a license on it was told to stop using it and delete it. ",
                       _ => $"and the {recalled} organisations holding licenses on it were told to stop using it and delete it. ",
                   } +
                   "If you believe this is a mistake, contact the marketplace's moderators.";
        await notifier.NotifyAsync(work.CreatorId, NotificationKind.WorkTakenDown, subject, body, $"/Works/Details/{work.Id}", ct);
        // Other holders cannot open the creator's work page; their notice links nowhere.
        var holders = work.RightsHolders.Where(h => h.UserId is not null && h.UserId != work.CreatorId).Select(h => h.UserId!).ToList();
        await notifier.NotifyAsync(holders, NotificationKind.WorkTakenDown, subject, body, null, ct);
        foreach (var holder in work.RightsHolders.Where(h => h.UserId is null && h.Email is not null))
            notifier.Email(holder.Email!, holder.Name, subject, body);
        return new TakedownResult(work.Title, recalled);
    }
}
