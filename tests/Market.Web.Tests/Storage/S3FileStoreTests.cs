using Amazon.S3;
using Market.Web.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Market.Web.Tests.Storage;

/// <summary>The store contract against <see cref="FakeS3Server"/>, and what is particular to object storage.</summary>
public sealed class S3FileStoreTests : FileStoreContract
{
    private FakeS3Server _server = null!;

    private string Downloads => Path.Combine(Scratch, "downloads");

    protected override bool LendsTemporaryCopies => true;

    protected override async Task<IFileStore> CreateStoreAsync()
    {
        _server = await FakeS3Server.StartAsync();
        return CreateStore();
    }

    protected override void ShouldHaveReachedNothing() => _server.Requests.ShouldBeEmpty();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }

    private S3FileStore CreateStore(Action<S3StorageSettings>? configure = null)
    {
        var settings = new S3StorageSettings
        {
            ServiceUrl = _server.Url.ToString(),
            Bucket = FakeS3Server.Bucket,
            AccessKey = FakeS3Server.AccessKey,
            SecretKey = FakeS3Server.SecretKey,
        };
        configure?.Invoke(settings);
        return new S3FileStore(settings, Downloads, NullLogger<S3FileStore>.Instance);
    }

    [Fact]
    public async Task Requests_are_signed_with_SigV4_for_our_access_key_and_never_carry_the_secret()
    {
        var key = NewKey();
        await Store.PutAsync(key, new MemoryStream(Bytes(1_000, seed: 20)), "image/jpeg", CancellationToken.None);
        await ReadAllAsync(key);
        await Store.DeleteAsync(key, CancellationToken.None);

        _server.Requests.Count.ShouldBe(3);
        foreach (var request in _server.Requests)
        {
            request.Header("Authorization").ShouldNotBeNull()
                .ShouldStartWith($"AWS4-HMAC-SHA256 Credential={FakeS3Server.AccessKey}/");
            request.Header("Authorization")!.ShouldContain("/us-east-1/s3/aws4_request");
            request.Headers.Values.ShouldAllBe(v => !v.Contains(FakeS3Server.SecretKey));
            (request.Path + request.Query).ShouldNotContain(FakeS3Server.SecretKey);
        }
    }

    [Fact]
    public async Task Bodies_go_up_whole_and_signed_never_aws_chunked()
    {
        await Store.PutAsync(NewKey(), new MemoryStream(Bytes(100_000, seed: 21)), "image/jpeg", CancellationToken.None);
        await Store.PutFileAsync(NewKey(), await WriteLocalFileAsync(Bytes(100_000, seed: 22)), "image/jpeg", CancellationToken.None);

        var puts = _server.Requests.Where(r => r.Method == "PUT").ToList();
        puts.Count.ShouldBe(2);
        foreach (var put in puts)
        {
            // 64 hex digits: the body's own SHA-256, which the fake server checks against the body.
            put.Header("x-amz-content-sha256").ShouldNotBeNull().ShouldMatch("^[0-9a-f]{64}$");
            (put.Header("Content-Encoding") ?? "").ShouldNotContain("aws-chunked");
            put.BodyLength.ShouldBe(100_000);
        }
    }

    [Fact]
    public async Task Objects_are_addressed_path_style_under_the_configured_prefix()
    {
        using var prefixed = CreateStore(s => s.Prefix = "market");
        var key = NewKey();
        var content = Bytes(2_000, seed: 23);

        await prefixed.PutAsync(key, new MemoryStream(content), "image/jpeg", CancellationToken.None);

        _server.Requests.Single().Path.ShouldBe($"/{FakeS3Server.Bucket}/market/{key}");
        _server.Objects.Keys.ShouldBe([$"market/{key}"]);
        await using var read = await prefixed.OpenReadAsync(key, CancellationToken.None);
        using var buffer = new MemoryStream();
        await read.CopyToAsync(buffer);
        buffer.ToArray().ShouldBe(content);
        // The same key without the prefix is another object.
        await Should.ThrowAsync<StoredFileNotFoundException>(() => Store.OpenReadAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task The_content_type_is_stored_with_the_object()
    {
        var small = NewKey();
        var large = NewKey();

        await Store.PutAsync(small, new MemoryStream(Bytes(1_000, seed: 24)), "image/png", CancellationToken.None);
        var (local, _) = await WriteLargeFileAsync(S3FileStore.PartSize + 1, seed: 25);
        await Store.PutFileAsync(large, local, "image/tiff", CancellationToken.None);

        _server.Objects[small].ContentType.ShouldBe("image/png");
        _server.Objects[large].ContentType.ShouldBe("image/tiff");
    }

    [Fact]
    public async Task A_large_file_goes_up_in_16_MB_parts_and_the_upload_is_completed()
    {
        var key = NewKey();
        var (local, _) = await WriteLargeFileAsync(LargeFileBytes, seed: 26);

        await Store.PutFileAsync(key, local, "image/tiff", CancellationToken.None);

        var requests = _server.Requests;
        requests.Count(r => r.Method == "POST" && r.HasQuery("uploads")).ShouldBe(1);
        requests.Where(r => r.Method == "PUT" && r.HasQuery("partNumber")).Select(r => r.BodyLength)
            .ShouldBe([S3FileStore.PartSize, S3FileStore.PartSize, LargeFileBytes - 2 * S3FileStore.PartSize]);
        requests.Count(r => r.Method == "POST" && r.HasQuery("uploadId")).ShouldBe(1);
        requests.ShouldNotContain(r => r.Method == "PUT" && !r.HasQuery("partNumber"));
        _server.PendingUploads.ShouldBe(0);
        _server.Objects[key].Content.LongLength.ShouldBe(LargeFileBytes);
        _server.Objects[key].ETag.ShouldEndWith("-3\"");
    }

    [Fact]
    public async Task A_file_of_exactly_one_part_goes_up_in_a_single_put()
    {
        var key = NewKey();
        var (local, _) = await WriteLargeFileAsync(S3FileStore.PartSize, seed: 27);

        await Store.PutFileAsync(key, local, "image/tiff", CancellationToken.None);

        _server.Requests.ShouldHaveSingleItem().Method.ShouldBe("PUT");
        _server.Objects[key].Content.LongLength.ShouldBe(S3FileStore.PartSize);
    }

    [Fact]
    public async Task A_server_error_during_a_multipart_upload_aborts_it_keeps_the_local_file_and_the_old_object()
    {
        var key = NewKey();
        var old = Bytes(1_000, seed: 28);
        await Store.PutAsync(key, new MemoryStream(old), "image/jpeg", CancellationToken.None);
        var (local, sha256) = await WriteLargeFileAsync(S3FileStore.PartSize + 1024 * 1024, seed: 29);
        _server.FailWhen = r => r.Method == "PUT" && r.HasQuery("partNumber") && r.Query.Contains("partNumber=2");

        var thrown = await Should.ThrowAsync<AmazonS3Exception>(() => Store.PutFileAsync(key, local, "image/tiff", CancellationToken.None));

        thrown.ErrorCode.ShouldBe("InternalError");
        File.Exists(local).ShouldBeTrue();
        await using (var file = File.OpenRead(local))
            Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(file)).ShouldBe(sha256);
        _server.Requests.ShouldContain(r => r.Method == "DELETE" && r.HasQuery("uploadId"));
        _server.Requests.ShouldNotContain(r => r.Method == "POST" && r.HasQuery("uploadId"));
        _server.PendingUploads.ShouldBe(0);
        (await ReadAllAsync(key)).ShouldBe(old);
    }

    [Fact]
    public async Task A_server_error_on_a_single_put_keeps_the_local_file_and_stores_nothing()
    {
        var key = NewKey();
        var local = await WriteLocalFileAsync(Bytes(10_000, seed: 30));
        _server.FailWhen = r => r.Method == "PUT";

        await Should.ThrowAsync<AmazonS3Exception>(() => Store.PutFileAsync(key, local, "image/jpeg", CancellationToken.None));

        File.Exists(local).ShouldBeTrue();
        _server.Objects.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_key_leaves_no_temporary_file()
    {
        await Should.ThrowAsync<StoredFileNotFoundException>(() => Store.GetLocalFileAsync(NewKey(), CancellationToken.None));

        Directory.EnumerateFileSystemEntries(Downloads).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_download_cut_short_fails_and_leaves_no_temporary_file()
    {
        var key = NewKey();
        await Store.PutAsync(key, new MemoryStream(Bytes(4 * 1024 * 1024, seed: 31)), "image/jpeg", CancellationToken.None);
        _server.CutDownloadsShort = true;

        await Should.ThrowAsync<IOException>(() => Store.GetLocalFileAsync(key, CancellationToken.None));

        Directory.EnumerateFileSystemEntries(Downloads).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_stream_spooled_to_disk_for_upload_leaves_no_temporary_file_whether_it_succeeds_or_fails()
    {
        await Store.PutAsync(NewKey(), new ForwardOnlyStream(new MemoryStream(Bytes(100_000, seed: 34))), "image/jpeg", CancellationToken.None);
        await Should.ThrowAsync<IOException>(() =>
            Store.PutAsync(NewKey(), new FailingStream(Bytes(100_000, seed: 35)), "image/jpeg", CancellationToken.None));
        _server.FailWhen = r => r.Method == "PUT";
        await Should.ThrowAsync<AmazonS3Exception>(() =>
            Store.PutAsync(NewKey(), new ForwardOnlyStream(new MemoryStream(Bytes(100_000, seed: 36))), "image/jpeg", CancellationToken.None));

        Directory.EnumerateFileSystemEntries(Downloads).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_temporary_copy_is_written_in_the_configured_folder()
    {
        var key = NewKey();
        await Store.PutAsync(key, new MemoryStream(Bytes(1_000, seed: 32)), "image/jpeg", CancellationToken.None);

        using var copy = await Store.GetLocalFileAsync(key, CancellationToken.None);

        Path.GetDirectoryName(copy.Path).ShouldBe(Downloads);
    }

    [Fact]
    public async Task A_missing_bucket_is_a_fault_not_a_missing_file()
    {
        using var misconfigured = CreateStore(s => s.Bucket = "no-such-bucket");

        var thrown = await Should.ThrowAsync<AmazonS3Exception>(() => misconfigured.OpenReadAsync(NewKey(), CancellationToken.None));

        thrown.ErrorCode.ShouldBe("NoSuchBucket");
    }

    [Fact]
    public async Task Disposing_a_read_stream_early_lets_go_of_the_connection()
    {
        var key = NewKey();
        // Well beyond what HttpClient drains to reuse a connection, so letting go of the response closes it.
        await Store.PutAsync(key, new MemoryStream(Bytes(8 * 1024 * 1024, seed: 33)), "image/jpeg", CancellationToken.None);

        var stream = await Store.OpenReadAsync(key, CancellationToken.None);
        (await stream.ReadAsync(new byte[16])).ShouldBeGreaterThan(0);
        await stream.DisposeAsync();

        // Were the response kept, its connection would stay open, held for the rest of the body.
        var download = _server.Requests.Single(r => r.Method == "GET");
        await _server.ConnectionClosed(download.ConnectionId).WaitAsync(TimeSpan.FromSeconds(30));
        // Held to here, so a collected, finalized socket cannot pass for a disposed response.
        GC.KeepAlive(stream);
    }
}
