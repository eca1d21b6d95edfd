using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Domain.Licensing;

namespace Market.Web.Delivery;

/// <summary>A file as it went into the archive: where, how big, its SHA-256 as delivered.</summary>
public sealed record ArchivedFile(string Path, string EncodingFormat, long Size, string Sha256, DeliveryFile? Source = null);

/// <summary>
/// croissant.json: the archive described in MLCommons Croissant 1.0 (JSON-LD, schema.org Dataset) with the
/// Croissant RAI 1.0 vocabulary, so dataset tools can load it and read how it was collected. Every file is a
/// cr:FileObject with its path inside the archive and the SHA-256 of the bytes delivered; the items' license
/// facts are an inline record set. The RAI properties are filled from our records and say plainly what we do
/// not know (biases, sensitive attributes) instead of guessing.
/// </summary>
public static class CroissantMetadata
{
    public const string CroissantSpec = "http://mlcommons.org/croissant/1.0";
    public const string RaiSpec = "http://mlcommons.org/croissant/RAI/1.0";

    public static byte[] Build(LicenseDelivery delivery, IReadOnlyList<ArchivedFile> files, SiteSettings site)
    {
        var license = delivery.License;
        var verify = site.Absolute($"/Verify/{license.Id}");
        var issuer = site.PublicUrl.TrimEnd('/');
        var items = files.Where(f => f.Source is not null).ToList();
        var delivered = items.Select(f => f.Source!).ToList();
        var scopes = delivered.Select(f => (f.Item.Terms.Scope, f.Item.Terms.Commercial)).Distinct()
            .Select(s => $"{LicenseTerms.ScopeText(s.Scope)} ({(s.Commercial ? "commercial" : "non-commercial")} use)").ToList();
        var consents = delivered.Where(f => f.ConsentGrantedAt is not null).Select(f => f.ConsentGrantedAt!.Value).ToList();
        var aiGenerated = delivered.Count(f => f.AiGenerated);

        var root = new JsonObject
        {
            ["@context"] = Context(),
            ["@type"] = "sc:Dataset",
            ["conformsTo"] = new JsonArray(CroissantSpec, RaiSpec),
            ["name"] = $"license-{license.Id}",
            ["description"] =
                $"{delivered.Count} work{(delivered.Count == 1 ? "" : "s")} licensed to {delivery.Licensee} for AI training under license {license.Id}, " +
                $"issued {Day(license.IssuedAt)} by the marketplace at {issuer}. Each item has its own terms (record set \"works\"); " +
                "the signed manifest.json is the authoritative record and LICENSE.txt explains it. Files carry their license as embedded XMP, " +
                "so their SHA-256 here differs from the original's in manifest.json.",
            ["license"] = verify,
            ["url"] = verify,
            ["datePublished"] = Day(license.IssuedAt),
            ["dateCreated"] = Day(license.IssuedAt),
            ["version"] = "1.0.0",
            ["isLiveDataset"] = false,
            ["creator"] = new JsonArray(delivered.Select(f => f.Item.CreatorName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(name => (JsonNode)new JsonObject { ["@type"] = "sc:Person", ["name"] = name }).ToArray()),
            ["publisher"] = new JsonObject { ["@type"] = "sc:Organization", ["name"] = "Marketplace", ["url"] = issuer },
            ["keywords"] = new JsonArray(scopes.Select(s => (JsonNode)s!).ToArray()),
            ["distribution"] = new JsonArray(files.Select(FileObject).ToArray()),
            ["recordSet"] = new JsonArray(Works(delivered, files)),

            ["rai:dataCollection"] =
                "Each work was uploaded by its creator, who opted it in to AI-training licenses explicitly (per work, on its own consent page, " +
                "recorded with the consent text version, time, address and browser), set the terms and price, and had every co-owner confirm their share. " +
                "Nothing was scraped. The licensee chose these works from the catalog and paid for them; the creators and rights holders are paid per item." +
                (consents.Count > 0 ? $" Consent to the terms sold was granted between {Day(consents.Min())} and {Day(consents.Max())} (per item in \"works\")." : ""),
            ["rai:dataCollectionType"] = new JsonArray("User-generated content data", "Others: opt-in licensing by the creators"),
            ["rai:dataCollectionTimeframe"] = consents.Count > 0 ? $"{Day(consents.Min())}/{Day(consents.Max())}" : null,
            ["rai:dataCollectionRawData"] = "The original files as their creators uploaded them; the only change is the embedded XMP license packet (pixels untouched).",
            ["rai:dataPreprocessingProtocol"] = "None: no resizing, cropping, re-encoding or filtering.",
            ["rai:dataUseCases"] = new JsonArray(scopes.Select(s => (JsonNode)$"Licensed use: {s}").ToArray()),
            ["rai:dataLimitations"] =
                "Licensed use only: each item for its own scope and only until its end date (field works/ends_at). At the end the licensee must " +
                string.Join("; or ", delivered.Select(f => LicenseTerms.DutyText(f.Item.Terms.DutyAtExpiry)).Distinct()) +
                ", and attest it. Where works/name_may_not_be_used_as_prompt is true, the creator's name may not be used as a prompt or trigger token. " +
                "Items can be recalled (e.g. a proven rights claim); check the license at its url for recalls. " +
                "The works were chosen by a buyer from what creators opted in; they are not a sample of any population or style.",
            ["rai:dataBiases"] = "Not assessed. The marketplace has not analysed this selection for biases; it reflects the buyer's choice among opted-in works.",
            ["rai:personalSensitiveInformation"] =
                "Not assessed for image content. The records name the creators and rights holders (their chosen display names) as licensing requires; no other personal data is included.",
            ["rai:dataSocialImpact"] =
                "Training on these works is licensed with their creators' affirmative opt-in consent and paid for per item; creators are told when a model is trained on their work " +
                "(training runs are reported to the marketplace), and terms end with a duty to delete the data.",
            ["rai:annotationsPerItem"] = "0: no human labels. Titles and descriptions are the creators' own.",
            ["rai:dataAnnotationProtocol"] =
                aiGenerated == 0
                    ? "No annotations. No item is labelled AI-generated."
                    : $"No annotations. {aiGenerated} item{(aiGenerated == 1 ? " is" : "s are")} labelled AI-generated (declared in the file's metadata and confirmed by the creator; field works/ai_generated).",
            ["rai:dataReleaseMaintenancePlan"] = "A fixed snapshot of the license at the time of download; items recalled or ended later are no longer delivered.",
        };
        // A property we have nothing for is left out rather than written as null.
        foreach (var empty in root.Where(p => p.Value is null).Select(p => p.Key).ToList()) root.Remove(empty);
        return JsonSerializer.SerializeToUtf8Bytes(root, new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonNode FileObject(ArchivedFile f) => new JsonObject
    {
        ["@type"] = "cr:FileObject",
        ["@id"] = f.Path,
        ["name"] = f.Path,
        ["contentUrl"] = f.Path,
        ["contentSize"] = $"{f.Size.ToString(CultureInfo.InvariantCulture)} B",
        ["encodingFormat"] = f.EncodingFormat,
        ["sha256"] = f.Sha256,
    };

    private static JsonNode Works(IReadOnlyList<DeliveryFile> delivered, IReadOnlyList<ArchivedFile> files)
    {
        (string Name, string Type, string Description)[] fields =
        [
            ("work_id", "sc:Text", "The marketplace's id of the work."),
            ("file", "sc:Text", "Path of the file inside the archive (a FileObject of this dataset)."),
            ("title", "sc:Text", "The title the creator gave the work."),
            ("creator", "sc:Text", "The creator, as credited."),
            ("copyright_holder", "sc:Text", "Who holds the copyright."),
            ("rights_holders", "sc:Text", "Everyone with a share of the royalties, with role and share."),
            ("license_scope", "sc:Text", "What the license allows: GenerativeTraining, FineTuningOrStyle or NonGenerativeAnalysis."),
            ("commercial", "sc:Boolean", "Whether commercial use is allowed."),
            ("starts_at", "sc:Date", "First day of the term."),
            ("ends_at", "sc:Date", "The term ends at the start of this day (UTC)."),
            ("duty_at_expiry", "sc:Text", "What the licensee must do at the end: DeleteData or DestroyOrRetrainModels."),
            ("attest_within_days", "sc:Integer", "Days after the end within which the licensee attests the duty."),
            ("attribution_required", "sc:Boolean", "Whether the creator must be credited."),
            ("name_may_not_be_used_as_prompt", "sc:Boolean", "Whether the creator's name is banned as a prompt or trigger token."),
            ("ai_generated", "sc:Boolean", "Labelled AI-generated: the file declared it and the creator confirmed."),
            ("consent_granted_at", "sc:DateTime", "When the creator opted the work in under the terms sold."),
            ("original_sha256", "sc:Text", "SHA-256 of the original as uploaded (the manifest's fileSha256)."),
        ];
        var paths = files.Where(f => f.Source is not null).ToDictionary(f => f.Source!.Item.WorkId, f => f.Path);
        return new JsonObject
        {
            ["@type"] = "cr:RecordSet",
            ["@id"] = "works",
            ["name"] = "works",
            ["description"] = "One record per delivered work: its license terms and provenance.",
            ["key"] = new JsonObject { ["@id"] = "works/work_id" },
            ["field"] = new JsonArray(fields.Select(f => (JsonNode)new JsonObject
            {
                ["@type"] = "cr:Field",
                ["@id"] = $"works/{f.Name}",
                ["name"] = f.Name,
                ["description"] = f.Description,
                ["dataType"] = f.Type,
            }).ToArray()),
            ["data"] = new JsonArray(delivered.Select(d => (JsonNode)new JsonObject
            {
                ["works/work_id"] = d.Item.WorkId.ToString(),
                ["works/file"] = paths.GetValueOrDefault(d.Item.WorkId),
                ["works/title"] = d.Item.WorkTitle,
                ["works/creator"] = d.Item.CreatorName,
                ["works/copyright_holder"] = d.Item.CopyrightHolder,
                ["works/rights_holders"] = d.Item.RightsHolders,
                ["works/license_scope"] = d.Item.Terms.Scope.ToString(),
                ["works/commercial"] = d.Item.Terms.Commercial,
                ["works/starts_at"] = Day(d.Item.StartsAt),
                ["works/ends_at"] = Day(d.Item.EndsAt),
                ["works/duty_at_expiry"] = d.Item.Terms.DutyAtExpiry.ToString(),
                ["works/attest_within_days"] = d.Item.Terms.AttestWithinDays,
                ["works/attribution_required"] = d.Item.Terms.AttributionRequired,
                ["works/name_may_not_be_used_as_prompt"] = d.Item.Terms.NameMayNotBeUsedAsPrompt,
                ["works/ai_generated"] = d.AiGenerated,
                ["works/consent_granted_at"] = d.ConsentGrantedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["works/original_sha256"] = d.Sha256,
            }).ToArray()),
        };
    }

    /// <summary>The context of Croissant 1.0 files, with the RAI namespace added.</summary>
    private static JsonObject Context() => new()
    {
        ["@language"] = "en",
        ["@vocab"] = "https://schema.org/",
        ["sc"] = "https://schema.org/",
        ["cr"] = "http://mlcommons.org/croissant/",
        ["rai"] = "http://mlcommons.org/croissant/RAI/",
        ["dct"] = "http://purl.org/dc/terms/",
        ["citeAs"] = "cr:citeAs",
        ["column"] = "cr:column",
        ["conformsTo"] = "dct:conformsTo",
        ["data"] = new JsonObject { ["@id"] = "cr:data", ["@type"] = "@json" },
        ["dataType"] = new JsonObject { ["@id"] = "cr:dataType", ["@type"] = "@vocab" },
        ["examples"] = new JsonObject { ["@id"] = "cr:examples", ["@type"] = "@json" },
        ["extract"] = "cr:extract",
        ["field"] = "cr:field",
        ["fileProperty"] = "cr:fileProperty",
        ["fileObject"] = "cr:fileObject",
        ["fileSet"] = "cr:fileSet",
        ["format"] = "cr:format",
        ["includes"] = "cr:includes",
        ["isLiveDataset"] = "cr:isLiveDataset",
        ["jsonPath"] = "cr:jsonPath",
        ["key"] = "cr:key",
        ["md5"] = "cr:md5",
        ["parentField"] = "cr:parentField",
        ["path"] = "cr:path",
        ["recordSet"] = "cr:recordSet",
        ["references"] = "cr:references",
        ["regex"] = "cr:regex",
        ["repeated"] = "cr:repeated",
        ["replace"] = "cr:replace",
        ["separator"] = "cr:separator",
        ["source"] = "cr:source",
        ["subField"] = "cr:subField",
        ["transform"] = "cr:transform",
    };

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
