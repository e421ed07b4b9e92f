using System;
using Cairn.Columns;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// Which results of the current code the store already holds: for each point id a mask with bit i
/// set when per-point step i's result with the current key is stored, and <see cref="PointBit"/>
/// when the point itself is. Results of older code have other keys and do not count. A run sets
/// <see cref="SeenBit"/> on the points it meets, to tell duplicates.
/// </summary>
internal static class StoredState
{
    public const ulong PointBit = 1UL << 63;

    public const ulong SeenBit = 1UL << 62;

    public static PointMasks Load<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition)
    {
        var masks = new PointMasks();
        var ids = new Column<Guid>(StoreLayout.PointIdColumn);
        foreach (string shard in store.Shards(store.PointsDirectory))
        {
            ids.Clear();
            store.Format.Read(shard, [ids], ProductBuffer.Points(definition.CreatePointColumns()).ColumnNames);
            foreach (Guid id in ids.Values)
            {
                masks.Or(PointId.FromGuid(id), PointBit);
            }
        }

        CampaignGraph graph = definition.Graph;
        var chain = new KeyChain(graph);
        for (int step = 0; step < graph.PerPointCount; step++)
        {
            ProductBuffer keys = ProductReader.LoadKeys(store, definition, step);
            for (int row = 0; row < keys.Count; row++)
            {
                if (chain.IsCurrent(keys.PointIds[row], keys.ResultKeys[row], step))
                {
                    masks.Or(PointId.FromGuid(keys.PointIds[row]), 1UL << step);
                }
            }
        }

        return masks;
    }
}
