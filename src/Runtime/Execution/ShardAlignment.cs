using System.Collections.Generic;

namespace Cairn.Execution;

/// <summary>
/// The product shards that hold the very rows of a points shard, in its order, all current (what
/// <see cref="StoredState.Load"/> takes along with the points shard without reading it): row r of
/// such a product shard is the result of the point in row r of the points shard. A run that
/// recomputes a later step reads a points shard and these beside it, rows side by side, instead of
/// looking each point's stored inputs up among all shards.
/// </summary>
internal sealed class ShardAlignment
{
    private readonly Dictionary<(int Step, int PointShard), string> _products = [];

    /// <summary>The points shards, current ones then history, as <see cref="StoredState.Load"/> numbered them.</summary>
    public IReadOnlyList<string> PointShards { get; set; } = [];

    /// <summary>Records that <paramref name="productShard"/> holds step <paramref name="step"/>'s current results of points shard <paramref name="pointShard"/>'s rows; the first one found stays.</summary>
    public void Add(int step, int pointShard, string productShard) => _products.TryAdd((step, pointShard), productShard);

    /// <summary>The product shard of step <paramref name="step"/> that is aligned with points shard <paramref name="pointShard"/>; null when none is.</summary>
    public string? ProductShard(int step, int pointShard) => _products.GetValueOrDefault((step, pointShard));
}
