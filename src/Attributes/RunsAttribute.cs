using System;

namespace Cairn;

/// <summary>
/// Declares an external program the step runs (through <c>ExternalProgram.Run</c>): a name looked
/// up on <c>PATH</c> (<c>"lmp"</c>), or a path (<c>"/opt/qe/bin/pw.x"</c>, <c>"./bin/solver"</c>).
/// Before a run, Cairn hashes the program's file (SHA-256), and the hash counts in the step's code
/// hash: a rebuilt or upgraded binary recomputes the step's results and what depends on them, and
/// nothing else. The provenance of each result names the program's path and hash.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RunsAttribute : Attribute
{
    /// <summary>Declares that the step runs <paramref name="program"/>.</summary>
    /// <param name="program">The program's name on <c>PATH</c>, or its path.</param>
    public RunsAttribute(string program)
    {
        Program = program;
    }

    /// <summary>The program's name on <c>PATH</c>, or its path.</summary>
    public string Program { get; }

    /// <summary>
    /// Arguments that make the program print its version (<c>"--version"</c>, <c>"-h"</c>): when set,
    /// Cairn runs it so before a run and what it prints counts in the step's hash beside the file's,
    /// for programs whose behaviour depends on more than their own file (shared libraries, data).
    /// </summary>
    public string? VersionArguments { get; set; }

    /// <summary>
    /// A regular expression (.NET syntax) that picks the version out of what the program prints for
    /// <see cref="VersionArguments"/>: only its first match counts (its first group, when it has
    /// one), instead of the whole output. For programs that also print what differs between machines
    /// or runs: LAMMPS's <c>-h</c> names the kernel of the machine it runs on, Quantum ESPRESSO prints
    /// the date. Output without a match stops the run (exit code 10).
    /// </summary>
    public string? VersionPattern { get; set; }
}
