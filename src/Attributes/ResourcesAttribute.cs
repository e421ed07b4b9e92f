using System;

namespace Cairn;

/// <summary>
/// What one run of the step needs beside the point: cores, MPI ranks and memory. <c>run</c> holds
/// that many of the machine's cores while the step runs, so that a program step runs beside
/// in-process steps without oversubscribing the machine; <c>ExternalProgram.Run</c> starts the
/// step's programs with <see cref="Ranks"/> ranks through the site's launcher. Changing it leaves
/// the step's code hash, and so its stored results, as they are.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ResourcesAttribute : Attribute
{
    /// <summary>The cores the step uses (for an MPI step, each rank's); 1 by default.</summary>
    public int Cores { get; set; } = 1;

    /// <summary>The MPI ranks its programs run with, through the site's launcher; 0 (the default) for a program that is not started through MPI.</summary>
    public int Ranks { get; set; }

    /// <summary>The memory the step needs at once, in GiB (for an MPI step, each rank's); 0 (the default) for what any task is given.</summary>
    public double MemoryGiB { get; set; }
}
