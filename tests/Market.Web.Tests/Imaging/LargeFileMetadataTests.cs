using System.Text;
using Market.Tests.Shared;
using Market.Web.Imaging;
using NetVips;

namespace Market.Web.Tests.Imaging;

/// <summary>
/// Reading metadata must cost memory in proportion to the metadata, not the file: libtiff writes a TIFF's tag
/// directory after the pixels, and a reader that buffers up to the furthest offset holds the whole upload.
/// </summary>
public sealed class LargeFileMetadataTests
{
    [Fact]
    public void The_metadata_of_a_large_tiff_is_read_in_place_without_holding_the_file_in_memory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"large-{Guid.NewGuid():N}.tif");
        try
        {
            var xmp = Encoding.UTF8.GetBytes(TaggedImages.XmpPacket(new TaggedImages.XmpFields(Title: "Quay at night", Creators: ["Ana Lima"])));
            using (var black = Image.Black(4000, 3000, bands: 3).Cast(Enums.BandFormat.Uchar))
            using (var image = black.Mutate(m => m.Set(GValue.BlobType, "xmp-data", xmp)))
                image.Tiffsave(path, keep: Enums.ForeignKeep.Xmp);
            new FileInfo(path).Length.ShouldBeGreaterThan(30_000_000);
            var reader = new MetadataReader();

            var before = GC.GetAllocatedBytesForCurrentThread();
            var metadata = reader.Read(path);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            metadata.Title.ShouldBe("Quay at night");
            metadata.Creator.ShouldBe("Ana Lima");
            allocated.ShouldBeLessThan(4_000_000, "reading the tags of a 36 MB TIFF must not read its pixels into memory");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
