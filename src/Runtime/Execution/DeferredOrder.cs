using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// The points that wait for stored inputs, ordered by the shard that holds their first input, so
/// that a group of them (<see cref="RunOptions.DeferredGroup"/>) finds its inputs in a few shards
/// instead of reading every shard of the product: without it, after an edit to the second step of
/// 10^7 points, ten groups read the whole first product ten times.
/// </summary>
/// <typeparam name="TPoint">The campaign's point type.</typeparam>
internal sealed class DeferredOrder<TPoint>
{
    private readonly int[] _shards;
    private readonly IReadOnlyList<string> _paths;

    private DeferredOrder(DeferredPoint<TPoint>[] points, int step, int[] shards, IReadOnlyList<string> paths)
    {
        Points = points;
        Step = step;
        _shards = shards;
        _paths = paths;
    }

    /// <summary>
    /// How many groups the points must fill before they are ordered. Ordering costs about 1.5 us a
    /// point (the dictionary, in a large heap), and saves reading the input product once per group:
    /// measured after an edit to bench/Trivial's second step, 4 groups (4 x 10^6 points) took 33 s
    /// unordered and 36 s ordered, 10 groups 97 s and 85 s.
    /// </summary>
    public const int OrderedAbove = 4;

    /// <summary>The points, in their new order.</summary>
    public DeferredPoint<TPoint>[] Points { get; }

    /// <summary>The step whose product orders them; -1 when they keep the order they came in.</summary>
    public int Step { get; }

    /// <summary>
    /// Orders <paramref name="points"/> by the shard of step <c>Step</c>'s product (the first step the
    /// first point loads) that holds a row of theirs, current shards before history; points without one
    /// there come last. Only the shards' point ids are read, and the points' ids are held in a
    /// dictionary meanwhile (about 30 bytes a point). Points that fill at most
    /// <see cref="OrderedAbove"/> groups keep their order.
    /// </summary>
    public static DeferredOrder<TPoint> Arrange(CampaignStore store, CampaignDefinition<TPoint> definition, Planner planner, DeferredPoint<TPoint>[] points, int group)
    {
        StepSet load = points.Length > (long)OrderedAbove * group ? planner.Plan(points[0].Stored).Load : StepSet.Empty;
        if (load.IsEmpty)
        {
            return new DeferredOrder<TPoint>(points, -1, [], []);
        }

        int step = Enumerable.Range(0, definition.Graph.PerPointCount).First(load.Contains);
        var place = new Dictionary<Guid, int>(points.Length);
        for (int i = 0; i < points.Length; i++)
        {
            place.TryAdd(points[i].Id.ToGuid(), i);
        }

        IReadOnlyList<string> paths = store.ShardsWithHistory(store.ProductDirectory(definition.Graph.Steps[step].Product));
        int[] shardOf = new int[points.Length];
        Array.Fill(shardOf, paths.Count);
        ProductBuffer ids = ProductReader.Empty(definition, step);
        for (int shard = 0; shard < paths.Count; shard++)
        {
            ids.ReadPointIds(store, paths[shard]);
            foreach (Guid id in ids.PointIds.Values)
            {
                if (place.TryGetValue(id, out int i) && shardOf[i] == paths.Count)
                {
                    shardOf[i] = shard;
                }
            }
        }

        // A stable counting sort by shard: points of one shard keep the order they came in. next[s]
        // is where the next point of shard s goes (s = paths.Count: in none), first the points before it.
        int[] next = new int[paths.Count + 2];
        foreach (int shard in shardOf)
        {
            next[shard + 1]++;
        }

        for (int s = 1; s < next.Length; s++)
        {
            next[s] += next[s - 1];
        }

        var ordered = new DeferredPoint<TPoint>[points.Length];
        int[] shards = new int[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            int at = next[shardOf[i]]++;
            ordered[at] = points[i];
            shards[at] = shardOf[i];
        }

        return new DeferredOrder<TPoint>(ordered, step, shards, paths);
    }

    /// <summary>The shards of step <see cref="Step"/>'s product that hold rows of the points from <paramref name="from"/> to <paramref name="to"/> (exclusive).</summary>
    public IReadOnlySet<string> ShardsOf(int from, int to)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        int last = -1;
        for (int i = from; i < to && i < _shards.Length; i++)
        {
            int shard = _shards[i];
            if (shard != last && shard < _paths.Count)
            {
                paths.Add(_paths[shard]);
            }

            last = shard;
        }

        return paths;
    }
}
