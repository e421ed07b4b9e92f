using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>One step run in a chain: the result it made, what it used, and its provenance row.</summary>
/// <param name="Step">The step's index in the graph.</param>
/// <param name="Key">The result's key.</param>
/// <param name="Row">Its row in <see cref="ProvenanceChain.Rows"/>.</param>
/// <param name="Inputs">The results (or maps) it used, by key, in parameter order.</param>
/// <param name="Group">For a run of a grouped step, its group (<c>Size=4</c>); otherwise null.</param>
internal sealed record ChainRun(int Step, PointId Key, int Row, IReadOnlyList<ChainInput> Inputs, string? Group = null);

/// <summary>An input of a step run: a per-point result, another global result, or a map over points.</summary>
/// <param name="Step">The producing step.</param>
/// <param name="Key">The result's key, or the map's digest.</param>
/// <param name="MapCount">For a map: how many points it covers; otherwise 0.</param>
internal sealed record ChainInput(int Step, PointId Key, long MapCount);

/// <summary>
/// The chain behind a current result: point -> results -> step runs, found by the keys the current
/// code gives them and looked up in <c>provenance/</c>. A reduction is one run over a map of N
/// results (identified by the digest of their keys), not N nodes; with a point, that point's own
/// chain into the map is included.
/// </summary>
internal sealed class ProvenanceChain
{
    private ProvenanceChain(ProvenanceBuffer rows, PointId? point, IReadOnlyList<ChainRun> runs)
    {
        Rows = rows;
        Point = point;
        Runs = runs;
    }

    public ProvenanceBuffer Rows { get; }

    public PointId? Point { get; }

    /// <summary>The runs, the asked-for result first, then its inputs' runs, depth first.</summary>
    public IReadOnlyList<ChainRun> Runs { get; }

    /// <exception cref="CairnException">A result of the chain has no provenance row: it was never computed by the current code.</exception>
    public static ProvenanceChain Find<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, int step, PointId? point)
    {
        CampaignGraph graph = definition.Graph;
        var keys = new PointId[graph.PerPointCount];
        if (point is { } id)
        {
            new KeyChain(graph).Compute(id, keys, graph.PerPointCount);
        }

        // Only a chain through a reduction needs the current points (whose results its list inputs cover).
        CurrentPoints? points = null;
        CurrentResults<TPoint>? current = null;
        var wanted = new List<(int Step, PointId Key, ChainInput[] Inputs, string? Group)>();
        var seen = new HashSet<int>();
        void Visit(int s)
        {
            if (!seen.Add(s))
            {
                return;
            }

            int[] producers = graph.InputSteps[s];
            if (s < graph.PerPointCount)
            {
                wanted.Add((s, keys[s], [.. producers.Select(p => new ChainInput(p, keys[p], 0))], null));
            }
            else
            {
                current ??= new CurrentResults<TPoint>(definition, store, points = CurrentPoints.Enumerate(definition));
                GlobalPlan plan = current.Global(s)
                    ?? throw new CairnException($"'{graph.Steps[s].Product}' has no current value: run the campaign first.", ExitCodes.NotFound);
                foreach (GlobalInputs run in plan.Runs)
                {
                    // A grouped step's runs are one per group: with a point, only the point's group's.
                    if (plan.Groups is { } groups && point is { } member && !GroupHolds(plan, run, member))
                    {
                        continue;
                    }

                    // The results of all groups of a grouped product are a map too: one node, not one per group.
                    ChainInput Input(int p, int i) => new(p, run.Digests[i],
                        graph.Steps[s].Inputs[i].IsList ? run.Count : graph.Steps[p].IsGrouped ? current.Global(p)!.Runs.Count : 0);
                    wanted.Add((s, run.Key, [.. producers.Select(Input)],
                        plan.Groups is { } named ? GlobalStepRunner<TPoint>.GroupName(graph.Steps[s], named, run.Group) : null));
                }
            }

            foreach (int producer in producers)
            {
                // A map's members are followed only for the asked-for point.
                if (producer >= graph.PerPointCount || point is not null)
                {
                    Visit(producer);
                }
            }
        }

        try
        {
            Visit(step);
        }
        finally
        {
            points?.Dispose();
        }

        var rows = new ProvenanceBuffer();
        store.ReadAll(store.ProvenanceDirectory, rows.All, rows.Schema);
        var latest = new Dictionary<Guid, int>();
        for (int row = 0; row < rows.Count; row++)
        {
            // The last run of a key wins, but a success is never replaced by a later failure.
            if (!latest.TryGetValue(rows.Key[row], out int before) || rows.Status[before] != ProvenanceBuffer.Succeeded)
            {
                latest[rows.Key[row]] = row;
            }
        }

        var runs = new List<ChainRun>();
        foreach ((int s, PointId key, ChainInput[] inputs, string? group) in wanted)
        {
            if (!latest.TryGetValue(key.ToGuid(), out int row))
            {
                string which = s < graph.PerPointCount ? $" for point {point}" : "";
                throw new CairnException(
                    $"no '{graph.Steps[s].Product}' result of the current code{which} has provenance; run the campaign first (`status` shows what is missing).",
                    ExitCodes.NotFound);
            }

            runs.Add(new ChainRun(s, key, row, inputs, group));
        }

        return new ProvenanceChain(rows, point, runs);
    }

    /// <summary>Whether a grouped step's run is over <paramref name="point"/>'s group.</summary>
    private static bool GroupHolds(GlobalPlan plan, GlobalInputs run, PointId point)
    {
        ProductBuffer points = plan.Points!;
        Guid id = point.ToGuid();
        return run.PointRows!.Any(row => points.PointIds[row] == id);
    }
}
