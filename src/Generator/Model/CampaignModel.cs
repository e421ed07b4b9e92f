using System.Linq;

namespace Cairn.Generator.Model;

/// <summary>
/// Everything the emitter needs, and nothing else: the emitted text depends on this value only.
/// When it <see cref="IsBroken"/> the emitter writes a host stub that compiles without a cascade of
/// errors but does not run (the analyzers report the problems, and they fail the build).
/// </summary>
/// <param name="Name">The campaign's name (the assembly's).</param>
/// <param name="Points">The points method.</param>
/// <param name="Steps">The steps in topological order, per-point steps first; all of them, in declaration order, when broken.</param>
/// <param name="Global">How many of <see cref="Steps"/>, at the end, run once rather than per point.</param>
/// <param name="Types">The distinct stored types, ordered by identifier.</param>
/// <param name="Problems">Everything wrong with the campaign, with indices into the points and steps as given to <see cref="GraphBuilder"/>.</param>
internal sealed record CampaignModel(
    string Name,
    PointsModel? Points,
    EquatableArray<StepModel> Steps,
    int Global,
    EquatableArray<TypeModel> Types,
    EquatableArray<Problem> Problems)
{
    /// <summary>Whether any problem is an error, so that no working host can be generated.</summary>
    public bool IsBroken => Problems.Any(p => p.Blocks);
}
