using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Text;
using Market.Domain.Catalog;
using Market.Integration.Tests.Infrastructure;
using Market.Tests.Shared;
using Market.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Market.Integration.Tests;

/// <summary>Many files at once through the streaming path, each with its own result; metadata read and flagged.</summary>
public sealed class UploadTests(MarketAppFactory app) : IntegrationTest(app)
{
    private string[] Files(string folder)
    {
        var path = Path.Combine(App.StorageRoot, folder);
        return Directory.Exists(path) ? Directory.GetFiles(path) : [];
    }

    [Fact]
    public async Task Several_files_in_one_request_each_get_their_own_result_and_only_good_ones_become_works()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var originalsBefore = Files("originals").Length;

        var (status, results) = await creator.UploadFilesAsync(
            (CreatorSteps.Jpeg(4), "harbour_at-dusk.jpg", "image/jpeg"),
            (Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "fake.jpg", "image/jpeg"),
            (CreatorSteps.Jpeg(5)[..4000], "cut-short.jpg", "image/jpeg"),
            (TaggedImages.PlainPng(80, 60), "sketch.png", "application/octet-stream"));

        status.ShouldBe(HttpStatusCode.UnprocessableEntity, "not every file was accepted");
        results.Select(r => r.FileName).ShouldBe(["harbour_at-dusk.jpg", "fake.jpg", "cut-short.jpg", "sketch.png"]);
        results[0].WorkId.ShouldNotBeNull();
        results[1].Error.ShouldBe("This is not an image we accept. Upload a JPEG, PNG, WebP, TIFF or GIF file.");
        results[2].Error!.ShouldContain("damaged or incomplete");
        results[3].WorkId.ShouldNotBeNull("the bytes decide the type, not the browser's content type");

        var works = await Db(db => db.Works.OrderBy(w => w.CreatedAt).ToListAsync());
        works.Select(w => w.Title).ShouldBe(["harbour at dusk", "sketch"], "the first title comes from the file name");
        works.Select(w => w.ContentType).ShouldBe(["image/jpeg", "image/png"]);
        works.ShouldAllBe(w => w.State == WorkState.Draft);
        Files("originals").Length.ShouldBe(originalsBefore + 2, "refused files leave nothing in the store");
        Files("staging").ShouldBeEmpty("nothing waits in staging after the request");
    }

    [Fact]
    public async Task A_decompression_bomb_is_refused_from_its_header_before_any_pixel_is_decoded()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        // 60000 × 60000 pixels declared (3.6 gigapixels, ~10 GB decoded) in a file of a few hundred bytes.
        var (_, results) = await creator.UploadFilesAsync((PngDeclaring(60_000, 60_000), "bomb.png", "image/png"));

        results.ShouldHaveSingleItem().Error!.ShouldBe("The image is 60000×60000 pixels; the limit is 100 megapixels and 30,000 pixels a side.");
        (await Db(db => db.Works.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_request_without_files_or_with_a_malformed_body_is_answered_with_a_clear_error()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var (status, results) = await creator.UploadFilesAsync();
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        results.ShouldHaveSingleItem().Error.ShouldBe("The upload was cut off or is not a valid multipart form. Try again.");

        var token = (await creator.PageAsync("/Works/Upload")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var onlyText = new MultipartFormDataContent { { new StringContent("just a note"), "note" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Works/Upload") { Content = onlyText };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Accept.ParseAdd("application/json");
        var response = await creator.Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Choose one or more image files.");
        (await Db(db => db.Works.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_streamed_upload_without_the_antiforgery_token_is_refused()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        using var multipart = new MultipartFormDataContent { { new ByteArrayContent(CreatorSteps.Jpeg(1)), "files", "a.jpg" } };
        var response = await creator.Http.PostAsync("/Works/Upload", multipart);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Db(db => db.Works.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task Metadata_naming_another_creator_or_declaring_ai_is_shown_flagged_recorded_and_blocks_listing_until_answered()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var tagged = TaggedImages.Jpeg(
            exif: new TaggedImages.ExifFields(Artist: "Someone Else", Copyright: "© 2024 Someone Else"),
            xmp: new TaggedImages.XmpFields(Title: "Lighthouse", Creators: ["Someone Else"],
                DigitalSourceType: "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"),
            width: 200, height: 120);

        var (_, results) = await creator.UploadFilesAsync((tagged, "lighthouse.jpg", "image/jpeg"));
        var id = results.ShouldHaveSingleItem().WorkId!.Value;

        var details = await creator.PageAsync($"/Works/Details/{id}");
        details.Text("h1").ShouldStartWith("Lighthouse", Case.Sensitive, "the title comes from the file's own metadata");
        details.Text("[data-testid=metadata-creator]").ShouldBe("Someone Else");
        details.Text("[data-testid=state]").ShouldBe("flagged");
        var flags = details.QuerySelectorAll("[data-testid=flag]").Select(f => f.TextContent).ToList();
        flags.Count.ShouldBe(2);
        flags[0].ShouldContain("names \"Someone Else\" as its creator, not you (Ana Lima)");
        flags[1].ShouldContain("declares it AI-generated");
        (await Db(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.WorkFlagged))).ShouldBe(1);

        await creator.ConsentAsync(id);
        await creator.OfferAsync(id);
        var submit = await creator.SubmitAsync($"/Works/Details/{id}", new Dictionary<string, string>(), handler: "Submit");
        (await WebSession.ParseAsync(submit)).Errors().ShouldContain("Answer the questions about the file's metadata");

        var work = await Db(db => db.Works.Include(w => w.Flags).SingleAsync(w => w.Id == id));
        foreach (var (flag, answer) in work.Flags.OrderBy(f => f.Kind).Zip([FlagAnswer.RightsConfirmed, FlagAnswer.AiGeneratedConfirmed]))
        {
            var response = await creator.PostWithTokenAsync($"/Works/Details/{id}?handler=Flag", $"/Works/Details/{id}",
                new Dictionary<string, string> { ["flagId"] = flag.Id.ToString(), ["answer"] = answer.ToString() });
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        var answered = await Db(db => db.Works.Include(w => w.Flags).SingleAsync(w => w.Id == id));
        answered.AiGenerated.ShouldBeTrue();
        answered.Flags.ShouldAllBe(f => f.AnsweredAt != null && f.AnsweredBy == answered.CreatorId);
        (await creator.PageAsync($"/Works/Details/{id}")).Text("[data-testid=ai-label]").ShouldBe("AI-generated");
        await creator.SubmitAsync(id);
        (await App.ScannedStateAsync(id)).ShouldBe(WorkState.Listed);
    }

    [Fact]
    public async Task An_answer_that_does_not_fit_the_flag_is_refused_and_records_nothing()
    {
        var creator = await this.SignUpCreatorAsync("ana@example.test", "Ana Lima");
        var tagged = TaggedImages.Jpeg(xmp: new TaggedImages.XmpFields(Creators: ["Someone Else"]), width: 100, height: 80);
        var id = (await creator.UploadFilesAsync((tagged, "x.jpg", "image/jpeg"))).Results.Single().WorkId!.Value;
        var flag = await Db(db => db.WorkFlags.SingleAsync(f => f.WorkId == id));

        var response = await creator.PostWithTokenAsync($"/Works/Details/{id}?handler=Flag", $"/Works/Details/{id}",
            new Dictionary<string, string> { ["flagId"] = flag.Id.ToString(), ["answer"] = FlagAnswer.AiGeneratedDenied.ToString() });

        (await WebSession.ParseAsync(response)).Errors().ShouldContain("does not fit this flag");
        (await Db(db => db.WorkFlags.SingleAsync(f => f.WorkId == id))).AnsweredAt.ShouldBeNull();
    }

    [Fact]
    public async Task The_creators_own_name_in_the_metadata_raises_no_flag()
    {
        var creator = await this.SignUpCreatorAsync("zoe@example.test", "Zoë Åkesson");
        var tagged = TaggedImages.Jpeg(exif: new TaggedImages.ExifFields(Artist: "zoe akesson"), width: 90, height: 70);
        var id = (await creator.UploadFilesAsync((tagged, "own.jpg", "image/jpeg"))).Results.Single().WorkId!.Value;
        (await Db(db => db.WorkFlags.CountAsync(f => f.WorkId == id))).ShouldBe(0);
        (await creator.PageAsync($"/Works/Details/{id}")).Text("[data-testid=state]").ShouldBe("draft");
    }

    /// <summary>A PNG whose header declares the given size, with almost no data behind it.</summary>
    private static byte[] PngDeclaring(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(new byte[4096]);
        return [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", compressed.ToArray()), .. Chunk("IEND", [])];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        var chunk = new byte[4 + typed.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typed.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4 + typed.Length), System.IO.Hashing.Crc32.HashToUInt32(typed));
        return chunk;
    }
}
