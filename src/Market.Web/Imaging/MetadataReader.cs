using System.Text;
using Market.Domain.Catalog;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Photoshop;
using MetadataExtractor.Formats.Xmp;
using MetadataExtractor.IO;
using Microsoft.Extensions.Logging.Abstractions;
using XmpCore;
using Directory = MetadataExtractor.Directory;

namespace Market.Web.Imaging;

/// <summary>
/// Reads what an uploaded file says about itself (title, creator, copyright, description, digital source type)
/// from its EXIF, IPTC and XMP metadata, and from PNG text chunks. Only metadata blocks are parsed, never pixels:
/// for a JPEG the reading stops at the first scan, for a PNG the image data chunks are skipped.
/// <para>
/// When sources disagree, XMP wins, then IPTC, then EXIF (and PNG text last). XMP is where current software
/// and the IPTC Photo Metadata Standard put these fields: it is Unicode, keeps several creators and languages,
/// and is the only place the digital source type lives. IPTC IIM is its legacy predecessor, with byte limits
/// (a By-line is 32 bytes) and a character set that is often undeclared. EXIF text is ASCII by its standard and
/// is mostly what a camera was once set to write, rarely what the creator edited last. The choice is per field,
/// so a title only IPTC has still comes through when XMP has the creator.
/// </para>
/// </summary>
public sealed partial class MetadataReader(ILogger<MetadataReader>? logger = null)
{
    public const string CreatorSeparator = "; ";

    private const string IptcExtNamespace = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";

    private readonly ILogger log = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>
    /// The metadata found, cleaned (trimmed, control characters removed, whitespace collapsed, each field at most
    /// <see cref="EmbeddedMetadata.MaxFieldLength"/> characters). Malformed metadata is skipped, not thrown:
    /// the result holds whatever could be read, <see cref="EmbeddedMetadata.None"/> at worst. A file that cannot
    /// be opened at all is the caller's error and throws as usual.
    /// </summary>
    public EmbeddedMetadata Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 16 * 1024);
        var found = new Sources();
        if (IsJpeg(stream)) ReadJpeg(stream, found);
        else if (PngTextChunks.IsPng(stream)) ReadPng(stream, found);
        else ReadOther(stream, found);

        Found[] sources =
        [
            .. found.Xmp.Select(FromXmp),
            .. found.Iptc.Select(FromIptc),
            .. found.Exif.Select(FromExif),
            FromPngText(found.PngText),
        ];
        return new EmbeddedMetadata(
            Title: sources.Select(s => Clean(s.Title)).FirstOrDefault(v => v is not null),
            Creator: sources.Select(s => JoinCreators(s.Creators)).FirstOrDefault(v => v is not null),
            CopyrightNotice: sources.Select(s => Clean(s.Copyright)).FirstOrDefault(v => v is not null),
            Description: sources.Select(s => Clean(s.Description)).FirstOrDefault(v => v is not null),
            DigitalSourceType: sources.Select(s => DigitalSourceTypes.Normalise(Clean(s.SourceType))).FirstOrDefault(v => v is not null));
    }

    /// <summary>
    /// Trims, drops control characters, bidirectional overrides and unpaired surrogates, turns every run of
    /// whitespace (line breaks and tabs included) into one space, and caps at the field length without splitting
    /// a surrogate pair. Null when nothing is left.
    /// </summary>
    private static string? Clean(string? value)
    {
        if (value is null) return null;
        const int max = EmbeddedMetadata.MaxFieldLength;
        var text = new StringBuilder(Math.Min(value.Length, max + 1));
        var space = false;
        for (var i = 0; i < value.Length && text.Length <= max; i++)
        {
            var c = value[i];
            if (char.IsWhiteSpace(c))
            {
                space = text.Length > 0;
                continue;
            }
            if (char.IsControl(c) || IsInvisibleFormatting(c)) continue;
            var pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (char.IsSurrogate(c) && !pair) continue;
            if (space) text.Append(' ');
            space = false;
            text.Append(c);
            if (pair) text.Append(value[++i]);
        }
        if (text.Length > max) text.Length = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        var cleaned = text.ToString().TrimEnd();
        return cleaned.Length == 0 ? null : cleaned;
    }

    // Characters that change how surrounding text is displayed without showing themselves: bidirectional
    // overrides and isolates could make a creator's name read differently from what it is. Zero-width joiners
    // stay; some scripts and emoji need them.
    private static bool IsInvisibleFormatting(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or '\uFEFF' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string? JoinCreators(IReadOnlyList<string?> creators)
    {
        var names = creators.Select(Clean).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return names.Count == 0 ? null : Clean(string.Join(CreatorSeparator, names));
    }

    private sealed record Found(string? Title, IReadOnlyList<string?> Creators, string? Copyright, string? Description, string? SourceType);

    /// <summary>What the format readers collected, each list in file order.</summary>
    private sealed class Sources
    {
        public List<IXmpMeta> Xmp { get; } = [];
        public List<IptcDirectory> Iptc { get; } = [];
        public List<ExifIfd0Directory> Exif { get; } = [];
        public Dictionary<string, string> PngText { get; } = new(StringComparer.OrdinalIgnoreCase);

        public void Add(IEnumerable<Directory> directories)
        {
            foreach (var directory in directories)
            {
                switch (directory)
                {
                    case XmpDirectory { XmpMeta: { } xmp }: Xmp.Add(xmp); break;
                    case IptcDirectory iptc: Iptc.Add(iptc); break;
                    case ExifIfd0Directory exif: Exif.Add(exif); break;
                }
            }
        }
    }

    // Reading

    private static bool IsTiff(FileStream stream)
    {
        Span<byte> start = stackalloc byte[4];
        var read = stream.ReadAtLeast(start, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        return read == 4 && ((start[0] == 'I' && start[1] == 'I' && start[2] == 42 && start[3] == 0)
                             || (start[0] == 'M' && start[1] == 'M' && start[2] == 0 && start[3] == 42));
    }

    private static bool IsJpeg(FileStream stream)
    {
        Span<byte> start = stackalloc byte[3];
        var isJpeg = stream.ReadAtLeast(start, 3, throwOnEndOfStream: false) == 3 && start[0] == 0xFF && start[1] == 0xD8 && start[2] == 0xFF;
        stream.Position = 0;
        return isJpeg;
    }

    /// <summary>
    /// A JPEG's segments are read once (up to the first scan; each is at most 64 KB), then each metadata reader
    /// gets its own and fails on its own: broken XMP does not cost the EXIF or IPTC next to it. (The library's
    /// all-in-one reader throws on a garbage XMP segment and returns nothing at all.)
    /// </summary>
    private void ReadJpeg(Stream stream, Sources found)
    {
        IJpegSegmentMetadataReader[] readers = [new XmpReader(), new PhotoshopReader(), new IptcReader(), new ExifReader()];
        List<JpegSegment> segments;
        try
        {
            var types = readers.SelectMany(r => r.SegmentTypes).ToHashSet();
            segments = JpegSegmentReader.ReadSegments(new SequentialStreamReader(stream), types).ToList();
        }
        catch (Exception e) when (IsParseFailure(e))
        {
            Skipped(log, "JPEG segments", e.GetType().Name);
            return;
        }

        foreach (var reader in readers)
        {
            try
            {
                found.Add(reader.ReadJpegSegments(segments.Where(s => reader.SegmentTypes.Contains(s.Type))).ToList());
            }
            catch (Exception e) when (IsParseFailure(e))
            {
                Skipped(log, reader.GetType().Name, e.GetType().Name);
            }
        }
    }

    /// <summary>PNG chunks are walked here, with bounds (see <see cref="PngTextChunks"/>); each chunk fails on its own.</summary>
    private void ReadPng(Stream stream, Sources found)
    {
        List<PngTextChunks.Chunk> chunks;
        try
        {
            chunks = PngTextChunks.Read(stream);
        }
        catch (Exception e) when (IsParseFailure(e))
        {
            Skipped(log, "PNG chunks", e.GetType().Name);
            return;
        }

        foreach (var chunk in chunks)
        {
            try
            {
                if (chunk.Keyword == "XML:com.adobe.xmp") found.Xmp.Add(XmpMetaFactory.ParseFromBuffer(chunk.Bytes));
                else if (chunk.Keyword == "eXIf") found.Add(new ExifReader().Extract(new ByteArrayReader(chunk.Bytes)));
                else if (chunk.Text is not null) found.PngText.TryAdd(chunk.Keyword, chunk.Text);
            }
            catch (Exception e) when (IsParseFailure(e))
            {
                Skipped(log, chunk.Keyword == "eXIf" ? "PNG eXIf" : "PNG XMP", e.GetType().Name);
            }
        }
    }

    /// <summary>
    /// WebP, TIFF and GIF go through the library's reader for the format, all or nothing. Their readers check
    /// chunk and tag sizes against the file before allocating.
    /// </summary>
    private void ReadOther(FileStream stream, Sources found)
    {
        try
        {
            if (IsTiff(stream))
            {
                // The library's Stream entry points read a TIFF through IndexedCapturingReader, which keeps every byte
                // up to the furthest offset it visits; libtiff writes the directory after the pixels, so that is the
                // whole file, in managed memory. Our stream can seek: read the TIFF structure in place instead.
                var directories = new List<Directory>();
                MetadataExtractor.Formats.Tiff.TiffReader.ProcessTiff(new IndexedSeekingReader(stream), new ExifTiffHandler(directories));
                found.Add(directories);
            }
            else found.Add(ImageMetadataReader.ReadMetadata(stream));
        }
        catch (Exception e) when (IsParseFailure(e))
        {
            Skipped(log, "image metadata", e.GetType().Name);
        }
    }

    // The parsers meet hostile bytes, and what they throw on them is not documented (bounds, format, encoding,
    // overflow and XML errors all occur), so any ordinary exception means "this block is unreadable". Only the
    // process being out of memory is let through.
    private static bool IsParseFailure(Exception e) => e is not OutOfMemoryException;

    // Only the block's kind and the exception's type are logged: exception messages can quote the metadata.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Unreadable embedded metadata skipped: {Block} ({ExceptionType})")]
    private static partial void Skipped(ILogger logger, string block, string exceptionType);

    // What each source says

    private static Found FromXmp(IXmpMeta xmp) => new(
        Title: XmpValues(xmp, XmpConstants.NsDC, "title").FirstOrDefault(),
        Creators: XmpValues(xmp, XmpConstants.NsDC, "creator"),
        Copyright: XmpValues(xmp, XmpConstants.NsDC, "rights").FirstOrDefault(),
        Description: XmpValues(xmp, XmpConstants.NsDC, "description").FirstOrDefault(),
        SourceType: XmpValues(xmp, IptcExtNamespace, "DigitalSourceType").FirstOrDefault());

    /// <summary>
    /// A property's text whatever shape the file gave it: a language alternative gives its x-default item (or,
    /// without one, its first); a list gives every simple item in order; a simple property gives its value.
    /// </summary>
    private static IReadOnlyList<string?> XmpValues(IXmpMeta xmp, string ns, string name)
    {
        try
        {
            var property = xmp.GetProperty(ns, name);
            if (property is null) return [];
            if (property.Options.IsArrayAltText) return [xmp.GetLocalizedText(ns, name, "", "x-default")?.Value];
            if (property.Options.IsArray)
                return Enumerable.Range(1, xmp.CountArrayItems(ns, name))
                    .Select(i => xmp.GetArrayItem(ns, name, i))
                    .Where(item => item is not null && !item.Options.IsCompositeProperty)
                    .Select(item => item.Value)
                    .ToList();
            return property.Options.IsCompositeProperty ? [] : [property.Value];
        }
        catch (XmpException)
        {
            // Raised for a namespace the packet never declared, or a property of an unexpected shape.
            return [];
        }
    }

    private static Found FromIptc(IptcDirectory iptc) => new(
        Title: Texts(iptc, IptcDirectory.TagObjectName).FirstOrDefault(),
        Creators: Texts(iptc, IptcDirectory.TagByLine),
        Copyright: Texts(iptc, IptcDirectory.TagCopyrightNotice).FirstOrDefault(),
        Description: Texts(iptc, IptcDirectory.TagCaption).FirstOrDefault(),
        SourceType: null);

    // Artist and the Windows "XP" tags (UTF-16, written by Windows Explorer) are the only places EXIF names a
    // creator or a title.
    private static Found FromExif(ExifIfd0Directory exif) => new(
        Title: WindowsText(exif, ExifDirectoryBase.TagWinTitle),
        Creators: [.. Texts(exif, ExifDirectoryBase.TagArtist).DefaultIfEmpty(WindowsText(exif, ExifDirectoryBase.TagWinAuthor))],
        Copyright: Texts(exif, ExifDirectoryBase.TagCopyright).FirstOrDefault(),
        Description: Texts(exif, ExifDirectoryBase.TagImageDescription).FirstOrDefault(),
        SourceType: null);

    /// <summary>PNG's registered text keywords (PNG 1.2, section 4.2.3.1), the last and least trusted source.</summary>
    private static Found FromPngText(Dictionary<string, string> text) => new(
        Title: text.GetValueOrDefault("Title"),
        Creators: [text.GetValueOrDefault("Author")],
        Copyright: text.GetValueOrDefault("Copyright"),
        Description: text.GetValueOrDefault("Description"),
        SourceType: null);

    /// <summary>A tag's text, one string per value of a repeated tag.</summary>
    private static IReadOnlyList<string> Texts(Directory directory, int tag) => directory.GetObject(tag) switch
    {
        StringValue one => [Decode(one)],
        StringValue[] many => [.. many.Select(Decode)],
        string one => [one],
        string[] many => many,
        _ => [],
    };

    // EXIF says ASCII and IPTC often declares no character set, but much software writes UTF-8 regardless:
    // bytes that are valid UTF-8 are read as UTF-8, anything else in the encoding the library settled on.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string Decode(StringValue value)
    {
        try
        {
            return StrictUtf8.GetString(value.Bytes);
        }
        catch (DecoderFallbackException)
        {
            return value.ToString();
        }
    }

    private static string? WindowsText(Directory directory, int tag) =>
        directory.GetObject(tag) is byte[] bytes ? Encoding.Unicode.GetString(bytes).TrimEnd('\0') : null;
}
