using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Market.Domain.Detection;

namespace Market.Web.Detection;

/// <summary>
/// The stored form of an <see cref="ImageFingerprint"/>: one compact binary value per work or registry entry, so a
/// detection worker rebuilds its catalog from the database in one sequential read instead of decoding every
/// original again. Layout (little-endian): version byte; hash count (int32); per hash 32 bytes of hash, quality,
/// view and dihedral (one byte each); a byte saying whether features follow; then width, height and keypoint count
/// (int32), the keypoints as float pairs and the 32-byte descriptors.
/// </summary>
public static class FingerprintCodec
{
    private const byte Version = 1;

    public static byte[] Encode(ImageFingerprint fingerprint)
    {
        var features = fingerprint.Features;
        var size = 1 + 4 + fingerprint.Hashes.Count * 35 + 1
                   + (features is null ? 0 : 12 + features.Points.Length * 4 + features.Descriptors.Length);
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], fingerprint.Hashes.Count);
        var at = 5;
        foreach (var h in fingerprint.Hashes)
        {
            h.Hash.ToBytes().CopyTo(span[at..]);
            span[at + 32] = (byte)h.Quality;
            span[at + 33] = (byte)h.View;
            span[at + 34] = (byte)h.Dihedral;
            at += 35;
        }
        span[at++] = features is null ? (byte)0 : (byte)1;
        if (features is null) return bytes;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], features.Width);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at + 4)..], features.Height);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], features.Points.Length / 2);
        at += 12;
        MemoryMarshal.AsBytes(features.Points.AsSpan()).CopyTo(span[at..]);
        at += features.Points.Length * 4;
        features.Descriptors.CopyTo(span[at..]);
        return bytes;
    }

    /// <summary>Reads what <see cref="Encode"/> wrote; throws <see cref="FormatException"/> for anything else.</summary>
    public static ImageFingerprint Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            if (bytes.Length < 6 || bytes[0] != Version) throw new FormatException("Not a stored fingerprint of a known version.");
            var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[1..]);
            if (count < 0 || 5 + (long)count * 35 + 1 > bytes.Length) throw new FormatException("A stored fingerprint is truncated.");
            var hashes = new TaggedHash[count];
            var at = 5;
            for (var i = 0; i < count; i++, at += 35)
                hashes[i] = new TaggedHash(PdqHash.FromBytes(bytes.Slice(at, 32)), bytes[at + 32], (HashView)bytes[at + 33], bytes[at + 34]);
            if (bytes[at++] == 0) return new ImageFingerprint(hashes, null);
            var width = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
            var height = BinaryPrimitives.ReadInt32LittleEndian(bytes[(at + 4)..]);
            var points = BinaryPrimitives.ReadInt32LittleEndian(bytes[(at + 8)..]);
            at += 12;
            if (points < 0 || at + (long)points * (8 + LocalFeatures.DescriptorBytes) != bytes.Length)
                throw new FormatException("A stored fingerprint's features are truncated.");
            var xy = MemoryMarshal.Cast<byte, float>(bytes.Slice(at, points * 8)).ToArray();
            at += points * 8;
            return new ImageFingerprint(hashes, new LocalFeatures(xy, bytes.Slice(at, points * LocalFeatures.DescriptorBytes).ToArray(), width, height));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new FormatException("A stored fingerprint is truncated.");
        }
    }
}
