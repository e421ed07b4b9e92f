using System;
using System.Runtime.InteropServices;

namespace Cairn.Storage.Hdf5;

/// <summary>
/// The few functions of the HDF5 C library (1.10 and later) that Cairn calls, as source-generated
/// P/Invoke. Identifiers (<c>hid_t</c>) are 64-bit; the objects Cairn creates are owned by
/// <see cref="Hid"/>. Call only under <see cref="Hdf5Library.Sync"/> after
/// <see cref="Hdf5Library.EnsureLoaded"/>: the serial library is not thread-safe, and the name
/// <c>hdf5</c> is resolved to the system's library by <see cref="Hdf5Library"/>.
/// </summary>
internal static unsafe partial class H5
{
    public const string Library = "hdf5";

    public const long Default = 0; // H5P_DEFAULT, H5S_ALL, H5E_DEFAULT
    public const uint AccessReadOnly = 0x0000;
    public const uint AccessTruncate = 0x0002;
    public const uint AccessExclusive = 0x0004;
    public const ulong Unlimited = ulong.MaxValue;
    public const int SelectSet = 0;
    public const int TypeCompound = 6;
    public const int IdGroup = 2;
    public const int IdDataset = 5;
    public const int StringNullPad = 1;
    public const int CharsetUtf8 = 1;
    public static readonly nuint Variable = nuint.MaxValue;

    [StructLayout(LayoutKind.Sequential)]
    public struct GroupInfo
    {
        public int StorageType;
        public ulong Links;
        public long MaxCreationOrder;
        public byte Mounted;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ErrorRecord
    {
        public long Class;
        public long Major;
        public long Minor;
        public uint Line;
        public byte* Function;
        public byte* File;
        public byte* Description;
    }

    [LibraryImport(Library)] public static partial int H5open();
    [LibraryImport(Library)] public static partial int H5get_libversion(out uint major, out uint minor, out uint release);
    [LibraryImport(Library)] public static partial int H5free_memory(void* memory);

    [LibraryImport(Library)] public static partial int H5Eset_auto2(long stack, IntPtr function, IntPtr data);
    [LibraryImport(Library)] public static partial int H5Ewalk2(long stack, int direction, delegate* unmanaged<uint, ErrorRecord*, void*, int> function, void* data);
    [LibraryImport(Library)] public static partial int H5Eclear2(long stack);

    [LibraryImport(Library)] public static partial int H5Idec_ref(long id);
    [LibraryImport(Library)] public static partial int H5Iget_type(long id);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Fcreate(string name, uint flags, long createList, long accessList);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Fopen(string name, uint flags, long accessList);
    [LibraryImport(Library)] public static partial int H5Fclose(long file);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Gcreate2(long location, string name, long linkList, long createList, long accessList);
    [LibraryImport(Library)] public static partial int H5Gget_info(long group, out GroupInfo info);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial nint H5Lget_name_by_idx(long location, string group, int indexType, int order, ulong n, byte* name, nuint size, long accessList);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int H5Lmove(long source, string sourceName, long destination, string destinationName, long createList, long accessList);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int H5Ldelete(long location, string name, long accessList);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int H5Lexists(long location, string name, long accessList);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Oopen(long location, string name, long accessList);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Dcreate2(long location, string name, long type, long space, long linkList, long createList, long accessList);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Dopen2(long location, string name, long accessList);
    [LibraryImport(Library)] public static partial long H5Dget_space(long dataset);
    [LibraryImport(Library)] public static partial int H5Dset_extent(long dataset, ulong* size);
    [LibraryImport(Library)] public static partial int H5Dwrite(long dataset, long memoryType, long memorySpace, long fileSpace, long transferList, void* buffer);
    [LibraryImport(Library)] public static partial int H5Dwrite_chunk(long dataset, long transferList, uint filters, ulong* offset, nuint size, void* buffer);
    [LibraryImport(Library)] public static partial long H5Dget_create_plist(long dataset);
    [LibraryImport(Library)] public static partial int H5Dread(long dataset, long memoryType, long memorySpace, long fileSpace, long transferList, void* buffer);

    [LibraryImport(Library)] public static partial long H5Screate(int kind);
    [LibraryImport(Library)] public static partial long H5Screate_simple(int rank, ulong* dimensions, ulong* maximum);
    [LibraryImport(Library)] public static partial int H5Sget_simple_extent_ndims(long space);
    [LibraryImport(Library)] public static partial int H5Sget_simple_extent_dims(long space, ulong* dimensions, ulong* maximum);
    [LibraryImport(Library)] public static partial int H5Sselect_hyperslab(long space, int operation, ulong* start, ulong* stride, ulong* count, ulong* block);

    [LibraryImport(Library)] public static partial long H5Pcreate(long propertyClass);
    [LibraryImport(Library)] public static partial int H5Pset_chunk(long list, int rank, ulong* dimensions);
    [LibraryImport(Library)] public static partial int H5Pget_chunk(long list, int maximumRank, ulong* dimensions);
    [LibraryImport(Library)] public static partial int H5Pset_fletcher32(long list);
    [LibraryImport(Library)] public static partial int H5Tdetect_class(long type, int typeClass);
    [LibraryImport(Library)] public static partial int H5Tis_variable_str(long type);

    /// <summary>H5T_VLEN, the class of variable-length sequences.</summary>
    public const int VariableLengthClass = 9;
    [LibraryImport(Library)] public static partial int H5Pset_chunk_cache(long list, nuint slots, nuint bytes, double preemption);

    /// <summary>HDF5 1.10.7 and later: <c>use</c> and <c>ignoreWhenDisabled</c> are C <c>bool</c>s.</summary>
    [LibraryImport(Library)] public static partial int H5Pset_file_locking(long list, byte use, byte ignoreWhenDisabled);

    [LibraryImport(Library)] public static partial long H5Tcopy(long type);
    [LibraryImport(Library)] public static partial long H5Tcreate(int typeClass, nuint size);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int H5Tinsert(long type, string name, nuint offset, long member);
    [LibraryImport(Library)] public static partial long H5Tenum_create(long baseType);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int H5Tenum_insert(long type, string name, void* value);
    [LibraryImport(Library)] public static partial nuint H5Tget_size(long type);
    [LibraryImport(Library)] public static partial int H5Tset_size(long type, nuint size);
    [LibraryImport(Library)] public static partial int H5Tset_strpad(long type, int pad);
    [LibraryImport(Library)] public static partial int H5Tset_cset(long type, int charset);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Acreate2(long location, string name, long type, long space, long createList, long accessList);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Aopen(long location, string name, long accessList);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int H5Aexists(long location, string name);
    [LibraryImport(Library)] public static partial int H5Awrite(long attribute, long memoryType, void* buffer);
    [LibraryImport(Library)] public static partial int H5Aread(long attribute, long memoryType, void* buffer);
}
