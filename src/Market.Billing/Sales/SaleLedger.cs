using Market.Billing.Ledger;

namespace Market.Billing.Sales;

/// <summary>
/// Where every part of one sale's money is now: per item, the platform's fee not yet reversed, and per item and
/// holder, how much sits pending, available, held for a claim and held for a dispute. Folded from the sale's
/// stream (Marten's live aggregation, or <see cref="From"/>); the decisions read it and never change it.
/// </summary>
public sealed class SaleLedger
{
    public Guid Id { get; set; }
    public string Currency { get; set; } = "";
    public long GrossMinor { get; set; }
    public DateTimeOffset PostedAt { get; set; }
    public bool Matured { get; set; }
    public long RefundedMinor { get; set; }
    public long LostToDisputesMinor { get; set; }
    public Dictionary<Guid, long> Fees { get; set; } = [];
    public Dictionary<string, RoyaltyPart> Royalties { get; set; } = [];
    public HashSet<string> Refunds { get; set; } = [];
    public HashSet<string> FeeReferences { get; set; } = [];
    public Dictionary<string, DisputeState> Disputes { get; set; } = [];
    /// <summary>Works of this sale whose royalties a claim holds now: work → claim.</summary>
    public Dictionary<Guid, Guid> ClaimHolds { get; set; } = [];
    /// <summary>Works of this sale whose held royalties an upheld claim gave to a proven owner: work → owner payee.</summary>
    public Dictionary<Guid, string> Redirects { get; set; } = [];

    public bool Exists => Id != Guid.Empty;
    public DisputeState? OpenDispute => Disputes.Values.FirstOrDefault(d => d.Open);

    public static string KeyOf(Guid workId, string payeeId) => $"{workId:N}/{payeeId}";

    public RoyaltyPart Part(Guid workId, string payeeId) =>
        Royalties.TryGetValue(KeyOf(workId, payeeId), out var part) ? part : Royalties[KeyOf(workId, payeeId)] = new RoyaltyPart { WorkId = workId, PayeeId = payeeId };

    public static SaleLedger From(IEnumerable<ISaleTransaction> events)
    {
        var ledger = new SaleLedger();
        foreach (var e in events) ledger.Fold(e);
        return ledger;
    }

    // Not named Apply: Marten would take an Apply(interface) as a handler of its own and fold every event twice.
    public void Fold(ISaleTransaction e)
    {
        switch (e)
        {
            case SalePosted x: Apply(x); break;
            case SaleRefunded x: Apply(x); break;
            case DisputeOpened x: Apply(x); break;
            case DisputeClosed x: Apply(x); break;
            case RoyaltiesMatured x: Apply(x); break;
            case SaleRoyaltiesHeld x: Apply(x); break;
            case SaleRoyaltiesReleased x: Apply(x); break;
            case SaleRoyaltiesRedirected x: Apply(x); break;
            case ProcessorFeeCharged x: Apply(x); break;
            default: throw new InvalidOperationException($"A sale does not know {e.GetType().Name}.");
        }
    }

    public void Apply(SalePosted e)
    {
        Id = e.SaleId; Currency = e.Currency; GrossMinor = e.GrossMinor; PostedAt = e.PostedAt;
        foreach (var item in e.Items)
        {
            Fees[item.WorkId] = Fees.GetValueOrDefault(item.WorkId) + item.FeeMinor;
            foreach (var r in item.Royalties)
            {
                var part = Part(item.WorkId, r.PayeeId);
                if (r.Bucket == PayeeBucket.Held) { part.ClaimHeld += r.NetMinor; ClaimHolds[item.WorkId] = r.ClaimId!.Value; }
                else part.Pending += r.NetMinor;
            }
        }
    }

    public void Apply(SaleRefunded e)
    {
        Refunds.Add(e.RefundId);
        RefundedMinor += e.AmountMinor;
        ApplyReversal(e.Lines);
    }

    public void Apply(DisputeOpened e)
    {
        var dispute = new DisputeState { Id = e.DisputeId, AmountMinor = e.AmountMinor, Open = true, Parts = e.Parts.ToList() };
        foreach (var p in e.Parts.Where(p => p.PayeeId is not null))
        {
            var part = Part(p.WorkId, p.PayeeId!);
            part.Pending -= p.FromPendingMinor;
            part.Available -= p.FromAvailableMinor;
            part.ClaimHeld -= p.FromClaimHeldMinor;
            part.DisputeHeld += p.AmountMinor;
        }
        Disputes[e.DisputeId] = dispute;
    }

    public void Apply(DisputeClosed e)
    {
        var dispute = Disputes[e.DisputeId];
        dispute.Open = false;
        dispute.Won = e.Won;
        if (!e.Won) LostToDisputesMinor += e.AmountMinor;
        foreach (var p in dispute.Parts)
        {
            if (p.PayeeId is null)
            {
                if (!e.Won) Fees[p.WorkId] -= p.AmountMinor;
                continue;
            }
            Part(p.WorkId, p.PayeeId).DisputeHeld -= p.AmountMinor;
            if (!e.Won) continue;
            // Won: the money goes back where a refund-free sale would have it now, which is the claim hold when
            // the work is under one, else pending or available by the holding period; and to the proven owner
            // when a claim upheld while the dispute was open took the work's royalties from its holders.
            var part = Part(p.WorkId, Redirects.GetValueOrDefault(p.WorkId) ?? p.PayeeId);
            if (ClaimHolds.ContainsKey(p.WorkId)) part.ClaimHeld += p.AmountMinor;
            else if (Matured) part.Available += p.AmountMinor;
            else part.Pending += p.AmountMinor;
        }
    }

    public void Apply(RoyaltiesMatured e)
    {
        Matured = true;
        foreach (var part in Royalties.Values) { part.Available += part.Pending; part.Pending = 0; }
    }

    public void Apply(SaleRoyaltiesHeld e)
    {
        ClaimHolds[e.WorkId] = e.ClaimId;
        foreach (var part in Royalties.Values.Where(p => p.WorkId == e.WorkId))
        {
            part.ClaimHeld += part.Pending + part.Available;
            part.Pending = 0; part.Available = 0;
        }
    }

    public void Apply(SaleRoyaltiesReleased e)
    {
        ClaimHolds.Remove(e.WorkId);
        foreach (var part in Royalties.Values.Where(p => p.WorkId == e.WorkId))
        {
            if (Matured) part.Available += part.ClaimHeld; else part.Pending += part.ClaimHeld;
            part.ClaimHeld = 0;
        }
    }

    public void Apply(SaleRoyaltiesRedirected e)
    {
        ClaimHolds.Remove(e.WorkId);
        Redirects[e.WorkId] = e.OwnerPayeeId;
        long moved = 0;
        foreach (var part in Royalties.Values.Where(p => p.WorkId == e.WorkId).ToList())
        {
            moved += part.ClaimHeld;
            part.ClaimHeld = 0;
        }
        var owner = Part(e.WorkId, e.OwnerPayeeId);
        if (Matured) owner.Available += moved; else owner.Pending += moved;
    }

    public void Apply(ProcessorFeeCharged e) => FeeReferences.Add(e.Reference);

    private void ApplyReversal(IReadOnlyList<JournalLine> lines)
    {
        foreach (var line in lines.Where(l => l.WorkId is not null && l.DebitMinor > 0))
        {
            if (line.Account == Accounts.PlatformRevenue) { Fees[line.WorkId!.Value] -= line.DebitMinor; continue; }
            if (!Accounts.TryParsePayee(line.Account, out var payee, out var bucket)) continue;
            var part = Part(line.WorkId!.Value, payee);
            switch (bucket)
            {
                case PayeeBucket.Pending: part.Pending -= line.DebitMinor; break;
                case PayeeBucket.Available: part.Available -= line.DebitMinor; break;
                case PayeeBucket.Held: part.ClaimHeld -= line.DebitMinor; break;
            }
        }
    }
}

/// <summary>One holder's money from one item of a sale, by where it sits now.</summary>
public sealed class RoyaltyPart
{
    public Guid WorkId { get; set; }
    public string PayeeId { get; set; } = "";
    public long Pending { get; set; }
    public long Available { get; set; }
    public long ClaimHeld { get; set; }
    public long DisputeHeld { get; set; }

    /// <summary>What a refund may still take from this part: everything not already reversed or under a dispute.</summary>
    public long Refundable => Pending + Available + ClaimHeld;
}

public sealed class DisputeState
{
    public string Id { get; set; } = "";
    public long AmountMinor { get; set; }
    public bool Open { get; set; }
    public bool Won { get; set; }
    public List<DisputedPart> Parts { get; set; } = [];
}
