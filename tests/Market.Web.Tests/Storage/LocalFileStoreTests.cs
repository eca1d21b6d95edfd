using Market.Web.Storage;

namespace Market.Web.Tests.Storage;

public sealed class LocalFileStoreTests : FileStoreContract
{
    private string Root => Path.Combine(Scratch, "files");

    protected override bool LendsTemporaryCopies => false;

    protected override Task<IFileStore> CreateStoreAsync() => Task.FromResult<IFileStore>(new LocalFileStore(Root));

    protected override void ShouldHaveReachedNothing() =>
        Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories).ShouldBeEmpty();
}
