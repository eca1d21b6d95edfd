using System.IO.Compression;
using Market.Web.Delivery;

namespace Market.Web.Tests.Delivery;

/// <summary>
/// What the streamed ZIP rests on: ZipArchive writing to a stream that cannot seek and refuses synchronous
/// writes (as Kestrel's response body does), through <see cref="AsyncOnlyWriteStream"/>.
/// </summary>
public sealed class ZipStreamingTests
{
    /// <summary>Kestrel's response body, as far as this matters: forward only, asynchronous only.</summary>
    private sealed class ResponseLikeStream : Stream
    {
        public MemoryStream Written { get; } = new();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override void Write(ReadOnlySpan<byte> buffer) => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static async Task WriteAsync(Stream output, params (string Name, byte[] Bytes)[] files)
    {
        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, CancellationToken.None);
        foreach (var (name, bytes) in files)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
            await using var target = await entry.OpenAsync();
            await target.WriteAsync(bytes);
        }
    }

    [Fact]
    public async Task The_library_still_writes_data_descriptors_synchronously_which_is_why_the_wrapper_exists()
    {
        // If this starts passing without the wrapper, .NET has fixed it and AsyncOnlyWriteStream can go.
        var response = new ResponseLikeStream();
        await Should.ThrowAsync<InvalidOperationException>(() => WriteAsync(response, ("a.bin", new byte[100])));
    }

    [Fact]
    public async Task Through_the_wrapper_the_archive_is_complete_stored_and_readable()
    {
        var response = new ResponseLikeStream();
        var body = new AsyncOnlyWriteStream(response);
        var first = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        var second = "hello"u8.ToArray();

        await WriteAsync(body, ("files/first.bin", first), ("files/second.txt", second));
        await body.FlushAsync();

        using var zip = new ZipArchive(new MemoryStream(response.Written.ToArray()), ZipArchiveMode.Read);
        zip.Entries.Select(e => e.FullName).ShouldBe(["files/first.bin", "files/second.txt"]);
        zip.Entries[0].CompressedLength.ShouldBe(first.Length, "stored, not deflated");
        using var read = new MemoryStream();
        await using (var s = zip.Entries[0].Open()) await s.CopyToAsync(read);
        read.ToArray().ShouldBe(first);
    }

    [Fact]
    public void A_large_synchronous_write_is_refused_rather_than_buffered()
    {
        var body = new AsyncOnlyWriteStream(new ResponseLikeStream());
        body.Write(new byte[24]);
        Should.Throw<InvalidOperationException>(() => body.Write(new byte[AsyncOnlyWriteStream.MaxPendingBytes]));
    }
}
