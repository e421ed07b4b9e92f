using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cairn.Native;

/// <summary>
/// Finds the native libraries of the packages in a campaign's build (ParquetSharp's, SkiaSharp's for
/// the report's plots) where the build puts them, <c>runtimes/linux-&lt;arch&gt;/native/</c>: a host
/// run by <c>dotnet</c> finds them through its <c>.deps.json</c>, but a notebook or script that loads
/// the build with <c>#r</c> has none, and may load each assembly in a load context of its own. So
/// the packages Cairn brings that call native code, when loaded from Cairn's own directory, get a
/// resolver that looks there first; where the file is not (a published host keeps its libraries
/// beside the assemblies), the usual search goes on.
/// </summary>
internal static class PackagedNativeLibraries
{
    /// <summary>The assemblies of Cairn's dependencies with native libraries (other assemblies, the user's too, keep their own resolvers).</summary>
    private static readonly string[] s_packages = ["ParquetSharp", "SkiaSharp", "HarfBuzzSharp"];

#pragma warning disable IL3000 // Empty in a single-file app, which finds its native libraries itself: nothing to do then.
    private static readonly string? s_directory = Path.GetDirectoryName(typeof(PackagedNativeLibraries).Assembly.Location);
#pragma warning restore IL3000

#pragma warning disable CA2255 // Once, when Cairn.Runtime loads: before any of its packages' native code is called.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        if (string.IsNullOrEmpty(s_directory) || !OperatingSystem.IsLinux())
        {
            return;
        }

        AppDomain.CurrentDomain.AssemblyLoad += (_, loaded) => Hook(loaded.LoadedAssembly);
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            Hook(assembly);
        }
    }

    private static void Hook(Assembly assembly)
    {
#pragma warning disable IL3000 // See s_directory.
        if (assembly.IsDynamic || Array.IndexOf(s_packages, assembly.GetName().Name) < 0 || Path.GetDirectoryName(assembly.Location) != s_directory)
#pragma warning restore IL3000
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The assembly has a resolver of its own: it knows best.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string native = Path.Combine(s_directory!, "runtimes", "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), "native");
        foreach (string file in new[] { name, name + ".so", "lib" + name + ".so" })
        {
            if (NativeLibrary.TryLoad(Path.Combine(native, file), out IntPtr handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
