using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Cairn.Storage.Hdf5;

/// <summary>
/// How one value of type <typeparamref name="TElement"/> is laid out for HDF5: the datatype (the
/// same in memory and in the file), its size, and the conversion to and from that layout. Numbers
/// are the native types; bool is h5py's enum <c>{FALSE, TRUE}</c>; Complex is h5py's compound
/// <c>{r, i}</c>; DateTime is int64 in units of 100 ns since 1970-01-01 UTC; ids are 32 hex
/// characters, as the CLI prints them; strings are variable-length UTF-8.
/// </summary>
internal abstract unsafe class ElementType<TElement>
{
    public abstract long Type { get; }

    public abstract int Size { get; }

    /// <summary>The <c>units</c> attribute of datasets of these values, if they need one.</summary>
    public virtual string? Units => null;

    /// <summary>Writes <paramref name="values"/> to <paramref name="target"/>; memory a value needs is owned by <paramref name="buffer"/>.</summary>
    public abstract void Encode(ReadOnlySpan<TElement> values, byte* target, NativeBuffer buffer);

    public abstract void Decode(byte* source, Span<TElement> values);

    /// <summary>Frees what the library allocated when it read <paramref name="count"/> values into <paramref name="source"/>.</summary>
    public virtual void Release(byte* source, int count)
    {
    }
}

/// <summary>Values whose bytes are their HDF5 layout.</summary>
internal sealed unsafe class Blittable<TElement>(long type) : ElementType<TElement>
    where TElement : unmanaged
{
    public override long Type => type;

    public override int Size => sizeof(TElement);

    public override void Encode(ReadOnlySpan<TElement> values, byte* target, NativeBuffer buffer) =>
        MemoryMarshal.AsBytes(values).CopyTo(new Span<byte>(target, values.Length * sizeof(TElement)));

    public override void Decode(byte* source, Span<TElement> values) =>
        new ReadOnlySpan<TElement>(source, values.Length).CopyTo(values);
}

internal sealed unsafe class Times : ElementType<DateTime>
{
    public override string? Units => "100 ns since 1970-01-01T00:00:00Z";

    public override long Type => Hdf5Library.NativeInt64;

    public override int Size => 8;

    public override void Encode(ReadOnlySpan<DateTime> values, byte* target, NativeBuffer buffer)
    {
        long* ticks = (long*)target;
        for (int i = 0; i < values.Length; i++)
        {
            ticks[i] = values[i].Ticks - DateTime.UnixEpoch.Ticks;
        }
    }

    public override void Decode(byte* source, Span<DateTime> values)
    {
        long* ticks = (long*)source;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = new DateTime(ticks[i] + DateTime.UnixEpoch.Ticks, DateTimeKind.Utc);
        }
    }
}

internal sealed unsafe class Ids : ElementType<Guid>
{
    public override long Type => ElementTypes.Id;

    public override int Size => 32;

    public override void Encode(ReadOnlySpan<Guid> values, byte* target, NativeBuffer buffer)
    {
        Span<char> text = stackalloc char[32];
        for (int i = 0; i < values.Length; i++)
        {
            values[i].TryFormat(text, out _, "N");
            for (int c = 0; c < 32; c++)
            {
                target[(32 * i) + c] = (byte)text[c];
            }
        }
    }

    public override void Decode(byte* source, Span<Guid> values)
    {
        Span<char> text = stackalloc char[32];
        for (int i = 0; i < values.Length; i++)
        {
            for (int c = 0; c < 32; c++)
            {
                text[c] = (char)source[(32 * i) + c];
            }

            values[i] = Guid.TryParseExact(text, "N", out Guid id)
                ? id
                : throw new Hdf5Exception($"'{text}' is not an id of 32 hex digits");
        }
    }
}

internal sealed unsafe class Strings : ElementType<string>
{
    public override long Type => ElementTypes.VariableString;

    public override int Size => sizeof(IntPtr);

    public override void Encode(ReadOnlySpan<string> values, byte* target, NativeBuffer buffer)
    {
        IntPtr* pointers = (IntPtr*)target;
        for (int i = 0; i < values.Length; i++)
        {
            pointers[i] = values[i] is null ? IntPtr.Zero : buffer.Keep(values[i]);
        }
    }

    public override void Decode(byte* source, Span<string> values)
    {
        IntPtr* pointers = (IntPtr*)source;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Marshal.PtrToStringUTF8(pointers[i])!;
        }
    }

    public override void Release(byte* source, int count)
    {
        IntPtr* pointers = (IntPtr*)source;
        for (int i = 0; i < count; i++)
        {
            H5.H5free_memory((void*)pointers[i]);
            pointers[i] = IntPtr.Zero;
        }
    }
}

/// <summary>The element types and the datatypes Cairn defines, created once the library is loaded.</summary>
internal static class ElementTypes
{
    private static long s_bool;
    private static long s_complex;
    private static long s_id;
    private static long s_string;

    /// <summary>h5py's bool: an enum of int8 with FALSE = 0 and TRUE = 1.</summary>
    public static long Bool => s_bool;

    /// <summary>h5py's complex128: a compound of doubles r and i.</summary>
    public static long Complex => s_complex;

    /// <summary>32 ASCII characters, null-padded.</summary>
    public static long Id => s_id;

    /// <summary>Variable-length UTF-8.</summary>
    public static long VariableString => s_string;

    /// <summary>Creates the datatypes (they live as long as the process); part of loading the library.</summary>
    public static unsafe void Create()
    {
        s_bool = Hdf5Library.Check64(H5.H5Tenum_create(Hdf5Library.NativeInt8), "creating the bool type");
        sbyte no = 0, yes = 1;
        Hdf5Library.Check(H5.H5Tenum_insert(s_bool, "FALSE", &no), "creating the bool type");
        Hdf5Library.Check(H5.H5Tenum_insert(s_bool, "TRUE", &yes), "creating the bool type");
        s_complex = Hdf5Library.Check64(H5.H5Tcreate(H5.TypeCompound, 16), "creating the complex type");
        Hdf5Library.Check(H5.H5Tinsert(s_complex, "r", 0, Hdf5Library.NativeDouble), "creating the complex type");
        Hdf5Library.Check(H5.H5Tinsert(s_complex, "i", 8, Hdf5Library.NativeDouble), "creating the complex type");
        s_id = Hdf5Library.Check64(H5.H5Tcopy(Hdf5Library.CString), "creating the id type");
        Hdf5Library.Check(H5.H5Tset_size(s_id, 32), "creating the id type");
        Hdf5Library.Check(H5.H5Tset_strpad(s_id, H5.StringNullPad), "creating the id type");
        long text = Hdf5Library.Check64(H5.H5Tcopy(Hdf5Library.CString), "creating the string type");
        Hdf5Library.Check(H5.H5Tset_size(text, H5.Variable), "creating the string type");
        Hdf5Library.Check(H5.H5Tset_cset(text, H5.CharsetUtf8), "creating the string type");
        s_string = text;
    }
}

/// <summary>
/// A reusable block of native memory for one transfer, plus the UTF-8 copies of the strings the
/// transfer points to (freed by <see cref="Reset"/>).
/// </summary>
internal sealed unsafe class NativeBuffer : IDisposable
{
    private readonly List<IntPtr> _strings = [];
    private byte* _memory;
    private nuint _size;

    /// <summary>
    /// At least <paramref name="bytes"/> bytes, and <see cref="Hdf5Objects.ChecksumBytes"/> more
    /// that <see cref="Hdf5Objects.AppendRows"/> borrows; earlier contents are not kept.
    /// </summary>
    public byte* Get(long bytes)
    {
        nuint wanted = (nuint)Math.Max(16, bytes + Hdf5Objects.ChecksumBytes);
        if (wanted > _size)
        {
            NativeMemory.Free(_memory);
            _memory = (byte*)NativeMemory.Alloc(wanted);
            _size = wanted;
        }

        return _memory;
    }

    /// <summary>A null-terminated UTF-8 copy of <paramref name="text"/>, alive until <see cref="Reset"/>.</summary>
    public IntPtr Keep(string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        IntPtr memory = (IntPtr)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>((void*)memory, length));
        ((byte*)memory)[length] = 0;
        _strings.Add(memory);
        return memory;
    }

    /// <summary>Frees the string copies of the last transfer.</summary>
    public void Reset()
    {
        foreach (IntPtr memory in _strings)
        {
            NativeMemory.Free((void*)memory);
        }

        _strings.Clear();
    }

    public void Dispose()
    {
        Reset();
        NativeMemory.Free(_memory);
        _memory = null;
        _size = 0;
    }
}
