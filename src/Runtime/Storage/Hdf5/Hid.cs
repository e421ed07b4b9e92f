using System;
using System.Runtime.InteropServices;

namespace Cairn.Storage.Hdf5;

/// <summary>
/// Owns an HDF5 identifier (file, group, dataset, dataspace, datatype, property list, attribute)
/// and releases it exactly once, also when only the finalizer reaches it. Identifiers are positive;
/// a failed call's negative result never becomes a <see cref="Hid"/> (see <see cref="Own"/>).
/// </summary>
internal sealed class Hid : SafeHandle
{
    private Hid(long id)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle((IntPtr)id);

    public override bool IsInvalid => handle <= IntPtr.Zero;

    /// <summary>The identifier, to pass to <see cref="H5"/>.</summary>
    public long Id => (long)handle;

    /// <summary>Takes ownership of the result of an HDF5 call, or throws with the library's reason when it failed.</summary>
    public static Hid Own(long id, string call) => id > 0 ? new Hid(id) : throw Hdf5Library.Failure(call);

    /// <summary>Releases the identifier now, reporting a failure (closing a file flushes it).</summary>
    public void Close(string call)
    {
        if (IsClosed)
        {
            return;
        }

        lock (Hdf5Library.Sync)
        {
            SetHandleAsInvalid();
            Hdf5Library.Check(H5.H5Idec_ref((long)handle), call);
        }
    }

    protected override bool ReleaseHandle()
    {
        lock (Hdf5Library.Sync)
        {
            return H5.H5Idec_ref((long)handle) >= 0;
        }
    }
}
