using System.Globalization;
using System.Text;
using Stripe;

namespace Market.Billing.Reconciliation;

/// <summary>
/// One movement of the provider's balance, in minor units. Amount and fee are signed as the provider shows
/// them: a charge is positive, a refund or a transfer negative; the fee is what the provider kept.
/// <see cref="PaymentReference"/> is the payment intent behind a charge when known, else <see cref="Source"/>.
/// </summary>
public sealed record BalanceTransaction(string Id, string Type, string Source, string? PaymentReference, long AmountMinor, long FeeMinor, long NetMinor, string Currency, DateTimeOffset Created);

/// <summary>Where balance transactions come from: an uploaded export, or the provider's API.</summary>
public interface IBalanceTransactionSource
{
    Task<IReadOnlyList<BalanceTransaction>> ListAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}

/// <summary>
/// Reads Stripe's balance history CSV export (Dashboard → Balances → Export). Columns read, by header name
/// (case-insensitive, any order, others ignored): <c>id</c>, <c>Type</c>, <c>Source</c>, <c>Amount</c>,
/// <c>Fee</c>, <c>Net</c>, <c>Currency</c>, <c>Created (UTC)</c>, and when present <c>Payment Intent</c> (or
/// <c>payment_intent_id</c>), which is what our sales record as their payment reference. Amounts are in major
/// units with a decimal point ("-12.50"); they are converted to minor units by string arithmetic with the
/// currency's exponent, never through floating point.
/// </summary>
public static class StripeBalanceCsv
{
    public static IReadOnlyList<BalanceTransaction> Read(TextReader reader, Func<string, int> exponentOf)
    {
        var rows = CsvRows(reader).ToList();
        if (rows.Count == 0) throw new ReconciliationException("The file is empty.");
        var header = rows[0].Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
        int Column(params string[] names)
        {
            foreach (var name in names)
            {
                var i = header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
                if (i >= 0) return i;
            }
            return -1;
        }
        int Required(string name) => Column(name) is var i and >= 0 ? i : throw new ReconciliationException($"The file has no \"{name}\" column; export the balance history with its default columns.");
        var (id, type, source, amount, fee, net, currency, created) =
            (Required("id"), Required("Type"), Required("Source"), Required("Amount"), Required("Fee"), Required("Net"), Required("Currency"), Required("Created (UTC)"));
        var paymentIntent = Column("Payment Intent", "payment_intent_id", "Payment Intent ID");

        var result = new List<BalanceTransaction>(rows.Count - 1);
        for (var r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Count == 1 && string.IsNullOrWhiteSpace(row[0])) continue;
            string Cell(int i) => i < row.Count ? row[i].Trim() : "";
            try
            {
                var code = Cell(currency).ToUpperInvariant();
                int exponent;
                try { exponent = exponentOf(code); }
                catch (Exception e) { throw new ReconciliationException($"currency \"{code}\" is not one the marketplace uses ({e.Message})"); }
                var pi = paymentIntent >= 0 ? Cell(paymentIntent) : "";
                result.Add(new BalanceTransaction(Cell(id), Cell(type).ToLowerInvariant(), Cell(source), pi.Length > 0 ? pi : null,
                    ToMinor(Cell(amount), exponent), ToMinor(Cell(fee), exponent), ToMinor(Cell(net), exponent), code, ParseCreated(Cell(created))));
            }
            catch (ReconciliationException e)
            {
                throw new ReconciliationException($"Line {r + 1}: {e.Message}");
            }
        }
        return result;
    }

    /// <summary>"-1,234.5" with exponent 2 → -123450. Thousands separators are dropped; more decimals than the currency has are refused.</summary>
    public static long ToMinor(string text, int exponent)
    {
        var s = text.Replace(",", "").Trim();
        var negative = s.StartsWith('-');
        if (negative) s = s[1..];
        var parts = s.Split('.');
        if (s.Length == 0 || parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.All(char.IsAsciiDigit)) || parts[0].Length > 15)
            throw new ReconciliationException($"\"{text}\" is not an amount.");
        var fraction = parts.Length == 2 ? parts[1] : "";
        if (fraction.Length > exponent) throw new ReconciliationException($"\"{text}\" has more decimals than its currency.");
        var minor = long.Parse(parts[0], CultureInfo.InvariantCulture) * Pow10(exponent)
            + (fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(exponent, '0'), CultureInfo.InvariantCulture));
        return negative ? -minor : minor;
    }

    private static long Pow10(int exponent)
    {
        long p = 1;
        for (var i = 0; i < exponent; i++) p *= 10;
        return p;
    }

    private static DateTimeOffset ParseCreated(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at : throw new ReconciliationException($"\"{text}\" is not a date.");

    /// <summary>RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static IEnumerable<List<string>> CsvRows(TextReader reader)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                    else quoted = false;
                }
                else field.Append(ch);
                continue;
            }
            switch (ch)
            {
                case '"': quoted = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n': row.Add(field.ToString()); field.Clear(); yield return row; row = []; break;
                default: field.Append(ch); break;
            }
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); yield return row; }
    }
}

/// <summary>Stripe's balance transactions through its API (BalanceTransactionService), every page, payment intents expanded from the source charge.</summary>
public sealed class StripeBalanceTransactionSource(IStripeClient client, Func<string, int> exponentOf) : IBalanceTransactionSource
{
    public static IBalanceTransactionSource Create(Payments.StripeSettings settings, Func<string, int> exponentOf) =>
        new StripeBalanceTransactionSource(settings.CreateClient(), exponentOf);

    public async Task<IReadOnlyList<BalanceTransaction>> ListAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var options = new BalanceTransactionListOptions
        {
            Created = new DateRangeOptions { GreaterThanOrEqual = from.UtcDateTime, LessThan = to.UtcDateTime },
            Limit = 100,
            Expand = ["data.source"],
        };
        var result = new List<BalanceTransaction>();
        await foreach (var t in new BalanceTransactionService(client).ListAutoPagingAsync(options, cancellationToken: ct))
        {
            var currency = (t.Currency ?? "").ToUpperInvariant();
            _ = exponentOf(currency); // refuses a currency the marketplace does not use, like the CSV reader
            var paymentIntent = t.Source is Charge charge ? charge.PaymentIntentId : null;
            result.Add(new BalanceTransaction(t.Id, t.Type, t.SourceId ?? "", paymentIntent, t.Amount, t.Fee, t.Net, currency, t.Created));
        }
        return result;
    }
}

/// <summary>An export or a reply that cannot be read; the message says where and why.</summary>
public sealed class ReconciliationException(string message) : Exception(message);
