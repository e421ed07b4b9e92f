using System;
using System.Buffers.Binary;
using System.Text;

namespace Cairn.Hosting;

/// <summary>
/// Builds the canonical bytes of a point, from which its <see cref="PointId"/> is hashed: fields in
/// declaration order, little-endian, floating-point numbers by bit pattern, strings and arrays
/// length-prefixed. The generated code calls one <c>Write</c> per property. One instance per thread.
/// </summary>
public sealed class CanonicalWriter
{
    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    /// <summary>Starts a new point.</summary>
    public void Reset()
    {
        _length = 0;
        InvalidText = null;
    }

    /// <summary>
    /// Why the point cannot be stored as it is, or null: a string of it is not valid UTF-16 (an
    /// unpaired surrogate), which UTF-8 storage would silently replace. Its id still tells it apart.
    /// </summary>
    public string? InvalidText { get; private set; }

    /// <summary>The id of the bytes written so far.</summary>
    public PointId ToPointId() => PointId.Of(Bytes);

    private Span<byte> Take(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        Span<byte> span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Writes a boolean as one byte.</summary>
    public void Write(bool value) => Take(1)[0] = value ? (byte)1 : (byte)0;

    /// <summary>Writes a byte.</summary>
    public void Write(byte value) => Take(1)[0] = value;

    /// <summary>Writes a signed byte.</summary>
    public void Write(sbyte value) => Take(1)[0] = unchecked((byte)value);

    /// <summary>Writes a 16-bit integer.</summary>
    public void Write(short value) => BinaryPrimitives.WriteInt16LittleEndian(Take(2), value);

    /// <summary>Writes a 16-bit unsigned integer.</summary>
    public void Write(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), value);

    /// <summary>Writes a 32-bit integer.</summary>
    public void Write(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

    /// <summary>Writes a 32-bit unsigned integer.</summary>
    public void Write(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), value);

    /// <summary>Writes a 64-bit integer.</summary>
    public void Write(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    /// <summary>Writes a 64-bit unsigned integer.</summary>
    public void Write(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), value);

    /// <summary>Writes a float by its bit pattern.</summary>
    public void Write(float value) => Write(BitConverter.SingleToInt32Bits(value));

    /// <summary>Writes a double by its bit pattern.</summary>
    public void Write(double value) => Write(BitConverter.DoubleToInt64Bits(value));

    /// <summary>Writes a timestamp as its ticks (the kind is not part of the identity).</summary>
    public void Write(DateTime value) => Write(value.Ticks);

    /// <summary>
    /// Writes a string as a length (-1 for null) and its UTF-8 bytes; one that is not valid UTF-16
    /// as -2 and its UTF-16 code units, so that strings differing by an unpaired surrogate keep
    /// different ids (UTF-8 would turn both into U+FFFD), and <see cref="InvalidText"/> says so.
    /// </summary>
    public void Write(string? value)
    {
        if (value is null)
        {
            Write(-1);
            return;
        }

        int count = Encoding.UTF8.GetByteCount(value);
        int start = _length;
        Write(count);
        if (System.Text.Unicode.Utf8.FromUtf16(value, Take(count), out _, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done)
        {
            return;
        }

        _length = start;
        Write(-2);
        Write(value.Length);
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(Take(value.Length * 2));
        InvalidText ??= $"the point holds a string that is not valid UTF-16 (an unpaired surrogate at index {Utf16Text.FirstUnpaired(value)}), which cannot be stored as it is; fix the string in the [Points] method";
    }

    /// <summary>Writes whether a nullable value is present; the caller then writes the value.</summary>
    public void WritePresence(bool hasValue) => Write(hasValue);
}
