using System;
using System.Linq;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Cairn.Storage.Hdf5;

/// <summary>
/// Finds and loads the system's HDF5 C library on first use, so that a campaign that stores only
/// Parquet never needs it. <see cref="EnvironmentVariable"/> names a file to load; otherwise the
/// usual names are tried (<c>libhdf5.so</c>, Debian's <c>libhdf5_serial.so</c>, their versioned
/// sonames), which the loader looks up on <c>LD_LIBRARY_PATH</c> (set by <c>module load hdf5</c>)
/// and the system paths. HDF5's own error printing is turned off; its messages become exceptions.
/// </summary>
internal static unsafe class Hdf5Library
{
    public const string EnvironmentVariable = "CAIRN_HDF5_LIBRARY";

    private static readonly string[] s_names =
    [
        "libhdf5.so", "libhdf5_serial.so", "libhdf5.so.320", "libhdf5.so.310", "libhdf5.so.300", "libhdf5.so.200",
        "libhdf5.so.103", "libhdf5_serial.so.103", "libhdf5.so.101", "libhdf5_serial.so.100", "libhdf5.dylib",
    ];

    private static readonly List<string> s_errors = [];
    private static IntPtr s_handle;
    private static CairnException? s_missing;
    private static bool s_ready;

    /// <summary>Every HDF5 call holds this lock: the serial library is not thread-safe.</summary>
    public static readonly object Sync = new();

    /// <summary>The library's version, once loaded.</summary>
    public static Version? Version { get; private set; }

    /// <summary>The oldest release Cairn runs on: 1.10.3 brought direct chunk writes (<c>H5Dwrite_chunk</c>).</summary>
    public static Version Minimum { get; } = new(1, 10, 3);

    public static long NativeInt8 { get; private set; }
    public static long NativeUInt8 { get; private set; }
    public static long NativeInt16 { get; private set; }
    public static long NativeUInt16 { get; private set; }
    public static long NativeInt32 { get; private set; }
    public static long NativeUInt32 { get; private set; }
    public static long NativeInt64 { get; private set; }
    public static long NativeUInt64 { get; private set; }
    public static long NativeFloat { get; private set; }
    public static long NativeDouble { get; private set; }
    public static long CString { get; private set; }
    public static long DatasetCreate { get; private set; }
    public static long DatasetAccess { get; private set; }

    /// <summary>
    /// How shards are created and opened: without HDF5's advisory file locks where the library can
    /// say so (1.10.7 and later). A shard is written once, under a hidden name that no reader opens,
    /// and never again after its rename, so a lock protects nothing. Reading with one fails on file
    /// systems without flock (Lustre, NFS) and against a writer whose file the library has not yet
    /// released. Writing with one leaves the shard locked while any program started meanwhile (a
    /// step's external program) lives: HDF5 does not close its descriptor on exec, so the program
    /// inherits it and its lock, and h5py and h5dump then cannot open the shard.
    /// </summary>
    public static long FileAccess { get; private set; }

    /// <summary>
    /// Loads the library when a store of <paramref name="container"/> for <paramref name="graph"/>
    /// needs it (an HDF5 store, or a product kept in HDF5), before anything is written.
    /// </summary>
    /// <exception cref="CairnException">The library is missing or too old (exit code <see cref="ExitCodes.MissingLibrary"/>).</exception>
    public static void EnsureLoadedFor(Hosting.CampaignGraph graph, Container container)
    {
        if (container == Container.Hdf5 || graph.Steps.Any(s => s.Container == Container.Hdf5))
        {
            EnsureLoaded();
        }
    }

    /// <summary>Loads the library, or throws the one message that says how to install it.</summary>
    /// <exception cref="CairnException">The library is missing or too old (exit code <see cref="ExitCodes.MissingLibrary"/>).</exception>
    public static void EnsureLoaded()
    {
        lock (Sync)
        {
            if (s_ready)
            {
                return;
            }

            if (s_missing is not null)
            {
                throw s_missing;
            }

            try
            {
                Load();
                s_ready = true;
            }
            catch (CairnException e)
            {
                s_missing = e;
                throw;
            }
        }
    }

    private static void Load()
    {
        string? path = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(path))
        {
            if (!NativeLibrary.TryLoad(path, out s_handle))
            {
                throw Missing($"{EnvironmentVariable}={path} does not name a loadable HDF5 library; point it at libhdf5.so (or unset it)");
            }
        }
        else
        {
            foreach (string name in s_names)
            {
                if (NativeLibrary.TryLoad(name, out s_handle))
                {
                    break;
                }
            }

            if (s_handle == IntPtr.Zero)
            {
                throw Missing("the HDF5 library (libhdf5.so) is not installed; install it (Debian/Ubuntu: apt-get install libhdf5-dev; clusters: module load hdf5) "
                    + $"or set {EnvironmentVariable} to its path");
            }
        }

        if (!NativeLibrary.TryGetExport(s_handle, "H5open", out _))
        {
            throw Missing($"{path ?? "the loaded library"} is not the HDF5 C library; point {EnvironmentVariable} at libhdf5.so");
        }

        NativeLibrary.SetDllImportResolver(typeof(Hdf5Library).Assembly, Resolve);
        H5.H5open();
        H5.H5get_libversion(out uint major, out uint minor, out uint release);
        Version = new Version((int)major, (int)minor, (int)release);
        if (Version < Minimum)
        {
            throw Missing($"HDF5 {Version} is too old (Cairn needs {Minimum} or later); install a newer one or point {EnvironmentVariable} at it");
        }

        H5.H5Eset_auto2(H5.Default, IntPtr.Zero, IntPtr.Zero);
        NativeInt8 = Global("H5T_NATIVE_INT8_g");
        NativeUInt8 = Global("H5T_NATIVE_UINT8_g");
        NativeInt16 = Global("H5T_NATIVE_INT16_g");
        NativeUInt16 = Global("H5T_NATIVE_UINT16_g");
        NativeInt32 = Global("H5T_NATIVE_INT32_g");
        NativeUInt32 = Global("H5T_NATIVE_UINT32_g");
        NativeInt64 = Global("H5T_NATIVE_INT64_g");
        NativeUInt64 = Global("H5T_NATIVE_UINT64_g");
        NativeFloat = Global("H5T_NATIVE_FLOAT_g");
        NativeDouble = Global("H5T_NATIVE_DOUBLE_g");
        CString = Global("H5T_C_S1_g");
        DatasetCreate = Global("H5P_CLS_DATASET_CREATE_ID_g");
        DatasetAccess = Global("H5P_CLS_DATASET_ACCESS_ID_g");
        FileAccess = H5.Default;
        if (NativeLibrary.TryGetExport(s_handle, "H5Pset_file_locking", out _))
        {
            long access = H5.H5Pcreate(Global("H5P_CLS_FILE_ACCESS_ID_g"));
            FileAccess = access >= 0 && H5.H5Pset_file_locking(access, 0, 1) >= 0 ? access : H5.Default;
        }

        ElementTypes.Create();
    }

    private static CairnException Missing(string message) => new(message, ExitCodes.MissingLibrary);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == H5.Library ? s_handle : IntPtr.Zero;

    /// <summary>The value of one of the library's global identifiers (valid after <c>H5open</c>).</summary>
    private static long Global(string name) =>
        NativeLibrary.TryGetExport(s_handle, name, out IntPtr address)
            ? *(long*)address
            : throw Missing($"the HDF5 library lacks {name}; install HDF5 {Minimum} or later");

    /// <summary>Throws the library's reason when an HDF5 call returned a negative status.</summary>
    public static int Check(int status, string call) => status >= 0 ? status : throw Failure(call);

    /// <summary>Throws the library's reason when an HDF5 call returned a negative identifier.</summary>
    public static long Check64(long id, string call) => id >= 0 ? id : throw Failure(call);

    /// <summary>The exception for a failed call: the call and the library's error stack, outermost first.</summary>
    public static Hdf5Exception Failure(string call)
    {
        lock (Sync)
        {
            s_errors.Clear();
            H5.H5Ewalk2(H5.Default, 0, &Collect, null);
            H5.H5Eclear2(H5.Default);
            string reason = s_errors.Count == 0 ? "no reason given" : string.Join("; ", s_errors);
            return new Hdf5Exception($"{call} failed: {reason}");
        }
    }

    [UnmanagedCallersOnly]
    private static int Collect(uint n, H5.ErrorRecord* record, void* data)
    {
        string text = Marshal.PtrToStringUTF8((IntPtr)record->Description) ?? "";
        if (text.Length > 0 && !s_errors.Contains(text) && s_errors.Count < 4)
        {
            s_errors.Add(text);
        }

        return 0;
    }
}

/// <summary>An HDF5 call failed; the message holds the library's reason.</summary>
internal sealed class Hdf5Exception(string message) : Exception(message);
