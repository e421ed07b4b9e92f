namespace Cairn.Generator.Model;

/// <summary>A step's <c>[Resources]</c>.</summary>
/// <param name="Cores">The cores it uses (each rank's).</param>
/// <param name="Ranks">The MPI ranks its programs run with; 0 for none.</param>
/// <param name="MemoryGiB">The memory it needs (each rank's), in GiB; 0 for unsaid.</param>
internal sealed record ResourcesModel(int Cores, int Ranks, double MemoryGiB);
