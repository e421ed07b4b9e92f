using System;
using System.IO;

namespace Cairn.Native;

/// <summary>
/// Keeps this process's files out of the programs it starts. .NET opens its files close-on-exec,
/// but the native libraries do not: a program started while Arrow writes a Parquet shard, or HDF5
/// holds one open, inherits that descriptor and keeps the file open as long as it (or a daemon it
/// leaves, such as an MPI launcher's) lives. Before a program starts, every descriptor above
/// standard error is marked close-on-exec, as Python's subprocess closes them. A descriptor that a
/// native library opens on another thread between this and the start can still pass.
/// </summary>
internal static class InheritedDescriptors
{
    private const int CloseRangeCloexec = 4;
    private const int GetDescriptorFlags = 1;
    private const int SetDescriptorFlags = 2;
    private const int CloseOnExec = 1;

    /// <summary>Marks every descriptor from 3 up close-on-exec (Linux; nothing elsewhere).</summary>
    public static void MarkCloseOnExec()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // One call since Linux 5.11 (glibc 2.34).
            if (Libc.CloseRange(3, uint.MaxValue, CloseRangeCloexec) == 0)
            {
                return;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // An older C library (RHEL 8's glibc 2.28): each descriptor.
        }

        MarkEachCloseOnExec();
    }

    /// <summary>Marks each open descriptor from 3 up close-on-exec, one call each: where <c>close_range</c> is missing or older than Linux 5.11.</summary>
    internal static void MarkEachCloseOnExec()
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int descriptor)
                && descriptor > 2 && Libc.Fcntl(descriptor, GetDescriptorFlags, 0) is int flags and >= 0)
            {
                _ = Libc.Fcntl(descriptor, SetDescriptorFlags, flags | CloseOnExec);
            }
        }
    }
}
