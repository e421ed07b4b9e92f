using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>A point whose steps must run on inputs that are already stored: it waits until they are loaded.</summary>
internal readonly record struct DeferredPoint<TPoint>(TPoint Point, PointId Id, StepSet Stored);

/// <summary>
/// The stored current values of per-point results that a group of deferred points needs as inputs.
/// Each product's shards are read one at a time and only the wanted rows are kept, so memory grows
/// with the points of the group, not with the store; the reading stops once every wanted row is
/// found, and the shards that <see cref="DeferredOrder{TPoint}"/> found the group's rows in come first.
/// </summary>
internal sealed class StoredInputs
{
    private readonly ProductBuffer?[] _values;
    private readonly Dictionary<Guid, int>?[] _rows;

    private StoredInputs(int steps)
    {
        _values = new ProductBuffer?[steps];
        _rows = new Dictionary<Guid, int>?[steps];
    }

    /// <summary>Loads, for every point of <paramref name="points"/>, the stored results it must load under <paramref name="planner"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="definition">The campaign.</param>
    /// <param name="planner">What each point loads.</param>
    /// <param name="points">The points.</param>
    /// <param name="shards">The shards (relative to the store) that a plan found the inputs in: only those are read while they all exist. Null to read every shard.</param>
    /// <param name="first">Shards of one step's product to read before its others (<see cref="DeferredOrder{TPoint}.ShardsOf"/>); null for none.</param>
    /// <exception cref="StoreException">A result the run found stored is no longer there.</exception>
    public static StoredInputs Load<TPoint>(
        CampaignStore store,
        CampaignDefinition<TPoint> definition,
        Planner planner,
        ReadOnlySpan<DeferredPoint<TPoint>> points,
        IReadOnlyList<string>? shards = null,
        (int Step, IReadOnlySet<string> Shards)? first = null)
    {
        HashSet<string>? only = shards?.Select(s => Path.GetFullPath(Path.Combine(store.Root, s))).ToHashSet(StringComparer.Ordinal);
        if (only is not null && !only.All(File.Exists))
        {
            // A compaction merged them since the plan: the inputs are in other shards now.
            only = null;
        }

        CampaignGraph graph = definition.Graph;
        var inputs = new StoredInputs(graph.PerPointCount);
        var chain = new KeyChain(graph);
        var keys = new PointId[graph.PerPointCount];
        var wanted = new Dictionary<Guid, Guid>?[graph.PerPointCount];
        foreach (DeferredPoint<TPoint> point in points)
        {
            StepSet load = planner.Plan(point.Stored).Load;
            chain.Compute(point.Id, keys, graph.PerPointCount);
            for (int step = 0; step < graph.PerPointCount; step++)
            {
                if (load.Contains(step))
                {
                    (wanted[step] ??= []).TryAdd(point.Id.ToGuid(), keys[step].ToGuid());
                }
            }
        }

        for (int step = 0; step < graph.PerPointCount; step++)
        {
            if (wanted[step] is { } want)
            {
                inputs.LoadProduct(store, definition, step, want, only, first is { } f && f.Step == step ? f.Shards : null);
            }
        }

        return inputs;
    }

    /// <summary>
    /// The stored inputs of points that are all rows of one points shard, read from the product
    /// shards aligned with it (<see cref="ShardAlignment"/>): row r of each holds the result of the
    /// point in row r of the points shard, so no other shard is read and no row is looked up.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="definition">The campaign.</param>
    /// <param name="load">The steps whose results are loaded.</param>
    /// <param name="shardOf">The aligned product shard of each of those steps.</param>
    /// <param name="rowCount">The points shard's rows.</param>
    /// <param name="points">The points, by row of the points shard and id.</param>
    /// <exception cref="StoreException">A shard no longer holds what the run found (a compaction merged it since).</exception>
    public static StoredInputs Aligned<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, StepSet load, Func<int, string> shardOf, int rowCount, IReadOnlyList<(int Row, Guid Id)> points)
    {
        var inputs = new StoredInputs(definition.Graph.PerPointCount);
        var rows = new Dictionary<Guid, int>(points.Count);
        foreach ((int row, Guid id) in points)
        {
            rows.TryAdd(id, row);
        }

        for (int step = 0; step < definition.Graph.PerPointCount; step++)
        {
            if (!load.Contains(step))
            {
                continue;
            }

            string shard = shardOf(step);
            var values = ProductBuffer.PerPoint(definition.CreateColumns(step));
            _ = store.Read(shard, values.All, values.Schema);
            if (values.Count != rowCount || points.Any(p => values.PointIds[p.Row] != p.Id))
            {
                throw new StoreException($"{shard} changed while the run read it (its rows are no longer those of its points shard); run again.");
            }

            inputs._values[step] = values;
            inputs._rows[step] = rows;
        }

        return inputs;
    }

    /// <summary>The loaded value of step <paramref name="step"/> for <paramref name="point"/>.</summary>
    public T Get<T>(int step, Guid point) =>
        ((Columns.RecordColumns<T>)_values[step]!.Values).Get(_rows[step]![point]);

    /// <summary>
    /// Reads the wanted rows of step <paramref name="step"/>'s product: the shards of
    /// <paramref name="first"/> before the others, and no more shards once every wanted row is found.
    /// </summary>
    private void LoadProduct<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, int step, Dictionary<Guid, Guid> want, HashSet<string>? only, IReadOnlySet<string>? first)
    {
        var loaded = ProductBuffer.PerPoint(definition.CreateColumns(step));
        var rows = new Dictionary<Guid, int>(want.Count);
        var shard = ProductBuffer.PerPoint(definition.CreateColumns(step));
        string product = definition.Graph.Steps[step].Product;
        IEnumerable<string> paths = store.ShardsWithHistory(store.ProductDirectory(product)).Where(p => only is null || only.Contains(Path.GetFullPath(p)));
        foreach (string path in first is null ? paths : paths.OrderBy(p => first.Contains(p) ? 0 : 1))
        {
            if (rows.Count == want.Count)
            {
                break;
            }

            shard.Clear();
            _ = store.Read(path, shard.All, shard.Schema);
            for (int row = 0; row < shard.Count; row++)
            {
                Guid point = shard.PointIds[row];
                if (want.TryGetValue(point, out Guid key) && shard.ResultKeys[row] == key && rows.TryAdd(point, loaded.Count))
                {
                    loaded.AppendRow(shard, row);
                }
            }
        }

        if (rows.Count != want.Count)
        {
            throw new StoreException($"{store.ProductDirectory(product)} changed while the run read it ({want.Count - rows.Count} stored results are gone); run again.");
        }

        _values[step] = loaded;
        _rows[step] = rows;
    }
}
