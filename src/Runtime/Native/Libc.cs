using System;
using System.Runtime.InteropServices;

namespace Cairn.Native;

/// <summary>
/// The few C library calls Cairn makes: signals to a child, a child that dies with its parent, and
/// descriptors that programs a step starts do not inherit (<see cref="InheritedDescriptors"/>).
/// </summary>
internal static partial class Libc
{
    public const int SigKill = 9;

    /// <summary>SIGUSR1 on Linux (other systems number it otherwise).</summary>
    public const int SigUsr1 = 10;

    private const int PrSetPdeathsig = 1;

    /// <summary>Sends signal <paramref name="signal"/> to process <paramref name="pid"/>; 0 on success.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary><c>close_range</c> (glibc 2.34, Linux 5.11 for its flags); <see cref="EntryPointNotFoundException"/> on an older C library.</summary>
    [LibraryImport("libc", EntryPoint = "close_range", SetLastError = true)]
    public static partial int CloseRange(uint first, uint last, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int descriptor, int command, int argument);

    [LibraryImport("libc", EntryPoint = "getppid")]
    public static partial int ParentId();

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);

    /// <summary>Asks the kernel to send this process <paramref name="signal"/> when its parent dies (Linux); false elsewhere or on failure.</summary>
    public static bool DieWithParent(int signal) => OperatingSystem.IsLinux() && Prctl(PrSetPdeathsig, (nuint)signal, 0, 0, 0) == 0;
}
