using System.Collections.Generic;
using Cairn.Columns;

namespace Cairn.Hosting;

/// <summary>
/// What the generator emits for a campaign: the graph, the serializers and straight-line code that
/// calls the user's steps. The runtime drives it; it holds no state of its own.
/// </summary>
/// <typeparam name="TPoint">The point type.</typeparam>
public abstract class CampaignDefinition<TPoint>
{
    /// <summary>The static graph.</summary>
    public abstract CampaignGraph Graph { get; }

    /// <summary>Calls the user's <c>[Points]</c> method.</summary>
    public abstract IEnumerable<TPoint> Points();

    /// <summary>Writes the canonical bytes of a point, from which its id is hashed.</summary>
    public abstract void WriteCanonical(TPoint point, CanonicalWriter writer);

    /// <summary>A new, empty columnar buffer for points.</summary>
    public abstract RecordColumns<TPoint> CreatePointColumns();

    /// <summary>A new, empty columnar buffer for the product of step <paramref name="step"/>.</summary>
    public abstract RecordColumns CreateColumns(int step);

    /// <summary>How grouped step <paramref name="step"/> splits the points; null for a step that is not grouped.</summary>
    public virtual StepGrouping<TPoint>? Grouping(int step) => null;

    /// <summary>Runs the per-point steps for one point, in topological order, as <paramref name="run"/> allows.</summary>
    public abstract void RunPoint(TPoint point, PointRun run);

    /// <summary>Runs global step <paramref name="step"/> once, with the inputs <paramref name="run"/> provides.</summary>
    public abstract void RunGlobal(int step, GlobalRun run);
}
