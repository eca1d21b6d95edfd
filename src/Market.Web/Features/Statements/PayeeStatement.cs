using Market.Billing.Reports;
using Market.Domain.Money;
using Market.Web.Data;
using Market.Web.Reporting;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Market.Web.Features.Statements;

/// <summary>
/// A payee's statement for a period and currency, as both the creator's page (their own payee id only) and the
/// finance page (any payee) show it. The caller decides whose statement may be read; this only reads it.
/// </summary>
public static class PayeeStatement
{
    /// <param name="ShowLicenses">Finance sees each sale's license (its public certificate); a creator does not learn who bought.</param>
    public sealed record Query(string PayeeId, string? Currency, string? Period, string? After, bool ShowLicenses) : IRequest<View>;

    public sealed record View(
        string PayeeId, IReadOnlyList<string> Currencies, string Currency, StatementPeriod Period, Statement Statement,
        IReadOnlyList<SaleGroup> Sales, StatementCursor? Next, bool ShowLicenses, string? Error);

    /// <summary>The lines of one page that belong to one sale (or to no sale: payouts), by work.</summary>
    public sealed record SaleGroup(Guid? SaleId, string? PaymentReference, Guid? LicenseId, IReadOnlyList<ItemRow> Items);

    /// <summary>One work within a sale: its accrual (gross), fee, the rest, and what it did to the balances.</summary>
    public sealed record ItemRow(Guid? WorkId, string WorkTitle, DateTimeOffset At, long GrossMinor, long FeeMinor, long OtherMinor,
        long PayableMinor, long HeldMinor, IReadOnlyList<StatementLine> Lines);

    internal sealed class Handler(NpgsqlDataSource ledger, MarketDb db, TimeProvider clock) : IRequestHandler<Query, View>
    {
        public async Task<View> Handle(Query q, CancellationToken ct)
        {
            var currencies = await StatementQueries.CurrenciesAsync(ledger, q.PayeeId, ct);
            string? error = null;
            var period = StatementPeriod.MonthOf(clock.GetUtcNow());
            if (!string.IsNullOrEmpty(q.Period) && !StatementPeriod.TryParse(q.Period, out period))
            {
                error = $"'{q.Period}' is not a period. Write a month (2026-03), a quarter (2026-Q1) or a year (2026).";
                period = StatementPeriod.MonthOf(clock.GetUtcNow());
            }
            var currency = currencies.FirstOrDefault() ?? "EUR";
            if (!string.IsNullOrEmpty(q.Currency))
            {
                if (Market.Domain.Money.Currencies.IsSupported(q.Currency.ToUpperInvariant())) currency = q.Currency.ToUpperInvariant();
                else error ??= $"'{q.Currency}' is not a currency the marketplace uses.";
            }
            StatementCursor? after = null;
            if (!string.IsNullOrEmpty(q.After))
            {
                if (StatementCursor.TryParse(q.After, out var c)) after = c;
                else error ??= "That page link is not valid; showing the first page.";
            }

            var statement = await StatementQueries.LoadAsync(ledger, q.PayeeId, currency, period, ct);
            var page = await StatementQueries.LinesAsync(ledger, q.PayeeId, currency, period, after, ct);
            var titles = await WorkTitlesAsync(db, page.Lines.Select(l => l.WorkId), ct);
            return new View(q.PayeeId, currencies, currency, period, statement, Group(page.Lines, titles, q.ShowLicenses), page.Next, q.ShowLicenses, error);
        }
    }

    public static async Task<Dictionary<Guid, string>> WorkTitlesAsync(MarketDb db, IEnumerable<Guid?> workIds, CancellationToken ct)
    {
        var ids = workIds.OfType<Guid>().Distinct().ToList();
        return ids.Count == 0 ? [] : await db.Works.AsNoTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Title, ct);
    }

    /// <summary>Groups a page's lines by sale (in order of first appearance), then by work within the sale.</summary>
    public static IReadOnlyList<SaleGroup> Group(IReadOnlyList<StatementLine> lines, IReadOnlyDictionary<Guid, string> titles, bool showLicenses)
    {
        var groups = new List<SaleGroup>();
        // Lines without a sale (payouts) are not grouped together: each is its own entry, in posting order.
        foreach (var sale in lines.GroupBy(l => l.SaleId ?? Guid.Empty).SelectMany(g => g.Key == Guid.Empty ? g.Select(l => new[] { l }.AsEnumerable()) : [g]))
        {
            var first = sale.First();
            var items = sale.GroupBy(l => l.WorkId).Select(w => new ItemRow(
                w.Key, w.Key is { } id ? titles.GetValueOrDefault(id, "(removed work)") : "",
                w.First().At,
                w.Where(l => l.Kind == StatementKind.Accrual).Sum(l => l.PayableMinor + l.HeldMinor),
                w.Where(l => l.Kind == StatementKind.Fee).Sum(l => l.PayableMinor + l.HeldMinor),
                w.Where(l => l.Kind is not (StatementKind.Accrual or StatementKind.Fee)).Sum(l => l.PayableMinor + l.HeldMinor),
                w.Sum(l => l.PayableMinor), w.Sum(l => l.HeldMinor), w.ToList())).ToList();
            groups.Add(new SaleGroup(first.SaleId, first.PaymentReference, showLicenses ? first.LicenseId : null, items));
        }
        return groups;
    }

    public static string KindName(StatementKind kind) => kind switch
    {
        StatementKind.Accrual => "Royalties accrued",
        StatementKind.Fee => "Platform fees",
        StatementKind.Refund => "Refunds",
        StatementKind.Chargeback => "Chargebacks",
        StatementKind.Hold => "Held (disputes, claims)",
        StatementKind.Release => "Released from hold",
        StatementKind.RedirectedIn => "Redirected to you",
        StatementKind.RedirectedOut => "Redirected to the proven owner",
        StatementKind.Payout => "Payouts",
        StatementKind.PayoutReturned => "Payouts returned",
        _ => kind.ToString(),
    };

    /// <summary>
    /// The statement CSV, one row per statement line of the period in posting order (UTF-8, CRLF, RFC 4180):
    /// at (UTC, ISO 8601), sequence and ordinal (the ledger event's global sequence and the line's position in
    /// it: together a line's unique id), kind (accrual, fee, refund, chargeback, hold, release, redirected_in,
    /// redirected_out, payout, payout_returned), sale_id, payment_reference, license_id (finance only; empty for
    /// creators), work_id, work_title, reference (refund, dispute, claim or payout batch id), payable_minor and
    /// held_minor (integer minor units; negative reduces the balance), currency, then payable and held in major
    /// units. Summing payable_minor and held_minor over the file gives the period's movement on the statement.
    /// </summary>
    public static readonly string[] CsvColumns =
        ["at", "sequence", "ordinal", "kind", "sale_id", "payment_reference", "license_id", "work_id", "work_title", "reference",
         "payable_minor", "held_minor", "currency", "payable", "held"];

    public static async Task<byte[]> CsvAsync(NpgsqlDataSource ledger, MarketDb db, string payeeId, string currency, StatementPeriod period, bool showLicenses, CancellationToken ct)
    {
        var csv = new Csv(CsvColumns);
        var batch = new List<StatementLine>();
        async Task Flush()
        {
            var titles = await WorkTitlesAsync(db, batch.Select(l => l.WorkId), ct);
            foreach (var l in batch)
                csv.Row(Csv.Time(l.At), Csv.Number(l.Sequence), Csv.Number(l.Ordinal), Csv.Text(CsvKind(l.Kind)), Csv.Text(l.SaleId?.ToString()),
                    Csv.Text(l.PaymentReference), Csv.Text(showLicenses ? l.LicenseId?.ToString() : null), Csv.Text(l.WorkId?.ToString()),
                    Csv.Text(l.WorkId is { } w ? titles.GetValueOrDefault(w, "(removed work)") : null), Csv.Text(l.Reference),
                    Csv.Number(l.PayableMinor), Csv.Number(l.HeldMinor), Csv.Text(currency),
                    Currencies.FormatPlain(l.PayableMinor, currency), Currencies.FormatPlain(l.HeldMinor, currency));
            batch.Clear();
        }
        await foreach (var line in StatementQueries.AllLinesAsync(ledger, payeeId, currency, period, ct))
        {
            batch.Add(line);
            if (batch.Count == 5000) await Flush();
        }
        await Flush();
        return csv.ToUtf8();
    }

    public static string CsvKind(StatementKind kind) => kind switch
    {
        StatementKind.RedirectedIn => "redirected_in",
        StatementKind.RedirectedOut => "redirected_out",
        StatementKind.PayoutReturned => "payout_returned",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
