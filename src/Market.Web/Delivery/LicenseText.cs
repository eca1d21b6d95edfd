using System.Text;
using Market.Domain.Licensing;

namespace Market.Web.Delivery;

/// <summary>
/// LICENSE.txt: the license in words for the people who will use the data, written from the same snapshot the
/// signed manifest is made of. Per item, because each item has its own terms; the duties at expiry and the
/// attribution rules are gathered at the end so nobody has to read every item to learn them.
/// </summary>
public static class LicenseText
{
    public static string For(LicenseDelivery delivery, IReadOnlyDictionary<Guid, string> includedAs, SiteSettings site)
    {
        var license = delivery.License;
        var verify = site.Absolute($"/Verify/{license.Id}");
        var t = new StringBuilder();
        t.AppendLine($"TRAINING DATA LICENSE {license.Id}");
        t.AppendLine();
        t.AppendLine($"Licensee:        {delivery.Licensee}");
        t.AppendLine($"License id:      {license.Id}");
        t.AppendLine($"Order:           {license.OrderId}");
        t.AppendLine($"Issued:          {license.IssuedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by the marketplace at {site.PublicUrl.TrimEnd('/')}");
        t.AppendLine($"Verify:          {verify}");
        t.AppendLine("                 (the public certificate; anyone can check this license there, and paste manifest.json to check it)");
        t.AppendLine($"Public key:      {site.Absolute(LicenseKeyPaths.Pem)}");
        t.AppendLine("                 (manifest.json holds a JWS signed with it, ES256, to check offline)");
        t.AppendLine($"This archive:    made {delivery.Now.UtcDateTime:yyyy-MM-dd HH:mm} UTC with the {includedAs.Count} of {delivery.Files.Count} items that could be delivered then.");
        t.AppendLine();
        t.AppendLine("Every item was opted in by its creator, who set these terms. Each item is licensed on its own terms, below;");
        t.AppendLine("they are copied from the license as it was sold and no later change to an offer touches them.");
        t.AppendLine();
        t.AppendLine("Files carry their license inside them as XMP metadata (rights, licensee, license id, term, verify link), or,");
        t.AppendLine("where the format has no place for it, in a .xmp file of the same name next to them, so the terms travel with");
        t.AppendLine("each file. Adding that metadata changes a file's bytes but never its pixels: the SHA-256 in manifest.json is of");
        t.AppendLine("the original as the creator uploaded it (the API serves it unchanged with ?embed=false), and croissant.json");
        t.AppendLine("lists the SHA-256 of each file exactly as delivered in this archive.");
        t.AppendLine();
        t.AppendLine("ITEMS");
        t.AppendLine("=====");
        var n = 0;
        foreach (var file in delivery.Files)
        {
            var i = file.Item;
            t.AppendLine();
            t.AppendLine($"{++n}. “{i.WorkTitle}” by {i.CreatorName}");
            t.AppendLine(includedAs.TryGetValue(i.WorkId, out var path)
                ? $"   File:              {path}"
                : $"   NOT INCLUDED:      {delivery.Refusal(file)}");
            t.AppendLine($"   Work id:           {i.WorkId}");
            t.AppendLine($"   Copyright holder:  {i.CopyrightHolder}");
            t.AppendLine($"   Rights holders:    {i.RightsHolders}");
            t.AppendLine($"   Use:               {LicenseTerms.ScopeText(i.Terms.Scope)}, {(i.Terms.Commercial ? "commercial" : "non-commercial")} use");
            t.AppendLine($"   Term:              {i.StartsAt.UtcDateTime:yyyy-MM-dd} until {i.EndsAt.UtcDateTime:yyyy-MM-dd} ({i.Terms.TermMonths} months)");
            t.AppendLine($"   Attribution:       {(i.Terms.AttributionRequired ? $"required: credit {i.CreatorName} (and {i.CopyrightHolder} as copyright holder)" : "not required")}");
            t.AppendLine($"   Name as a prompt:  {(i.Terms.NameMayNotBeUsedAsPrompt ? $"“{i.CreatorName}” may NOT be used as a prompt or trigger token" : "no restriction in this license")}");
            t.AppendLine($"   At the end:        {LicenseTerms.DutyText(i.Terms.DutyAtExpiry)}; attest it within {i.Terms.AttestWithinDays} days of {i.EndsAt.UtcDateTime:yyyy-MM-dd}");
            if (file.AiGenerated) t.AppendLine("   Label:             AI-generated (declared in the file and confirmed by its creator)");
            if (file.Sha256 is not null) t.AppendLine($"   Original SHA-256:  {file.Sha256}");
        }

        t.AppendLine();
        t.AppendLine("DUTIES AT EXPIRY");
        t.AppendLine("================");
        t.AppendLine("When an item's term ends, its data may no longer be used or kept. For each item the licensee must:");
        foreach (var duty in delivery.Files.GroupBy(f => (f.Item.Terms.DutyAtExpiry, f.Item.Terms.AttestWithinDays)).OrderBy(g => g.Key.DutyAtExpiry))
            t.AppendLine($"- {LicenseTerms.DutyText(duty.Key.DutyAtExpiry)}, and attest it within {duty.Key.AttestWithinDays} days " +
                         $"({duty.Count()} item{(duty.Count() == 1 ? "" : "s")}; the first term ends {duty.Min(f => f.Item.EndsAt).UtcDateTime:yyyy-MM-dd}).");
        t.AppendLine("A recalled item (a rights claim proven, say) must be handled the same way from its recall date on.");
        t.AppendLine();
        t.AppendLine("ATTRIBUTION AND NAMES");
        t.AppendLine("=====================");
        var credit = delivery.Files.Where(f => f.Item.Terms.AttributionRequired).Select(f => f.Item.CreatorName).Distinct().ToList();
        t.AppendLine(credit.Count == 0
            ? "No item requires attribution."
            : $"Credit the creators of the items that require it, wherever the model or its outputs are described: {string.Join(", ", credit)}.");
        var noPrompt = delivery.Files.Where(f => f.Item.Terms.NameMayNotBeUsedAsPrompt).Select(f => f.Item.CreatorName).Distinct().ToList();
        t.AppendLine(noPrompt.Count == 0
            ? "No item restricts the use of its creator's name."
            : $"These names may not be used as prompts or trigger tokens, in training captions or for users: {string.Join(", ", noPrompt)}.");
        t.AppendLine();
        t.AppendLine("TRAINING RUNS");
        t.AppendLine("=============");
        t.AppendLine($"Report each model trained on this data on the license page ({site.Absolute($"/Licenses/Details/{license.Id}")}) or through the API;");
        t.AppendLine("the creators are told at once.");
        return t.ToString();
    }
}
