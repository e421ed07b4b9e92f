namespace Cairn.Generator.Model;

/// <summary>
/// Everything the emitter needs, and nothing else: the emitted text depends on this value only.
/// When <see cref="Problem"/> is set the emitter writes a host that does not compile into a
/// half-working campaign.
/// </summary>
/// <param name="Name">The campaign's name (the assembly's).</param>
/// <param name="Points">The points method.</param>
/// <param name="Steps">The steps in topological order, per-point steps first.</param>
/// <param name="Global">How many of <see cref="Steps"/>, at the end, run once rather than per point.</param>
/// <param name="Types">The distinct stored types, ordered by identifier.</param>
/// <param name="Problem">The first reason the graph cannot be built, or <see langword="null"/>.</param>
internal sealed record CampaignModel(
    string Name,
    PointsModel? Points,
    EquatableArray<StepModel> Steps,
    int Global,
    EquatableArray<TypeModel> Types,
    string? Problem);
