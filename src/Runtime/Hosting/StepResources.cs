using System;

namespace Cairn.Hosting;

/// <summary>What one run of a step needs (<c>[Resources]</c>), as the generator emits it.</summary>
/// <param name="Cores">The cores it uses (for an MPI step, each rank's).</param>
/// <param name="Ranks">The MPI ranks its programs run with, through the site's launcher; 0 for a program not started through MPI.</param>
/// <param name="MemoryGiB">The memory it needs at once, in GiB (for an MPI step, each rank's); 0 for unsaid.</param>
public sealed record StepResources(int Cores, int Ranks, double MemoryGiB)
{
    /// <summary>What a step without <c>[Resources]</c> needs: one core.</summary>
    public static StepResources Default { get; } = new(1, 0, 0);

    /// <summary>The cores it holds in all: its cores times its ranks (at least one of each).</summary>
    public int AllCores => Math.Max(1, Cores) * Math.Max(1, Ranks);
}
