using System;
using System.Runtime.InteropServices;

namespace Cairn.Execution;

/// <summary>
/// Zeroed native memory for the large tables of a run, asking Linux for transparent huge pages.
/// The first touch of each 4 KiB page costs a page fault, and on a virtual machine a fault costs
/// microseconds: a 48 MiB table then takes 150 ms before it holds anything. In 2 MiB pages the same
/// table is ready in 5 ms (measured on the 2-core VM of bench/README.md).
/// </summary>
internal static unsafe partial class NativeTable
{
    private const nuint HugePage = 2 << 20;
    private const int MadviseHugePage = 14;

    /// <summary>Allocates <paramref name="count"/> zeroed 64-bit words; free them with <see cref="Free"/>.</summary>
    public static ulong* Allocate(long count)
    {
        nuint bytes = checked((nuint)count * sizeof(ulong));
        bool huge = bytes >= HugePage;
        void* memory = huge ? NativeMemory.AlignedAlloc(bytes, HugePage) : NativeMemory.AlignedAlloc(bytes, 64);
        if (huge && OperatingSystem.IsLinux())
        {
            // Advice only: where huge pages are off ("never"), the memory simply stays in small pages.
            _ = Madvise(memory, bytes, MadviseHugePage);
        }

        NativeMemory.Clear(memory, bytes);
        return (ulong*)memory;
    }

    public static void Free(ulong* memory) => NativeMemory.AlignedFree(memory);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
