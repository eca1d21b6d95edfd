using System.Globalization;
using Market.Domain.Detection;

namespace Market.Domain.Moderation;

/// <summary>One line of a hash-only registration, read and checked.</summary>
public sealed record HashLine(int LineNumber, string HashHex, int? Quality, string Label);

public sealed record HashLineError(int LineNumber, string Message)
{
    public override string ToString() => $"Line {LineNumber}: {Message}";
}

/// <summary>
/// Reads what a rights holder pastes or uploads to register works by hash alone. Each line is either what our CLI
/// <c>hash</c> verb prints, <c>hash_hex,quality,file</c> (the file name becomes the label), or a bare 64-hex PDQ
/// hash followed by a space and a label. Blank lines, <c>#</c> comments and the CLI's header line are skipped.
/// Every line is checked and every bad one reported by number; the caller registers nothing unless there are none,
/// so a half-registered batch never has to be untangled.
/// </summary>
public static class ProtectedWorkHashLines
{
    public const int MaxLines = 1000;

    public static (IReadOnlyList<HashLine> Lines, IReadOnlyList<HashLineError> Errors) Parse(string? text)
    {
        var lines = new List<HashLine>();
        var errors = new List<HashLineError>();
        var seen = new Dictionary<string, int>();
        var raw = (text ?? "").Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < raw.Length; i++)
        {
            var number = i + 1;
            var line = raw[i].Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.Equals("hash_hex,quality,file", StringComparison.OrdinalIgnoreCase)) continue;
            if (lines.Count + errors.Count >= MaxLines)
            {
                errors.Add(new HashLineError(number, $"At most {MaxLines} hashes at a time; send the rest separately."));
                break;
            }
            var parsed = ParseLine(number, line);
            if (parsed.Error is not null) { errors.Add(parsed.Error); continue; }
            var entry = parsed.Line!;
            if (seen.TryGetValue(entry.HashHex, out var first))
            {
                errors.Add(new HashLineError(number, $"The same hash is on line {first} already."));
                continue;
            }
            seen[entry.HashHex] = number;
            lines.Add(entry);
        }
        if (lines.Count == 0 && errors.Count == 0) errors.Add(new HashLineError(1, "There are no hashes to register."));
        return (lines, errors);
    }

    private static (HashLine? Line, HashLineError? Error) ParseLine(int number, string line)
    {
        string hashText, label;
        int? quality = null;
        var comma = line.IndexOf(',');
        if (comma >= 0)
        {
            // hash_hex,quality,file — the file name may itself hold commas, so only the first two split.
            var parts = line.Split(',', 3);
            if (parts.Length < 3)
                return (null, new HashLineError(number, "Expected hash_hex,quality,file (as the hash command prints it) or a hash, a space and a label."));
            hashText = parts[0].Trim();
            if (!int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var q) || q > 100)
                return (null, new HashLineError(number, $"The quality \"{Shorten(parts[1].Trim())}\" is not a whole number from 0 to 100."));
            quality = q;
            label = parts[2].Trim();
        }
        else
        {
            var space = line.IndexOfAny([' ', '\t']);
            hashText = space < 0 ? line : line[..space];
            label = space < 0 ? "" : line[(space + 1)..].Trim();
        }
        if (!PdqHash.TryParse(hashText, out var hash))
            return (null, new HashLineError(number, $"\"{Shorten(hashText)}\" is not a PDQ hash (64 hexadecimal digits)."));
        if (hash == PdqHash.Zero)
            return (null, new HashLineError(number, "An all-zero hash is what a blank image gives; it would match nothing reliably."));
        if (quality < PdqHash.MinimumQuality)
            return (null, new HashLineError(number,
                $"Quality {quality} is below {PdqHash.MinimumQuality}: a hash of so flat or small an image cannot be matched reliably. Hash a larger, more detailed copy, or leave this one out."));
        if (label.Length == 0) return (null, new HashLineError(number, "Give a label after the hash, so you and the moderators can tell the entry apart."));
        if (label.Length > ProtectedWork.MaxLabelLength)
            return (null, new HashLineError(number, $"The label is longer than {ProtectedWork.MaxLabelLength} characters."));
        return (new HashLine(number, hash.ToHex(), quality, label), null);
    }

    private static string Shorten(string s) => s.Length > 70 ? s[..70] + "…" : s;
}
