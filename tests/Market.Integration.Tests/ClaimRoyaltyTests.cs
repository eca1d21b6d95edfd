
using Market.Billing.Claims;
using Market.Billing.Ledger;
using Market.Billing.Reports;
using Market.Billing.Sales;
using Market.Integration.Tests.Infrastructure;
using Market.Web.Ledger;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Market.Integration.Tests;

/// <summary>The ledger side of a theft claim: hold a work's royalties, then release them or send them to the proven owner.</summary>
public sealed class ClaimRoyaltyTests(MarketAppFactory app) : IntegrationTest(app)
{
    private const long Royalty = 3_920; // 49.00 EUR less the 20 % fee

    private async Task<Guid> BuyAsync(Guid workId, string buyerEmail, string organisation)
    {
        var buyer = await this.SignUpBuyerAsync(buyerEmail, organisation);
        await buyer.AddToBundleAsync(workId);
        var paymentPage = (await buyer.CheckoutAsync()).Headers.Location!.OriginalString;
        await buyer.PayWithTestProviderAsync(paymentPage);
        return Guid.Parse(paymentPage.Split('/')[^1]);
    }

    private Task<string> UserIdAsync(string email) => Db(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<T> SendAsync<T>(IRequest<T> request) => App.WithScopeAsync(sp => sp.GetRequiredService<IMediator>().Send(request));

    private async Task<PayeeBalance> BalanceAsync(string payeeId) =>
        (await App.PayeeBalancesAsync()).SingleOrDefault(b => b.PayeeId == payeeId) ?? new PayeeBalance(payeeId, "EUR", 0, 0, 0);

    /// <summary>What the payee's statement lines say is held for them, in total.</summary>
    private Task<long> StatementHeldAsync(string payeeId) =>
        App.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<Marten.IDocumentStore>().CatchUpAsync();
            await using var command = sp.GetRequiredService<NpgsqlDataSource>().CreateCommand(
                $"select coalesce(sum(held), 0)::bigint from {LedgerTables.Qualified(StatementLinesProjection.LinesTable)} where payee = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = payeeId });
            return (long)(await command.ExecuteScalarAsync())!;
        });

    private async Task<(Guid WorkId, string UploaderId)> ListAsync()
    {
        var uploader = await this.SignUpCreatorAsync("up@example.test");
        return (await uploader.ListAsync(App, "Disputed authorship"), await UserIdAsync("up@example.test"));
    }

    [Fact]
    public async Task An_upheld_claim_sends_held_and_future_royalties_to_the_owner()
    {
        var (workId, uploaderId) = await ListAsync();
        await this.SignUpCreatorAsync("owner@example.test", "Real Author");
        var ownerId = await UserIdAsync("owner@example.test");
        var claimId = Guid.NewGuid();
        var first = await BuyAsync(workId, "b1@lab.test", "Lab One");
        (await BalanceAsync(uploaderId)).PendingMinor.ShouldBe(Royalty);

        (await SendAsync(new ClaimRoyalties.Hold(workId, claimId))).ShouldBe(1);
        (await SendAsync(new ClaimRoyalties.Hold(workId, claimId))).ShouldBe(0, "a repeat holds nothing twice");
        (await BalanceAsync(uploaderId)).ShouldBe(new PayeeBalance(uploaderId, "EUR", 0, 0, Royalty));
        (await StatementHeldAsync(uploaderId)).ShouldBe(Royalty);

        // A sale while the claim is open is held from the start.
        var second = await BuyAsync(workId, "b2@lab.test", "Lab Two");
        (await App.SaleEventsAsync(second)).OfType<SalePosted>().Single().Items.Single().Royalties.ShouldAllBe(r => r.Bucket == PayeeBucket.Held && r.ClaimId == claimId);
        (await BalanceAsync(uploaderId)).HeldMinor.ShouldBe(2 * Royalty);

        // Another claim cannot take over this work's route, nor uphold this one.
        await Should.ThrowAsync<LedgerException>(() => SendAsync(new ClaimRoyalties.Hold(workId, Guid.NewGuid())));
        await Should.ThrowAsync<LedgerException>(() => SendAsync(new ClaimRoyalties.Uphold(workId, Guid.NewGuid(), ownerId)));
        await Should.ThrowAsync<LedgerException>(() => SendAsync(new ClaimRoyalties.Uphold(workId, claimId, "bad:payee")));

        (await SendAsync(new ClaimRoyalties.Uphold(workId, claimId, ownerId))).ShouldBe(2);
        (await SendAsync(new ClaimRoyalties.Uphold(workId, claimId, ownerId))).ShouldBe(0);
        (await BalanceAsync(ownerId)).PendingMinor.ShouldBe(2 * Royalty);
        (await BalanceAsync(uploaderId)).ShouldBe(new PayeeBalance(uploaderId, "EUR", 0, 0, 0));
        await Should.ThrowAsync<LedgerException>(() => SendAsync(new ClaimRoyalties.Release(claimId)));

        // Later sales pay the owner directly.
        await BuyAsync(workId, "b3@lab.test", "Lab Three");
        (await BalanceAsync(ownerId)).PendingMinor.ShouldBe(3 * Royalty);
        (await BalanceAsync(uploaderId)).PayableMinor.ShouldBe(0);
        _ = first;
    }

    [Fact]
    public async Task A_rejected_claim_releases_the_royalties_to_their_holders()
    {
        var (workId, uploaderId) = await ListAsync();
        var claimId = Guid.NewGuid();
        await BuyAsync(workId, "b1@lab.test", "Lab One");
        await SendAsync(new ClaimRoyalties.Hold(workId, claimId));
        await BuyAsync(workId, "b2@lab.test", "Lab Two");
        (await BalanceAsync(uploaderId)).HeldMinor.ShouldBe(2 * Royalty);

        (await SendAsync(new ClaimRoyalties.Release(claimId))).ShouldBe(2);
        (await SendAsync(new ClaimRoyalties.Release(claimId))).ShouldBe(0, "a repeat releases nothing twice");

        (await BalanceAsync(uploaderId)).ShouldBe(new PayeeBalance(uploaderId, "EUR", 2 * Royalty, 0, 0));
        (await App.WithScopeAsync(async sp =>
        {
            await using var session = sp.GetRequiredService<Marten.IDocumentStore>().QuerySession();
            return await session.LoadAsync<RoyaltyRoute>(workId);
        })).ShouldBeNull();
        await BuyAsync(workId, "b3@lab.test", "Lab Three");
        (await BalanceAsync(uploaderId)).PendingMinor.ShouldBe(3 * Royalty);
    }
}
