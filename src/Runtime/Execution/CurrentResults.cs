using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>The inputs of a global step's current result, and its key.</summary>
/// <param name="Key">The key the current result has (or will have).</param>
/// <param name="Count">How many points its list inputs cover.</param>
/// <param name="Rows">For each input, the rows to read in its product, in the order of the stored
/// shards as they were listed: for a list input one per point (ordered by point id), for a single
/// input the producer's current row.</param>
/// <param name="StoredRows">For each input, how many rows its product had when the rows were found.</param>
/// <param name="Digests">For each input, what identifies it in the key: the digest of a list input's
/// keys (one node for the whole map in provenance), a single input's key.</param>
internal sealed record GlobalInputs(PointId Key, int Count, int[][] Rows, int[] StoredRows, PointId[] Digests);

/// <summary>
/// Tells which stored rows are current: a per-point row of a current point (<see cref="CurrentPoints"/>)
/// whose key is the key the point's result has under the current code, and the global row whose
/// key follows from the current results it was computed from. Other rows are history.
/// </summary>
internal sealed class CurrentResults<TPoint>
{
    private readonly CampaignDefinition<TPoint> _definition;
    private readonly CampaignStore _store;
    private readonly CampaignGraph _graph;
    private readonly KeyChain _chain;
    private readonly CurrentPoints _points;
    private readonly Dictionary<int, GlobalInputs?> _global = [];

    public CurrentResults(CampaignDefinition<TPoint> definition, CampaignStore store, CurrentPoints points)
    {
        _definition = definition;
        _store = store;
        _graph = definition.Graph;
        _chain = new KeyChain(_graph);
        _points = points;
    }

    /// <summary>For per-point step <paramref name="step"/>: the first current row of every current point.</summary>
    public Dictionary<Guid, int> PerPointRows(ProductBuffer buffer, int step)
    {
        var rows = new Dictionary<Guid, int>();
        for (int row = 0; row < buffer.Count; row++)
        {
            if (_chain.IsCurrent(buffer.PointIds[row], buffer.ResultKeys[row], step) && _points.Contains(buffer.PointIds[row]))
            {
                rows.TryAdd(buffer.PointIds[row], row);
            }
        }

        return rows;
    }

    /// <summary>For global step <paramref name="step"/>: the current row, or -1.</summary>
    public int GlobalRow(ProductBuffer buffer, int step) =>
        Global(step) is { } inputs ? RowOfKey(buffer, inputs.Key) : -1;

    /// <summary>
    /// The inputs and key of global step <paramref name="step"/>'s current result, from the inputs'
    /// key columns alone; <see langword="null"/> when an input has no current value yet.
    /// </summary>
    public GlobalInputs? Global(int step)
    {
        if (_global.TryGetValue(step, out GlobalInputs? known))
        {
            return known;
        }

        StepInfo info = _graph.Steps[step];
        int[] producers = _graph.InputSteps[step];
        var digests = new PointId[producers.Length];
        var rows = new int[producers.Length][];
        var storedRows = new int[producers.Length];
        var keys = new ProductBuffer[producers.Length];
        var current = new Dictionary<Guid, int>?[producers.Length];
        for (int i = 0; i < producers.Length; i++)
        {
            keys[i] = ProductReader.LoadKeys(_store, _definition, producers[i]);
            storedRows[i] = keys[i].Count;
            if (info.Inputs[i].IsList)
            {
                current[i] = PerPointRows(keys[i], producers[i]);
            }
        }

        var lists = Enumerable.Range(0, producers.Length).Where(i => current[i] is not null).ToArray();
        PointId[] points = lists.Length == 0
            ? []
            : current[lists[0]]!.Keys.Where(id => lists.All(i => current[i]!.ContainsKey(id))).Select(PointId.FromGuid).ToArray();
        Array.Sort(points);
        bool ready = lists.Length == 0 || points.Length > 0;
        for (int i = 0; ready && i < producers.Length; i++)
        {
            if (current[i] is { } map)
            {
                int[] listRows = rows[i] = new int[points.Length];
                var listKeys = new PointId[points.Length];
                for (int p = 0; p < points.Length; p++)
                {
                    listRows[p] = map[points[p].ToGuid()];
                    listKeys[p] = PointId.FromGuid(keys[i].ResultKeys[listRows[p]]);
                }

                digests[i] = KeyChain.Digest(listKeys);
            }
            else if (Global(producers[i]) is { } producer && RowOfKey(keys[i], producer.Key) is int row and >= 0)
            {
                rows[i] = [row];
                digests[i] = producer.Key;
            }
            else
            {
                ready = false;
            }
        }

        GlobalInputs? result = ready ? new GlobalInputs(_chain.Global(step, digests), points.Length, rows, storedRows, digests) : null;
        _global[step] = result;
        return result;
    }

    /// <summary>The row holding <paramref name="key"/>, or -1.</summary>
    public static int RowOfKey(ProductBuffer buffer, PointId key)
    {
        Guid wanted = key.ToGuid();
        ReadOnlySpan<Guid> keys = buffer.ResultKeys.Values;
        for (int row = keys.Length - 1; row >= 0; row--)
        {
            if (keys[row] == wanted)
            {
                return row;
            }
        }

        return -1;
    }
}
