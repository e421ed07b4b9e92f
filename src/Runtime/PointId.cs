using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;

namespace Cairn;

/// <summary>
/// The identity of a parameter point: the 128-bit XxHash of its canonical bytes. Two points with the
/// same canonical bytes are the same point. Printed as 32 lower-case hex digits; stored in Parquet
/// as a UUID column whose text form has the same digits.
/// </summary>
public readonly struct PointId : IEquatable<PointId>, IComparable<PointId>
{
    /// <summary>Creates an id from its two halves.</summary>
    public PointId(ulong high, ulong low)
    {
        High = high;
        Low = low;
    }

    /// <summary>The most significant 64 bits.</summary>
    public ulong High { get; }

    /// <summary>The least significant 64 bits.</summary>
    public ulong Low { get; }

    /// <summary>Hashes canonical bytes into an id.</summary>
    public static PointId Of(ReadOnlySpan<byte> canonicalBytes)
    {
        UInt128 hash = XxHash128.HashToUInt128(canonicalBytes);
        return new PointId((ulong)(hash >> 64), (ulong)hash);
    }

    /// <summary>The id as a UUID whose big-endian bytes are the id's bytes.</summary>
    /// <remarks>
    /// Built in registers, not through a byte buffer: a 16-byte store read back as two 8-byte loads
    /// defeats store forwarding, and then every lookup of a loop over 10^6 ids waits for the previous
    /// one's cache miss (five times slower, measured on the table of stored points).
    /// </remarks>
    public Guid ToGuid() => new(
        (uint)(High >> 32), (ushort)(High >> 16), (ushort)High,
        (byte)(Low >> 56), (byte)(Low >> 48), (byte)(Low >> 40), (byte)(Low >> 32),
        (byte)(Low >> 24), (byte)(Low >> 16), (byte)(Low >> 8), (byte)Low);

    /// <summary>The inverse of <see cref="ToGuid"/>.</summary>
    public static PointId FromGuid(Guid guid)
    {
        if (!BitConverter.IsLittleEndian)
        {
            Span<byte> bytes = stackalloc byte[16];
            guid.TryWriteBytes(bytes, bigEndian: true, out _);
            return new PointId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        }

        // In memory a Guid is (uint a, ushort b, ushort c, byte d..k), each integer little-endian;
        // its big-endian form is a, b, c, d..k with the integers' bytes reversed.
        ref ulong words = ref Unsafe.As<Guid, ulong>(ref guid);
        ulong first = words;
        ulong high = (first << 32) | ((first >> 16) & 0xFFFF0000UL) | (first >> 48);
        return new PointId(high, BinaryPrimitives.ReverseEndianness(Unsafe.Add(ref words, 1)));
    }

    /// <summary>Parses 32 hex digits, with or without the dashes of the UUID form.</summary>
    public static bool TryParse(string? text, out PointId id)
    {
        id = default;
        if (text is null)
        {
            return false;
        }

        string hex = text.Replace("-", "", StringComparison.Ordinal);
        if (hex.Length != 32
            || !ulong.TryParse(hex.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong high)
            || !ulong.TryParse(hex.AsSpan(16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong low))
        {
            return false;
        }

        id = new PointId(high, low);
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(PointId other) => High == other.High && Low == other.Low;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PointId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)Low ^ (int)(Low >> 32);

    /// <inheritdoc/>
    public int CompareTo(PointId other) => High != other.High ? High.CompareTo(other.High) : Low.CompareTo(other.Low);

    /// <summary>32 lower-case hex digits.</summary>
    public override string ToString() => High.ToString("x16", CultureInfo.InvariantCulture) + Low.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Equality.</summary>
    public static bool operator ==(PointId left, PointId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PointId left, PointId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(PointId left, PointId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(PointId left, PointId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(PointId left, PointId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(PointId left, PointId right) => left.CompareTo(right) >= 0;
}
