using Market.Web.Storage;

namespace Market.Web.Tests.Storage;

public sealed class UploadStagingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "staging-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_file_within_the_limit_is_staged_whole_and_disposing_deletes_it()
    {
        var staging = new UploadStaging(_folder);
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();

        string path;
        using (var staged = await staging.StageAsync(new MemoryStream(bytes), maxBytes: bytes.Length, CancellationToken.None))
        {
            staged.Length.ShouldBe(bytes.Length);
            (await File.ReadAllBytesAsync(staged.Path)).ShouldBe(bytes);
            path = staged.Path;
        }
        File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task A_file_one_byte_over_the_limit_is_cut_off_and_leaves_nothing_behind()
    {
        var staging = new UploadStaging(_folder);
        var content = new MemoryStream(new byte[1024 * 1024 + 1]);

        var refused = await Should.ThrowAsync<FileTooLargeException>(() => staging.StageAsync(content, maxBytes: 1024 * 1024, CancellationToken.None));

        refused.Message.ShouldBe("The file is larger than 1 MB.");
        Directory.GetFiles(_folder).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_stream_that_fails_midway_leaves_nothing_behind()
    {
        var staging = new UploadStaging(_folder);
        await Should.ThrowAsync<IOException>(() => staging.StageAsync(new FailingStream(200_000), 10_000_000, CancellationToken.None));
        Directory.GetFiles(_folder).ShouldBeEmpty();
    }

    /// <summary>A client that disconnects after some bytes.</summary>
    private sealed class FailingStream(int failAfter) : Stream
    {
        private int _sent;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _sent; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_sent >= failAfter) throw new IOException("The client went away.");
            var n = Math.Min(count, failAfter - _sent);
            _sent += n;
            return n;
        }
    }
}
