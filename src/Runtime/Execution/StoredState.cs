using System;
using System.Collections.Generic;
using Cairn.Columns;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// Which per-point results the store already holds: for each point id a mask with bit i set when
/// per-point step i's result is stored, and <see cref="PointBit"/> when the point itself is.
/// A run sets <see cref="SeenBit"/> on the points it meets, to tell duplicates.
/// </summary>
internal static class StoredState
{
    public const ulong PointBit = 1UL << 63;

    public const ulong SeenBit = 1UL << 62;

    public static PointMasks Load<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition)
    {
        var masks = new PointMasks();
        var ids = new Column<Guid>(StoreLayout.PointIdColumn);
        Mark(store, store.PointsDirectory, ProductBuffer.PerPoint(definition.CreatePointColumns()).ColumnNames, ids, masks, PointBit);
        CampaignGraph graph = definition.Graph;
        for (int step = 0; step < graph.PerPointCount; step++)
        {
            IReadOnlyList<string> schema = ProductBuffer.PerPoint(definition.CreateColumns(step)).ColumnNames;
            Mark(store, store.ProductDirectory(graph.Steps[step].Product), schema, ids, masks, 1UL << step);
        }

        return masks;
    }

    private static void Mark(CampaignStore store, string directory, IReadOnlyList<string> schema, Column<Guid> ids, PointMasks masks, ulong bit)
    {
        foreach (string shard in store.Shards(directory))
        {
            ids.Clear();
            store.Format.Read(shard, [ids], schema);
            foreach (Guid id in ids.Values)
            {
                masks.Or(PointId.FromGuid(id), bit);
            }
        }
    }
}
