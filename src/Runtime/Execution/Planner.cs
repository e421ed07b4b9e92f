using System.Collections.Generic;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>
/// Decides, without doing any I/O, which per-point steps must run for a point given which of its
/// results are stored: every step whose result is missing, and every step whose value a running
/// step needs. Bit i of a mask stands for per-point step i.
/// </summary>
internal sealed class Planner
{
    private readonly CampaignGraph _graph;
    private readonly Dictionary<ulong, ulong> _cache = [];

    public Planner(CampaignGraph graph)
    {
        _graph = graph;
        AllSteps = (1UL << graph.PerPointCount) - 1;
    }

    /// <summary>The mask with a bit for every per-point step.</summary>
    public ulong AllSteps { get; }

    /// <summary>The steps that must run for a point whose stored results are <paramref name="stored"/>.</summary>
    public ulong MustRun(ulong stored)
    {
        if (_cache.TryGetValue(stored, out ulong cached))
        {
            return cached;
        }

        ulong run = AllSteps & ~stored;
        for (int step = _graph.PerPointCount - 1; step >= 0; step--)
        {
            if ((run & (1UL << step)) != 0)
            {
                foreach (int producer in _graph.InputSteps[step])
                {
                    run |= 1UL << producer;
                }
            }
        }

        _cache[stored] = run;
        return run;
    }
}
