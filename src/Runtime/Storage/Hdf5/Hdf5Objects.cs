using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Cairn.Storage.Hdf5;

/// <summary>
/// Files, groups, attributes and extendable datasets on top of <see cref="H5"/>. Every dataset
/// Cairn writes grows along its first axis (one row per result) and is chunked so that a chunk holds
/// about <see cref="ChunkBytes"/>. Callers hold <see cref="Hdf5Library.Sync"/>.
/// </summary>
internal static unsafe class Hdf5Objects
{
    public const int ChunkBytes = 1 << 20;

    /// <summary>The bytes of the checksum HDF5's Fletcher-32 filter appends to each chunk.</summary>
    public const int ChecksumBytes = 4;

    public static Hid CreateFile(string path) =>
        Hid.Own(H5.H5Fcreate(path, H5.AccessExclusive, H5.Default, Hdf5Library.FileAccess), $"creating {path}");

    public static Hid OpenFile(string path) =>
        Hid.Own(H5.H5Fopen(path, H5.AccessReadOnly, Hdf5Library.FileAccess), $"opening {path}");

    public static Hid CreateGroup(Hid location, string name) =>
        Hid.Own(H5.H5Gcreate2(location.Id, name, H5.Default, H5.Default, H5.Default), $"creating group '{name}'");

    /// <summary>Opens a group or dataset by name.</summary>
    public static Hid Open(Hid location, string name) =>
        Hid.Own(H5.H5Oopen(location.Id, name, H5.Default), $"opening '{name}'");

    public static bool IsGroup(Hid item) => H5.H5Iget_type(item.Id) == H5.IdGroup;

    public static bool Exists(Hid location, string name) => Hdf5Library.Check(H5.H5Lexists(location.Id, name, H5.Default), $"looking up '{name}'") > 0;

    /// <summary>The names of a group's members, in name order.</summary>
    public static List<string> Members(Hid group)
    {
        Hdf5Library.Check(H5.H5Gget_info(group.Id, out H5.GroupInfo info), "reading a group");
        var names = new List<string>((int)info.Links);
        for (ulong i = 0; i < info.Links; i++)
        {
            nint length = H5.H5Lget_name_by_idx(group.Id, ".", 0, 0, i, null, 0, H5.Default);
            Hdf5Library.Check(length < 0 ? -1 : 0, "listing a group");
            byte[] name = new byte[length + 1];
            fixed (byte* p = name)
            {
                H5.H5Lget_name_by_idx(group.Id, ".", 0, 0, i, p, (nuint)name.Length, H5.Default);
            }

            names.Add(Encoding.UTF8.GetString(name, 0, (int)length));
        }

        return names;
    }

    public static void Move(Hid group, string from, string to) =>
        Hdf5Library.Check(H5.H5Lmove(group.Id, from, group.Id, to, H5.Default, H5.Default), $"renaming '{from}'");

    public static void Delete(Hid group, string name) =>
        Hdf5Library.Check(H5.H5Ldelete(group.Id, name, H5.Default), $"deleting '{name}'");

    /// <summary>Writes a scalar UTF-8 string attribute (h5py reads it as <c>str</c>).</summary>
    public static void WriteAttribute(Hid item, string name, string value)
    {
        using Hid space = Hid.Own(H5.H5Screate(0), "creating a scalar dataspace");
        using Hid attribute = Hid.Own(H5.H5Acreate2(item.Id, name, ElementTypes.VariableString, space.Id, H5.Default, H5.Default), $"creating attribute '{name}'");
        IntPtr text = Marshal.StringToCoTaskMemUTF8(value);
        try
        {
            Hdf5Library.Check(H5.H5Awrite(attribute.Id, ElementTypes.VariableString, &text), $"writing attribute '{name}'");
        }
        finally
        {
            Marshal.FreeCoTaskMem(text);
        }
    }

    /// <summary>Reads a scalar string attribute, or null when there is none.</summary>
    public static string? ReadAttribute(Hid item, string name)
    {
        if (Hdf5Library.Check(H5.H5Aexists(item.Id, name), $"looking up attribute '{name}'") == 0)
        {
            return null;
        }

        using Hid attribute = Hid.Own(H5.H5Aopen(item.Id, name, H5.Default), $"opening attribute '{name}'");
        byte* text = null;
        Hdf5Library.Check(H5.H5Aread(attribute.Id, ElementTypes.VariableString, &text), $"reading attribute '{name}'");
        try
        {
            return Marshal.PtrToStringUTF8((IntPtr)text);
        }
        finally
        {
            H5.H5free_memory(text);
        }
    }

    /// <summary>
    /// Creates an empty dataset of <paramref name="type"/> with rows of shape <paramref name="row"/>
    /// (empty for scalars), extendable without limit along the first axis.
    /// </summary>
    public static Hid CreateRows(Hid group, string name, long type, int elementSize, ReadOnlySpan<ulong> row)
    {
        int rank = 1 + row.Length;
        ulong* dimensions = stackalloc ulong[rank];
        ulong* maximum = stackalloc ulong[rank];
        ulong* chunk = stackalloc ulong[rank];
        ulong rowBytes = (ulong)elementSize;
        for (int i = 0; i < row.Length; i++)
        {
            dimensions[i + 1] = maximum[i + 1] = chunk[i + 1] = row[i];
            rowBytes *= row[i];
        }

        dimensions[0] = 0;
        maximum[0] = H5.Unlimited;
        chunk[0] = ChunkRows(rowBytes);
        using Hid space = Hid.Own(H5.H5Screate_simple(rank, dimensions, maximum), $"creating the dataspace of '{name}'");
        using Hid create = Hid.Own(H5.H5Pcreate(Hdf5Library.DatasetCreate), "creating a property list");
        Hdf5Library.Check(H5.H5Pset_chunk(create.Id, rank, chunk), $"chunking '{name}'");
        // A Fletcher-32 checksum on every chunk, verified by every reader (h5py and h5dump too). HDF5
        // filters no variable-length data (strings, ragged arrays): those chunks hold heap references.
        if (Hdf5Library.Check(H5.H5Tis_variable_str(type), "reading a type") == 0 && Hdf5Library.Check(H5.H5Tdetect_class(type, H5.VariableLengthClass), "reading a type") == 0)
        {
            Hdf5Library.Check(H5.H5Pset_fletcher32(create.Id), $"checksumming '{name}'");
        }
        using Hid access = Hid.Own(H5.H5Pcreate(Hdf5Library.DatasetAccess), "creating a property list");
        // Room for 16 chunks, so that the partial chunk a batch ends in stays in memory until the next batch fills it.
        Hdf5Library.Check(H5.H5Pset_chunk_cache(access.Id, 1031, 16 * ChunkBytes, 1.0), $"sizing the chunk cache of '{name}'");
        return Hid.Own(H5.H5Dcreate2(group.Id, name, type, space.Id, H5.Default, create.Id, access.Id), $"creating dataset '{name}'");
    }

    /// <summary>The rows in a chunk of a dataset Cairn creates, for rows of <paramref name="rowBytes"/> bytes.</summary>
    public static ulong ChunkRows(ulong rowBytes) => Math.Clamp((ulong)ChunkBytes / Math.Max(1UL, rowBytes), 1UL, 1UL << 20);

    /// <summary>The dataset's extent, axis by axis.</summary>
    public static ulong[] Dimensions(Hid dataset)
    {
        using Hid space = Hid.Own(H5.H5Dget_space(dataset.Id), "reading a dataspace");
        int rank = Hdf5Library.Check(H5.H5Sget_simple_extent_ndims(space.Id), "reading a dataspace");
        ulong[] dimensions = new ulong[rank];
        fixed (ulong* d = dimensions)
        {
            Hdf5Library.Check(H5.H5Sget_simple_extent_dims(space.Id, d, null), "reading a dataspace");
        }

        return dimensions;
    }

    /// <summary>
    /// Appends <paramref name="rows"/> rows from <paramref name="buffer"/> (rows in memory type
    /// <paramref name="type"/>). The chunks the rows fill whole are written as they are
    /// (<c>H5Dwrite_chunk</c>), past the chunk cache, each followed by its Fletcher-32 checksum as the
    /// filter would append it (<see cref="Fletcher32"/>); the rows before the first such chunk and
    /// after the last go through <c>H5Dwrite</c>. Writing raw chunks needs the memory bytes to be the
    /// file bytes, which holds for every type Cairn writes except variable-length strings (pointers in
    /// memory). The checksum is written, without a copy of the chunk, into the
    /// <see cref="ChecksumBytes"/> bytes after it, so <paramref name="buffer"/> must have that many
    /// bytes of room past its rows (as <see cref="NativeBuffer.Get"/> gives); they are restored.
    /// </summary>
    public static void AppendRows(Hid dataset, long type, ulong rows, void* buffer)
    {
        if (rows == 0)
        {
            return;
        }

        ulong[] size = Dimensions(dataset);
        ulong start = size[0];
        size[0] += rows;
        fixed (ulong* s = size)
        {
            Hdf5Library.Check(H5.H5Dset_extent(dataset.Id, s), "extending a dataset");
        }

        ulong rowBytes = (ulong)H5.H5Tget_size(type);
        for (int i = 1; i < size.Length; i++)
        {
            rowBytes *= size[i];
        }

        ulong chunk = type == ElementTypes.VariableString ? 0 : ChunkRows(dataset, size);
        ulong head = chunk == 0 ? rows : Math.Min(rows, (chunk - (start % chunk)) % chunk);
        ulong whole = chunk == 0 ? 0 : (rows - head) / chunk;
        byte* bytes = (byte*)buffer;
        size[0] = head;
        Transfer(dataset, type, start, size, bytes, write: true);
        ulong* offset = stackalloc ulong[size.Length];
        int chunkBytes = checked((int)(chunk * rowBytes));
        for (ulong c = 0; c < whole; c++)
        {
            // The chunk's checksum goes into the 4 bytes after it, lent by the caller and given back.
            offset[0] = start + head + (c * chunk);
            byte* data = bytes + ((head + (c * chunk)) * rowBytes);
            uint after = Unsafe.ReadUnaligned<uint>(data + chunkBytes);
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(data + chunkBytes, ChecksumBytes), Fletcher32.Of(new ReadOnlySpan<byte>(data, chunkBytes)));
            try
            {
                Hdf5Library.Check(H5.H5Dwrite_chunk(dataset.Id, H5.Default, 0, offset, (nuint)(chunkBytes + ChecksumBytes), data), "writing a chunk");
            }
            finally
            {
                Unsafe.WriteUnaligned(data + chunkBytes, after);
            }
        }

        ulong done = head + (whole * chunk);
        size[0] = rows - done;
        Transfer(dataset, type, start + done, size, bytes + (done * rowBytes), write: true);
    }

    /// <summary>The rows in one chunk of <paramref name="dataset"/>, or 0 when its chunks do not hold whole rows.</summary>
    private static ulong ChunkRows(Hid dataset, ulong[] size)
    {
        using Hid create = Hid.Own(H5.H5Dget_create_plist(dataset.Id), "reading a dataset's properties");
        ulong* chunk = stackalloc ulong[size.Length];
        Hdf5Library.Check(H5.H5Pget_chunk(create.Id, size.Length, chunk), "reading a dataset's chunks");
        for (int i = 1; i < size.Length; i++)
        {
            if (chunk[i] != size[i])
            {
                return 0;
            }
        }

        return chunk[0];
    }

    /// <summary>Reads <paramref name="rows"/> rows from row <paramref name="start"/> into <paramref name="buffer"/>.</summary>
    public static void ReadRows(Hid dataset, long type, ulong start, ulong rows, void* buffer)
    {
        if (rows == 0)
        {
            return;
        }

        ulong[] count = Dimensions(dataset);
        count[0] = rows;
        Transfer(dataset, type, start, count, buffer, write: false);
    }

    private static void Transfer(Hid dataset, long type, ulong start, ulong[] count, void* buffer, bool write)
    {
        if (count[0] == 0)
        {
            return;
        }

        int rank = count.Length;
        ulong* offset = stackalloc ulong[rank];
        offset[0] = start;
        fixed (ulong* c = count)
        {
            using Hid file = Hid.Own(H5.H5Dget_space(dataset.Id), "reading a dataspace");
            Hdf5Library.Check(H5.H5Sselect_hyperslab(file.Id, H5.SelectSet, offset, null, c, null), "selecting rows");
            using Hid memory = Hid.Own(H5.H5Screate_simple(rank, c, null), "creating a dataspace");
            int status = write
                ? H5.H5Dwrite(dataset.Id, type, memory.Id, file.Id, H5.Default, buffer)
                : H5.H5Dread(dataset.Id, type, memory.Id, file.Id, H5.Default, buffer);
            Hdf5Library.Check(status, write ? "writing rows" : "reading rows");
        }
    }
}
