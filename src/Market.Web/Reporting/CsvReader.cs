using System.Text;

namespace Market.Web.Reporting;

/// <summary>
/// Reads RFC 4180 CSV as spreadsheets write it: quoted fields with doubled quotes and line breaks inside,
/// CRLF or LF rows, an optional UTF-8 BOM. Strict where it matters: a quote left open is an error with its
/// row number, not a silently merged row.
/// </summary>
public static class CsvReader
{
    public static List<string[]> Parse(string text, int maxRows)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var quoted = false;
        var line = 1;
        var rowStartLine = 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                if (c == '"') { quoted = false; i++; continue; }
                if (c == '\n') line++;
                field.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRow();
                    line++;
                    rowStartLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
            i++;
        }
        if (quoted) throw new FormatException($"Row starting on line {rowStartLine} has a quote that is never closed.");
        if (field.Length > 0 || row.Count > 0) EndRow();
        return rows;

        void EndRow()
        {
            row.Add(field.ToString());
            field.Clear();
            // Blank lines (a trailing newline, spacing) are not rows.
            if (!(row.Count == 1 && row[0].Length == 0))
            {
                if (rows.Count == maxRows) throw new FormatException($"The file has more than {maxRows - 1:N0} rows; split it into smaller files.");
                rows.Add(row.ToArray());
            }
            row = [];
        }
    }
}
