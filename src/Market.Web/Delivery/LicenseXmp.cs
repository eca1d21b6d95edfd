using System.Globalization;
using System.Security;
using System.Text;
using Market.Domain.Licensing;

namespace Market.Web.Delivery;

/// <summary>What a delivered file says about its license, wherever it travels without the archive.</summary>
public sealed record XmpLicenseFacts(
    Guid LicenseId,
    Guid WorkId,
    string Title,
    string Creator,
    string CopyrightHolder,
    string RightsHolders,
    string Licensee,
    LicenseTerms Terms,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? OriginalSha256,
    bool AiGenerated,
    string Issuer,
    string VerifyUrl,
    string PublicKeyUrl)
{
    public static XmpLicenseFacts For(LicenseItem item, string licensee, string? originalSha256, bool aiGenerated, SiteSettings site) =>
        new(item.LicenseId, item.WorkId, item.WorkTitle, item.CreatorName, item.CopyrightHolder, item.RightsHolders, licensee, item.Terms,
            item.StartsAt, item.EndsAt, originalSha256, aiGenerated, site.PublicUrl.TrimEnd('/'), site.Absolute($"/Verify/{item.LicenseId}"),
            site.Absolute(LicenseKeyPaths.Pem));
}

/// <summary>Where the site publishes the key that signs manifests (see Licensing/LicensingSetup).</summary>
public static class LicenseKeyPaths
{
    public const string Pem = "/.well-known/license-signing-key.pem";
}

/// <summary>
/// The XMP packet embedded in every delivered file. Standard properties come first so ordinary photo software
/// shows them: Dublin Core (title, creator, rights), XMP Rights Management (Marked, WebStatement, UsageTerms) and
/// PLUS as the IPTC Photo Metadata Standard uses it (Licensor, Licensee, LicenseID, start and end, copyright owner,
/// image creator, and Data Mining, set to "prohibited, see constraints" with the constraint naming the one
/// licensee allowed). Our own namespace repeats the license in machine-checkable form. Nothing in it depends on
/// the time of download, so the same item always gets the same bytes (and the same ETag).
/// </summary>
public static class LicenseXmp
{
    public const string Namespace = "urn:market-license:xmp:1.0/";
    public const string PlusNamespace = "http://ns.useplus.org/ldf/xmp/1.0/";
    public const string DataMiningSeeConstraint = "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-SEECONSTRAINT";

    public static byte[] Packet(XmpLicenseFacts f) => Encoding.UTF8.GetBytes(PacketText(f));

    public static string PacketText(XmpLicenseFacts f)
    {
        var ends = Date(f.EndsAt);
        var scope = LicenseTerms.ScopeText(f.Terms.Scope);
        var rights = $"© {f.CopyrightHolder}. Licensed to {f.Licensee} under license {f.LicenseId} for {scope} until {ends}; " +
                     $"any other use needs the rights holders' permission. Verify: {f.VerifyUrl}";
        var constraint = $"Text and data mining and AI/ML training are permitted only to {f.Licensee} under license {f.LicenseId}, " +
                         $"for {scope}, {(f.Terms.Commercial ? "commercial" : "non-commercial")} use, from {Date(f.StartsAt)} until {ends}" +
                         (f.Terms.NameMayNotBeUsedAsPrompt ? $"; the name {f.Creator} may not be used as a prompt or trigger token" : "") +
                         $"; at the end the licensee must {LicenseTerms.DutyText(f.Terms.DutyAtExpiry)} and attest it within {f.Terms.AttestWithinDays} days. " +
                         "Everyone else: prohibited.";

        var x = new StringBuilder(4096);
        x.Append("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
        x.Append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
        x.Append("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
        x.Append("<rdf:Description rdf:about=\"\"\n");
        x.Append(" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n");
        x.Append(" xmlns:xmpRights=\"http://ns.adobe.com/xap/1.0/rights/\"\n");
        x.Append($" xmlns:plus=\"{PlusNamespace}\"\n");
        x.Append($" xmlns:mkt=\"{Namespace}\">\n");

        Alt(x, "dc:title", f.Title);
        x.Append("<dc:creator><rdf:Seq><rdf:li>").Append(E(f.Creator)).Append("</rdf:li></rdf:Seq></dc:creator>\n");
        Alt(x, "dc:rights", rights);
        Simple(x, "xmpRights:Marked", "True");
        Simple(x, "xmpRights:WebStatement", f.VerifyUrl);
        Alt(x, "xmpRights:UsageTerms", f.Terms.Describe());

        Structs(x, "plus:Licensor", ("plus:LicensorName", "Marketplace at " + f.Issuer), ("plus:LicensorURL", f.VerifyUrl));
        Structs(x, "plus:Licensee", ("plus:LicenseeName", f.Licensee));
        Simple(x, "plus:LicenseID", f.LicenseId.ToString());
        Simple(x, "plus:LicenseStartDate", Instant(f.StartsAt));
        Simple(x, "plus:LicenseEndDate", Instant(f.EndsAt));
        Structs(x, "plus:CopyrightOwner", ("plus:CopyrightOwnerName", f.CopyrightHolder));
        Structs(x, "plus:ImageCreator", ("plus:ImageCreatorName", f.Creator));
        Simple(x, "plus:DataMining", DataMiningSeeConstraint);
        Alt(x, "plus:OtherConstraints", constraint);

        Simple(x, "mkt:LicenseId", f.LicenseId.ToString());
        Simple(x, "mkt:WorkId", f.WorkId.ToString());
        Simple(x, "mkt:Licensee", f.Licensee);
        Simple(x, "mkt:RightsHolders", f.RightsHolders);
        Simple(x, "mkt:Scope", f.Terms.Scope.ToString());
        Simple(x, "mkt:Commercial", f.Terms.Commercial ? "True" : "False");
        Simple(x, "mkt:StartsAt", Instant(f.StartsAt));
        Simple(x, "mkt:EndsAt", Instant(f.EndsAt));
        Simple(x, "mkt:DutyAtExpiry", f.Terms.DutyAtExpiry.ToString());
        Simple(x, "mkt:AttestWithinDays", f.Terms.AttestWithinDays.ToString(CultureInfo.InvariantCulture));
        Simple(x, "mkt:AttributionRequired", f.Terms.AttributionRequired ? "True" : "False");
        Simple(x, "mkt:NameMayNotBeUsedAsPrompt", f.Terms.NameMayNotBeUsedAsPrompt ? "True" : "False");
        Simple(x, "mkt:AiGenerated", f.AiGenerated ? "True" : "False");
        // The manifest signs the original file's hash; this file differs from it by this very packet.
        if (f.OriginalSha256 is not null) Simple(x, "mkt:OriginalSha256", f.OriginalSha256);
        Simple(x, "mkt:VerifyUrl", f.VerifyUrl);
        Simple(x, "mkt:PublicKeyUrl", f.PublicKeyUrl);

        x.Append("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n");
        // Read-only: nothing should edit the packet in place; a changed file is checked against the manifest anyway.
        x.Append("<?xpacket end=\"r\"?>");
        return x.ToString();
    }

    private static void Simple(StringBuilder x, string name, string value) => x.Append('<').Append(name).Append('>').Append(E(value)).Append("</").Append(name).Append(">\n");

    private static void Alt(StringBuilder x, string name, string value) =>
        x.Append('<').Append(name).Append("><rdf:Alt><rdf:li xml:lang=\"x-default\">").Append(E(value)).Append("</rdf:li></rdf:Alt></").Append(name).Append(">\n");

    /// <summary>PLUS structures are ordered lists of resources; we always have exactly one.</summary>
    private static void Structs(StringBuilder x, string name, params (string Field, string Value)[] fields)
    {
        x.Append('<').Append(name).Append("><rdf:Seq><rdf:li rdf:parseType=\"Resource\">");
        foreach (var (field, value) in fields) x.Append('<').Append(field).Append('>').Append(E(value)).Append("</").Append(field).Append('>');
        x.Append("</rdf:li></rdf:Seq></").Append(name).Append(">\n");
    }

    private static string Date(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Instant(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>XML-escaped, with the characters XML 1.0 cannot carry at all dropped (a title is user text).</summary>
    private static string E(string value)
    {
        var clean = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { clean.Append(c).Append(value[++i]); continue; }
            if (char.IsSurrogate(c) || (c < 0x20 && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF') continue;
            clean.Append(c);
        }
        return SecurityElement.Escape(clean.ToString());
    }
}
