using System;
using System.IO;

namespace Cairn.Hosting;

/// <summary>
/// How this host process was started, so that it can be started again (a supervised run's child, a
/// Slurm task): through <c>dotnet</c> (<see cref="Runner"/>) with the entry assembly, or as the
/// apphost itself (no runner).
/// </summary>
/// <param name="Runner">The <c>dotnet</c> executable, or empty for an apphost.</param>
/// <param name="Entry">The entry assembly's file name (with a runner), or the apphost's.</param>
internal sealed record HostCommand(string Runner, string Entry)
{
    public static HostCommand OfThisProcess()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string entryAssembly = (System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "") + ".dll";
        bool viaDotnet = Path.GetFileNameWithoutExtension(process) == "dotnet" && File.Exists(Path.Combine(AppContext.BaseDirectory, entryAssembly));
        return viaDotnet ? new HostCommand(process, entryAssembly) : new HostCommand("", Path.GetFileName(process));
    }

    /// <summary>The program to start and its first arguments, for the host files in <paramref name="directory"/>.</summary>
    public (string File, string[] Arguments) In(string directory) =>
        Runner.Length > 0 ? (Runner, [Path.Combine(directory, Entry)]) : (Path.Combine(directory, Entry), []);
}
