using System;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Cairn.Execution;

/// <summary>
/// The digest of a list input, built as its keys come: the hash of how many keys there are and of
/// their sum modulo 2^128. Keys are 128-bit hashes, spread evenly, so two different sets of keys
/// have the same sum with probability 2^-128; and a sum does not depend on the order the keys come
/// in. So a map over 10^7 points is digested while its keys are computed, in parallel parts that are
/// added up, without holding the keys or sorting them.
/// </summary>
internal struct KeyDigest
{
    private UInt128 _sum;
    private long _count;

    /// <summary>Adds a key.</summary>
    public void Add(PointId key)
    {
        _sum += new UInt128(key.High, key.Low);
        _count++;
    }

    /// <summary>Adds the keys another digest was given.</summary>
    public void Add(KeyDigest other)
    {
        _sum += other._sum;
        _count += other._count;
    }

    /// <summary>The digest of the keys added so far.</summary>
    public readonly PointId Result()
    {
        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, _count);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], (ulong)(_sum >> 64));
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], (ulong)_sum);
        UInt128 value = XxHash128.HashToUInt128(bytes);
        return new PointId((ulong)(value >> 64), (ulong)value);
    }

    /// <summary>The digest of <paramref name="keys"/>.</summary>
    public static PointId Of(ReadOnlySpan<PointId> keys)
    {
        var digest = default(KeyDigest);
        foreach (PointId key in keys)
        {
            digest.Add(key);
        }

        return digest.Result();
    }
}
