using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>
/// The one rule by which a pass over [Points] sorts a point, for <c>run</c>, a Slurm task and the
/// planning of a submission alike: met before in this pass (a duplicate), new to the store or
/// stored, and which of its steps run and which stored results they load (<see cref="Planner"/>).
/// One per thread (the planner caches its plans); the point table is shared.
/// </summary>
internal sealed class PointTriage(CampaignGraph graph, PointMasks masks)
{
    private readonly Planner _planner = new(graph);

    /// <summary>Meets the point: marks it seen in the table and tells what it is.</summary>
    public MetPoint Meet(PointId id)
    {
        ulong mask = masks.Or(id, StoredState.SeenBit);
        return new MetPoint(mask, (mask & StoredState.SeenBit) != 0 ? default : _planner.Plan(mask));
    }

    /// <summary>The plan of a point whose stored results are <paramref name="stored"/>.</summary>
    public PointPlan Plan(StepSet stored) => _planner.Plan(stored);
}
