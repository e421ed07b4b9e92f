using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Columns;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// Tells which stored rows are current: a per-point row of a current point (<see cref="CurrentPoints"/>)
/// whose key is the key the point's result has under the current code, and the global rows (one,
/// or one per group of a grouped step) whose keys follow from the current results they were
/// computed from. Other rows are history.
/// </summary>
internal sealed class CurrentResults<TPoint>
{
    private readonly CampaignDefinition<TPoint> _definition;
    private readonly CampaignStore _store;
    private readonly CampaignGraph _graph;
    private readonly KeyChain _chain;
    private readonly CurrentPoints _points;
    private readonly Dictionary<int, GlobalPlan?> _global = [];

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

    /// <summary>For global step <paramref name="step"/>: the current rows, one per group in key order (one for a step that is not grouped); empty when none is stored.</summary>
    public int[] GlobalRows(ProductBuffer buffer, int step) =>
        Global(step) is { } plan ? RowsOf(buffer, plan) : [];

    /// <summary>The keys of global step <paramref name="step"/>'s current results (one per group); empty when it has none yet.</summary>
    public HashSet<Guid> CurrentKeys(int step) =>
        Global(step) is { } plan ? [.. plan.Runs.Select(r => r.Key.ToGuid())] : [];

    /// <summary>
    /// The runs and keys of global step <paramref name="step"/>'s current results, from the inputs'
    /// key columns (and, for a grouped step, the stored points) alone; <see langword="null"/> when an
    /// input has no current value yet.
    /// </summary>
    public GlobalPlan? Global(int step)
    {
        if (_global.TryGetValue(step, out GlobalPlan? known))
        {
            return known;
        }

        GlobalPlan? result = Plan(step);
        _global[step] = result;
        return result;
    }

    private GlobalPlan? Plan(int step)
    {
        StepInfo info = _graph.Steps[step];
        int[] producers = _graph.InputSteps[step];
        var storedRows = new int[producers.Length];
        var keys = new ProductBuffer[producers.Length];
        var current = new Dictionary<Guid, int>?[producers.Length];
        var singleRows = new int[producers.Length][];
        var singleDigests = new PointId[producers.Length];
        for (int i = 0; i < producers.Length; i++)
        {
            keys[i] = ProductReader.LoadKeys(_store, _definition, producers[i]);
            storedRows[i] = keys[i].Count;
            if (info.Inputs[i].IsList)
            {
                current[i] = PerPointRows(keys[i], producers[i]);
            }
            else if (!Single(producers[i], keys[i], out singleRows[i], out singleDigests[i]))
            {
                return null;
            }
        }

        var lists = Enumerable.Range(0, producers.Length).Where(i => current[i] is not null).ToArray();
        bool Complete(Guid id) => lists.All(i => current[i]!.ContainsKey(id));
        StepGrouping<TPoint>? grouping = _definition.Grouping(step);
        ProductBuffer? points = grouping is not null || info.UsesPoint ? ProductReader.LoadPoints(_store, _definition) : null;
        Dictionary<Guid, int>? pointRows = points is null ? null : ProductReader.FirstRows(points);

        // One run over every current point with all list inputs, or one per group of current points.
        var runs = new List<GlobalInputs>();
        PointGroups? groups = null;
        if (grouping is null)
        {
            PointId[] ids = lists.Length == 0 ? [] : [.. current[lists[0]]!.Keys.Where(Complete).Select(PointId.FromGuid)];
            Array.Sort(ids);
            if (lists.Length == 0 || ids.Length > 0)
            {
                runs.Add(Run(step, -1, default, ids, _points.Count));
            }
        }
        else
        {
            PointId[] all = [.. pointRows!.Keys.Where(_points.Contains).Select(PointId.FromGuid)];
            Array.Sort(all);
            var values = (RecordColumns<TPoint>)points!.Values;
            groups = grouping.Assign(i => values.Get(pointRows[all[i].ToGuid()]), all.Length);
            for (int g = 0; g < groups.Count; g++)
            {
                // A group none of whose points has its inputs has no result, unless it must wait for
                // them (not partial): then its run stays, never ready, and what reads all groups waits too.
                PointId[] ids = [.. groups.Members[g].Select(m => all[m]).Where(id => Complete(id.ToGuid()))];
                if (ids.Length > 0 || !info.Partial)
                {
                    runs.Add(Run(step, g, groups.Ids[g], ids, groups.Members[g].Length));
                }
            }
        }

        return runs.Count == 0 ? null : new GlobalPlan(runs, storedRows, groups, points);

        GlobalInputs Run(int step, int group, PointId groupId, PointId[] ids, long total)
        {
            var rows = new int[producers.Length][];
            var digests = new PointId[producers.Length];
            for (int i = 0; i < producers.Length; i++)
            {
                if (current[i] is { } map)
                {
                    int[] listRows = rows[i] = new int[ids.Length];
                    var listKeys = new PointId[ids.Length];
                    for (int p = 0; p < ids.Length; p++)
                    {
                        listRows[p] = map[ids[p].ToGuid()];
                        listKeys[p] = PointId.FromGuid(keys[i].ResultKeys[listRows[p]]);
                    }

                    digests[i] = KeyDigest.Of(listKeys);
                }
                else
                {
                    rows[i] = singleRows[i];
                    digests[i] = singleDigests[i];
                }
            }

            int[]? aligned = pointRows is null ? null : [.. ids.Select(id => pointRows[id.ToGuid()])];
            PointId key = group < 0 ? _chain.Global(step, digests) : _chain.Global(step, [groupId, .. digests]);
            return new GlobalInputs(key, ids.Length, total, rows, aligned, digests, group);
        }
    }

    /// <summary>What identifies grouped step <paramref name="producer"/>'s current results in the key of a step that reads them all; null when one is not stored.</summary>
    public PointId? GroupsDigest(int producer) =>
        Single(producer, ProductReader.LoadKeys(_store, _definition, producer), out _, out PointId digest) ? digest : null;

    /// <summary>
    /// A once-computed input: the producer's current row and key, or for a grouped producer the rows
    /// of all its groups' current results in key order and the digest of their keys. False when one
    /// is not stored yet.
    /// </summary>
    public bool Single(int producer, ProductBuffer stored, out int[] rows, out PointId digest)
    {
        rows = [];
        digest = default;
        if (Global(producer) is not { } plan)
        {
            return false;
        }

        // Runs are in key order, and so are their rows.
        rows = RowsOf(stored, plan);
        if (rows.Length != plan.Runs.Count)
        {
            return false;
        }

        PointId[] groupKeys = [.. plan.Runs.Select(r => r.Key)];
        digest = plan.Groups is null ? groupKeys[0] : KeyDigest.Of(groupKeys);
        return true;
    }

    /// <summary>The stored rows of a plan's runs' keys, in the runs' order; runs whose result is not stored are left out.</summary>
    private static int[] RowsOf(ProductBuffer buffer, GlobalPlan plan)
    {
        var rows = new List<int>(plan.Runs.Count);
        foreach (GlobalInputs run in plan.Runs)
        {
            if (RowOfKey(buffer, run.Key) is int row and >= 0)
            {
                rows.Add(row);
            }
        }

        return [.. rows];
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
