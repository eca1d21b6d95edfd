using System.Net.Mail;

namespace Market.Domain.Catalog;

public static class EmailAddresses
{
    /// <summary>
    /// The address trimmed and checked for shape (one @, a dotted domain, no display name), or null. Whether it
    /// reaches anyone is what the confirmation link proves.
    /// </summary>
    public static string? Normalise(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 254 || text.Any(char.IsWhiteSpace)) return null;
        if (!MailAddress.TryCreate(text, out var address) || address.Address != text) return null;
        return address.Host.Contains('.') && !address.Host.StartsWith('.') && !address.Host.EndsWith('.') ? text : null;
    }
}
