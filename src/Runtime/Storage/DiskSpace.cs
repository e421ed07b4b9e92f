using System;
using System.IO;

namespace Cairn.Storage;

/// <summary>
/// A full disk (or quota), however it surfaces: an <see cref="IOException"/> carrying ENOSPC or
/// EDQUOT, or the Parquet or HDF5 library's error that says so. An ordinary error: a command that
/// meets it ends with <see cref="ExitCodes.DiskFull"/> and one line, and what it committed is kept.
/// </summary>
internal static class DiskSpace
{
    private const int NoSpace = 28;      // ENOSPC
    private const int QuotaExceeded = 122; // EDQUOT

    /// <summary>Whether <paramref name="error"/>, or an error inside it, says the disk is full.</summary>
    public static bool IsFull(Exception? error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if ((e is IOException && e.HResult is NoSpace or QuotaExceeded)
                || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The one line for a full disk under <paramref name="store"/>.</summary>
    public static CairnException Full(string store, Exception inner) =>
        new($"the disk that holds {store} is full (or its quota is used up): free space there and run again; everything committed before is kept, and nothing half-written was left behind.", ExitCodes.DiskFull, inner);
}
