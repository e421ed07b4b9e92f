using System;
using System.Collections.Generic;
using Cairn.Columns;
using Cairn.Hosting;

namespace Cairn.Storage;

/// <summary>Reads whole products of a campaign from its store.</summary>
internal static class ProductReader
{
    /// <summary>All committed rows of step <paramref name="step"/>'s product, in commit order.</summary>
    public static ProductBuffer Load<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, int step)
    {
        ProductBuffer buffer = Empty(definition, step);
        store.ReadAll(Directory(store, definition, step), buffer);
        return buffer;
    }

    /// <summary>
    /// Only the key columns of every committed row of step <paramref name="step"/>'s product (the
    /// value columns stay empty): enough to tell which results are current, without reading values.
    /// </summary>
    public static ProductBuffer LoadKeys<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, int step)
    {
        ProductBuffer buffer = Empty(definition, step);
        store.ReadAll(Directory(store, definition, step), buffer.Keys, buffer.Schema);
        return buffer;
    }

    /// <summary>
    /// Only the value columns of every committed row of step <paramref name="step"/>'s product, and
    /// a grouped product's group columns (the other key columns stay empty): what a step reading it is given.
    /// </summary>
    public static ProductBuffer LoadValues<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, int step)
    {
        ProductBuffer buffer = Empty(definition, step);
        IReadOnlyList<Column> columns = buffer.GroupKeys is { } groups ? [.. buffer.Values.Columns, .. groups.Columns] : buffer.Values.Columns;
        store.ReadAll(Directory(store, definition, step), columns, buffer.Schema);
        return buffer;
    }

    /// <summary>An empty buffer with the stored layout of step <paramref name="step"/>'s product.</summary>
    public static ProductBuffer Empty<TPoint>(CampaignDefinition<TPoint> definition, int step) =>
        step < definition.Graph.PerPointCount ? ProductBuffer.PerPoint(definition.CreateColumns(step))
        : definition.Grouping(step) is { } grouping ? ProductBuffer.Grouped(definition.CreateColumns(step), grouping.CreateColumns())
        : ProductBuffer.Global(definition.CreateColumns(step));

    private static string Directory<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, int step) =>
        store.ProductDirectory(definition.Graph.Steps[step].Product);

    /// <summary>All committed points.</summary>
    public static ProductBuffer LoadPoints<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition)
    {
        ProductBuffer buffer = ProductBuffer.Points(definition.CreatePointColumns());
        store.ReadAll(store.PointsDirectory, buffer);
        return buffer;
    }

    /// <summary>The first row of every point id: a point stored twice (by two writers) counts once.</summary>
    public static Dictionary<Guid, int> FirstRows(ProductBuffer product)
    {
        var first = new Dictionary<Guid, int>(product.Count);
        ReadOnlySpan<Guid> ids = product.PointIds.Values;
        for (int row = 0; row < ids.Length; row++)
        {
            first.TryAdd(ids[row], row);
        }

        return first;
    }
}
