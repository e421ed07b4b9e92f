using System.Collections.Generic;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>What a point's run does: the steps that run, and the stored results loaded to feed them.</summary>
/// <param name="Run">The steps whose current result is missing.</param>
/// <param name="Load">The stored results that a running step needs as inputs.</param>
internal readonly record struct PointPlan(ulong Run, ulong Load);

/// <summary>
/// Decides, without doing any I/O, what a point's run does given which of its current results are
/// stored: every step whose result is missing runs, and every stored result that a running step
/// needs is loaded, never computed again. Bit i of a mask stands for per-point step i.
/// </summary>
internal sealed class Planner
{
    private readonly CampaignGraph _graph;
    private readonly Dictionary<ulong, PointPlan> _cache = [];

    public Planner(CampaignGraph graph)
    {
        _graph = graph;
        AllSteps = (1UL << graph.PerPointCount) - 1;
    }

    /// <summary>The mask with a bit for every per-point step.</summary>
    public ulong AllSteps { get; }

    /// <summary>The plan of a point whose stored current results are <paramref name="stored"/> (other bits are ignored).</summary>
    public PointPlan Plan(ulong stored)
    {
        stored &= AllSteps;
        if (_cache.TryGetValue(stored, out PointPlan cached))
        {
            return cached;
        }

        ulong run = AllSteps & ~stored;
        ulong load = 0;
        for (int step = 0; step < _graph.PerPointCount; step++)
        {
            if ((run & (1UL << step)) != 0)
            {
                foreach (int producer in _graph.InputSteps[step])
                {
                    load |= stored & (1UL << producer);
                }
            }
        }

        var plan = new PointPlan(run, load);
        _cache[stored] = plan;
        return plan;
    }
}
