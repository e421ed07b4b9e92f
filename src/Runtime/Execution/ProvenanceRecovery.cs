using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// Stores written before results were committed after their provenance may hold current results
/// without a provenance row (a run that ended abnormally lost it). Once per such store, a run writes
/// for each of them what can be told (<see cref="ProvenanceBuffer.AddRecovered"/>: key, step, code
/// hash, point, input keys, status <c>recovered</c>), so that <c>provenance</c> answers, and marks
/// the store's manifest; stores made since are marked from the start and never read for this.
/// </summary>
internal static class ProvenanceRecovery
{
    /// <summary>Writes the missing rows of a store not yet marked; returns how many.</summary>
    public static int Run<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition)
    {
        if (store.ProvenanceComplete)
        {
            return 0;
        }

        CampaignGraph graph = definition.Graph;
        var stored = new ProvenanceBuffer();
        store.ReadAll(store.ProvenanceDirectory, [stored.Key], stored.Schema);
        var known = new HashSet<Guid>(stored.Key.Values.ToArray());
        var chain = new KeyChain(graph);
        var keys = new PointId[graph.PerPointCount];
        var recovered = new ProvenanceBuffer();
        for (int step = 0; step < graph.Steps.Count; step++)
        {
            ProductBuffer results = ProductReader.LoadKeys(store, definition, step);
            for (int row = 0; row < results.Count; row++)
            {
                Guid key = results.ResultKeys[row];
                if (known.Contains(key))
                {
                    continue;
                }

                if (step >= graph.PerPointCount)
                {
                    // A reduction's inputs are maps, told by the current results rather than by the row.
                    recovered.AddRecovered(key, graph.Steps[step], null, []);
                }
                else if (chain.IsCurrent(results.PointIds[row], key, step))
                {
                    chain.Compute(PointId.FromGuid(results.PointIds[row]), keys, graph.PerPointCount);
                    recovered.AddRecovered(key, graph.Steps[step], results.PointIds[row], [.. graph.InputSteps[step].Select(input => keys[input].ToGuid())]);
                }
                else
                {
                    // A result of older code: its provenance would need that code's keys; it stays without.
                    continue;
                }

                known.Add(key);
            }
        }

        store.CommitTable(store.ProvenanceDirectory, "provenance", recovered.All);
        store.MarkProvenanceComplete();
        return recovered.Count;
    }
}
