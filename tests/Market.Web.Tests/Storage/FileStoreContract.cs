using System.Security.Cryptography;
using Market.Web.Storage;

namespace Market.Web.Tests.Storage;

/// <summary>
/// What every <see cref="IFileStore"/> promises, run against each store by a subclass, so the local folder and
/// object storage cannot drift apart in what callers may rely on.
/// </summary>
public abstract class FileStoreContract : IAsyncLifetime
{
    protected const long LargeFileBytes = 40L * 1024 * 1024;

    protected FileStoreContract()
    {
        Scratch = Directory.CreateTempSubdirectory("market-store-").FullName;
        Staging = Directory.CreateDirectory(Path.Combine(Scratch, "staging")).FullName;
    }

    /// <summary>A private folder per test; the store's own files live somewhere inside it.</summary>
    protected string Scratch { get; }

    /// <summary>Where local files for <see cref="IFileStore.PutFileAsync"/> are written, as UploadStaging would.</summary>
    protected string Staging { get; }

    protected IFileStore Store { get; private set; } = null!;

    /// <summary>Whether <see cref="IFileStore.GetLocalFileAsync"/> lends a copy that disposing deletes.</summary>
    protected abstract bool LendsTemporaryCopies { get; }

    protected abstract Task<IFileStore> CreateStoreAsync();

    /// <summary>Fails if anything reached the store's backend (a file written, a request sent).</summary>
    protected abstract void ShouldHaveReachedNothing();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        Directory.Delete(Scratch, recursive: true);
        return Task.CompletedTask;
    }

    public static TheoryData<string> InvalidKeys() =>
    [
        "",
        "../x",
        "originals/../../etc",
        "ORIGINALS/abc",
        "originals",
        "originals/",
        "/originals/" + new string('a', 32),
        "originals/" + new string('A', 32),
        "originals/" + new string('a', 31),
        "originals/" + new string('a', 33),
        "originals\\" + new string('a', 32),
        "originals/" + new string('a', 30) + "/x",
        "originals/" + new string('a', 29) + "/..",
        "Originals/" + new string('a', 32),
        "origin@ls/" + new string('a', 32),
        "market/originals/" + new string('a', 32),
    ];

    [Fact]
    public async Task Put_then_open_returns_the_same_bytes()
    {
        var key = NewKey();
        var content = Bytes(200_000, seed: 1);

        await Store.PutAsync(key, new MemoryStream(content), "image/jpeg", CancellationToken.None);

        (await ReadAllAsync(key)).ShouldBe(content);
    }

    [Fact]
    public async Task An_empty_stream_is_stored_as_an_empty_object()
    {
        var key = NewKey();

        await Store.PutAsync(key, new MemoryStream(), "image/jpeg", CancellationToken.None);

        (await ReadAllAsync(key)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Put_reads_a_stream_that_cannot_seek_to_its_end()
    {
        var key = NewKey();
        var content = Bytes(3 * 1024 * 1024 + 17, seed: 2);

        await Store.PutAsync(key, new ForwardOnlyStream(new MemoryStream(content)), "image/png", CancellationToken.None);

        (await ReadAllAsync(key)).ShouldBe(content);
    }

    [Fact]
    public async Task Put_stores_what_is_left_of_a_stream_already_partly_read()
    {
        var key = NewKey();
        var content = Bytes(10_000, seed: 3);
        var stream = new MemoryStream(content) { Position = 1_000 };

        await Store.PutAsync(key, stream, "image/png", CancellationToken.None);

        (await ReadAllAsync(key)).ShouldBe(content[1_000..]);
    }

    [Fact]
    public async Task PutFile_stores_the_file_and_takes_it_over()
    {
        var key = NewKey();
        var content = Bytes(300_000, seed: 4);
        var local = await WriteLocalFileAsync(content);

        await Store.PutFileAsync(key, local, "image/tiff", CancellationToken.None);

        File.Exists(local).ShouldBeFalse();
        (await ReadAllAsync(key)).ShouldBe(content);
    }

    [Fact]
    public async Task Storing_under_an_existing_key_replaces_the_object()
    {
        var key = NewKey();
        await Store.PutAsync(key, new MemoryStream(Bytes(5_000, seed: 5)), "image/jpeg", CancellationToken.None);
        var second = Bytes(7_000, seed: 6);

        await Store.PutFileAsync(key, await WriteLocalFileAsync(second), "image/jpeg", CancellationToken.None);
        (await ReadAllAsync(key)).ShouldBe(second);

        var third = Bytes(100, seed: 7);
        await Store.PutAsync(key, new MemoryStream(third), "image/jpeg", CancellationToken.None);
        (await ReadAllAsync(key)).ShouldBe(third);
    }

    [Fact]
    public async Task Opening_a_missing_key_throws_StoredFileNotFound()
    {
        var key = NewKey();

        var thrown = await Should.ThrowAsync<StoredFileNotFoundException>(() => Store.OpenReadAsync(key, CancellationToken.None));

        thrown.Message.ShouldContain(key);
    }

    [Fact]
    public async Task A_local_file_of_a_missing_key_throws_StoredFileNotFound()
    {
        await Should.ThrowAsync<StoredFileNotFoundException>(() => Store.GetLocalFileAsync(NewKey(), CancellationToken.None));
    }

    [Fact]
    public async Task Delete_removes_the_object_and_deleting_again_is_no_error()
    {
        var key = NewKey();
        await Store.PutAsync(key, new MemoryStream(Bytes(1_000, seed: 8)), "image/jpeg", CancellationToken.None);

        await Store.DeleteAsync(key, CancellationToken.None);
        await Store.DeleteAsync(key, CancellationToken.None);
        await Store.DeleteAsync(NewKey(), CancellationToken.None);

        await Should.ThrowAsync<StoredFileNotFoundException>(() => Store.OpenReadAsync(key, CancellationToken.None));
    }

    /// <summary>
    /// As after a first upload that failed before anything was stored, when UploadIntake deletes the key it
    /// had chosen: nothing of that kind has ever been stored.
    /// </summary>
    [Fact]
    public virtual async Task Deleting_a_key_of_a_kind_never_stored_is_no_error()
    {
        await Store.DeleteAsync(StoreKeys.New(StoreKeys.Previews), CancellationToken.None);
        await Should.ThrowAsync<StoredFileNotFoundException>(() => Store.OpenReadAsync(StoreKeys.New(StoreKeys.Previews), CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task A_key_we_did_not_make_is_refused_before_anything_reaches_the_store(string key)
    {
        var local = await WriteLocalFileAsync(Bytes(100, seed: 9));

        await Should.ThrowAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream(Bytes(100, seed: 9)), "image/jpeg", CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => Store.PutFileAsync(key, local, "image/jpeg", CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => Store.OpenReadAsync(key, CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => Store.GetLocalFileAsync(key, CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => Store.DeleteAsync(key, CancellationToken.None));

        File.Exists(local).ShouldBeTrue();
        ShouldHaveReachedNothing();
    }

    [Fact]
    public async Task A_large_file_comes_back_identical()
    {
        var key = NewKey();
        var (local, sha256) = await WriteLargeFileAsync(LargeFileBytes, seed: 10);

        await Store.PutFileAsync(key, local, "image/tiff", CancellationToken.None);

        File.Exists(local).ShouldBeFalse();
        await using (var stream = await Store.OpenReadAsync(key, CancellationToken.None))
            Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)).ShouldBe(sha256);
        using (var copy = await Store.GetLocalFileAsync(key, CancellationToken.None))
        await using (var file = File.OpenRead(copy.Path))
            Convert.ToHexStringLower(await SHA256.HashDataAsync(file)).ShouldBe(sha256);
    }

    [Fact]
    public async Task A_local_file_holds_the_object_and_only_a_temporary_copy_is_deleted_on_dispose()
    {
        var key = NewKey();
        var content = Bytes(50_000, seed: 11);
        await Store.PutAsync(key, new MemoryStream(content), "image/jpeg", CancellationToken.None);

        var lent = await Store.GetLocalFileAsync(key, CancellationToken.None);
        (await File.ReadAllBytesAsync(lent.Path)).ShouldBe(content);
        lent.Dispose();

        File.Exists(lent.Path).ShouldBe(!LendsTemporaryCopies);
        (await ReadAllAsync(key)).ShouldBe(content);
    }

    [Fact]
    public async Task A_source_failing_midway_stores_nothing_and_leaves_an_earlier_object_intact()
    {
        var fresh = NewKey();
        await Should.ThrowAsync<IOException>(() =>
            Store.PutAsync(fresh, new FailingStream(Bytes(2 * 1024 * 1024, seed: 12)), "image/jpeg", CancellationToken.None));
        await Should.ThrowAsync<StoredFileNotFoundException>(() => Store.OpenReadAsync(fresh, CancellationToken.None));

        var existing = NewKey();
        var original = Bytes(4_000, seed: 13);
        await Store.PutAsync(existing, new MemoryStream(original), "image/jpeg", CancellationToken.None);
        await Should.ThrowAsync<IOException>(() =>
            Store.PutAsync(existing, new FailingStream(Bytes(2 * 1024 * 1024, seed: 14)), "image/jpeg", CancellationToken.None));
        (await ReadAllAsync(existing)).ShouldBe(original);
    }

    [Fact]
    public async Task A_cancelled_put_stores_nothing()
    {
        var key = NewKey();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() =>
            Store.PutAsync(key, new MemoryStream(Bytes(10_000, seed: 15)), "image/jpeg", cancelled.Token));

        await Should.ThrowAsync<StoredFileNotFoundException>(() => Store.OpenReadAsync(key, CancellationToken.None));
    }

    protected static string NewKey() => StoreKeys.New(StoreKeys.Originals);

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected async Task<byte[]> ReadAllAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(key, CancellationToken.None);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    protected async Task<string> WriteLocalFileAsync(byte[] content)
    {
        var path = Path.Combine(Staging, $"{Guid.NewGuid():N}.part");
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    /// <summary>Writes pseudo-random bytes a megabyte at a time, hashing as it goes, so no test holds the file in memory.</summary>
    protected async Task<(string Path, string Sha256)> WriteLargeFileAsync(long length, int seed)
    {
        var path = Path.Combine(Staging, $"{Guid.NewGuid():N}.part");
        var random = new Random(seed);
        var chunk = new byte[1024 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            for (long written = 0; written < length; written += chunk.Length)
            {
                var size = (int)Math.Min(chunk.Length, length - written);
                random.NextBytes(chunk.AsSpan(0, size));
                hash.AppendData(chunk, 0, size);
                await file.WriteAsync(chunk.AsMemory(0, size));
            }
        }
        return (path, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>A stream as a request body is: readable once, front to back, length unknown.</summary>
    protected sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Gives half its bytes, then fails as a dropped connection would.</summary>
    protected sealed class FailingStream(byte[] content) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= content.Length / 2) throw new IOException("The client went away.");
            var read = Math.Min(count, content.Length / 2 - _position);
            Array.Copy(content, _position, buffer, offset, read);
            _position += read;
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
