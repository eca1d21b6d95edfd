using System.Globalization;
using System.Text;

namespace Market.Web.Reporting;

/// <summary>
/// RFC 4180 CSV for finance exports. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab,
/// CR) get a leading apostrophe: a payee's display name must never execute on a finance user's machine.
/// Numbers are written invariant, so the file reads the same in every locale.
/// </summary>
public sealed class Csv
{
    private readonly StringBuilder _text = new();

    public Csv(params string[] header) => Row(header.Select(Text).ToArray());

    public static string Text(string? value)
    {
        value ??= "";
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0])) value = "'" + value;
        return Quote(value);
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Adds a row of cells already made with <see cref="Text"/>, <see cref="Number"/> or <see cref="Time"/>.</summary>
    public Csv Row(params string[] cells)
    {
        _text.Append(string.Join(',', cells)).Append("\r\n");
        return this;
    }

    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(_text.ToString());

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
