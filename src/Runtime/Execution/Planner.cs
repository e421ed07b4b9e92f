using System.Collections.Generic;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>What a point's run does: the steps that run, and the stored results loaded to feed them.</summary>
/// <param name="Run">The steps whose current result is missing.</param>
/// <param name="Load">The stored results that a running step needs as inputs.</param>
internal readonly record struct PointPlan(StepSet Run, StepSet Load);

/// <summary>
/// Decides, without doing any I/O, what a point's run does given which of its current results are
/// stored: every step whose result is missing runs, and every stored result that a running step
/// needs is loaded, never computed again.
/// </summary>
internal sealed class Planner
{
    private readonly CampaignGraph _graph;
    private readonly Dictionary<StepSet, PointPlan> _cache = [];

    public Planner(CampaignGraph graph)
    {
        _graph = graph;
        AllSteps = StepSet.FirstSteps(graph.PerPointCount);
    }

    /// <summary>Every per-point step.</summary>
    public StepSet AllSteps { get; }

    /// <summary>The plan of a point whose point-table mask is <paramref name="mask"/> (its flags are ignored).</summary>
    public PointPlan Plan(ulong mask) => Plan(StepSet.Of(mask));

    /// <summary>The plan of a point whose stored current results are <paramref name="stored"/>.</summary>
    public PointPlan Plan(StepSet stored)
    {
        stored &= AllSteps;
        if (_cache.TryGetValue(stored, out PointPlan cached))
        {
            return cached;
        }

        StepSet run = AllSteps.Except(stored);
        StepSet load = StepSet.Empty;
        for (int step = 0; step < _graph.PerPointCount; step++)
        {
            if (run.Contains(step))
            {
                foreach (int producer in _graph.InputSteps[step])
                {
                    load |= stored & StepSet.Only(producer);
                }
            }
        }

        var plan = new PointPlan(run, load);
        _cache[stored] = plan;
        return plan;
    }
}
