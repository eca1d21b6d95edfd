using System.Globalization;
using System.Text;

namespace Market.Domain.Catalog;

/// <summary>
/// Loose comparison of people's names as files and accounts spell them: "Zoë Åkesson", "zoe akesson" and
/// "© Zoe Akesson Studio" are the same person for a flag's purposes. Erring towards a match is deliberate:
/// a flag the creator must answer is friction, and this check is a prompt, not the detector.
/// </summary>
public static class PersonNames
{
    public static bool SamePerson(string? a, string? b)
    {
        var x = Words(a);
        var y = Words(b);
        if (x.Length == 0 || y.Length == 0) return false;
        return ContainsRun(x, y) || ContainsRun(y, x);
    }

    /// <summary>False for a value with no letters or digits ("-", "©"): it names nobody, so it cannot name someone else.</summary>
    public static bool NamesSomeone(string? name) => Words(name).Length > 0;

    private static string[] Words(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return [];
        var plain = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            plain.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }
        return plain.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool ContainsRun(string[] haystack, string[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return true;
        return false;
    }
}
