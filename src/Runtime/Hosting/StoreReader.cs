using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Columns;
using Cairn.Execution;
using Cairn.Storage;

namespace Cairn.Hosting;

/// <summary>
/// Reads a store as typed values: what the generated <c>Campaign.Results</c> readers call. Only
/// current results (of the current code, for the points <c>[Points]</c> yields now): per-point
/// values one per point, ordered by point id.
/// </summary>
public static class StoreReader
{
    /// <summary>The stored points that <c>[Points]</c> yields now.</summary>
    /// <exception cref="StoreException">The store is missing, holds another campaign, or a shard is unreadable.</exception>
    public static IReadOnlyList<Result<TPoint>> Points<TPoint>(CampaignDefinition<TPoint> definition, string store)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ProductBuffer points = ProductReader.LoadPoints(Open(definition, store), definition);
        using CurrentPoints current = CurrentPoints.Enumerate(definition);
        Dictionary<Guid, int> rows = ProductReader.FirstRows(points);
        foreach (Guid id in rows.Keys.Where(id => !current.Contains(id)).ToArray())
        {
            rows.Remove(id);
        }

        return Typed<TPoint>(points, rows);
    }

    /// <summary>The stored values of per-point step <paramref name="step"/>'s product.</summary>
    /// <exception cref="StoreException">The store is missing, holds another campaign, or a shard is unreadable.</exception>
    public static IReadOnlyList<Result<T>> PerPoint<TPoint, T>(CampaignDefinition<TPoint> definition, string store, int step)
    {
        ArgumentNullException.ThrowIfNull(definition);
        CampaignStore opened = Open(definition, store);
        ProductBuffer buffer = ProductReader.Load(opened, definition, step);
        using CurrentPoints points = CurrentPoints.Enumerate(definition);
        return Typed<T>(buffer, new CurrentResults<TPoint>(definition, opened, points).PerPointRows(buffer, step));
    }

    /// <summary>The current (newest) value of global step <paramref name="step"/>'s product.</summary>
    /// <exception cref="CairnException">No value is stored yet.</exception>
    public static T Global<TPoint, T>(CampaignDefinition<TPoint> definition, string store, int step)
    {
        ArgumentNullException.ThrowIfNull(definition);
        CampaignStore opened = Open(definition, store);
        ProductBuffer buffer = ProductReader.Load(opened, definition, step);
        using CurrentPoints points = CurrentPoints.Enumerate(definition);
        int[] rows = new CurrentResults<TPoint>(definition, opened, points).GlobalRows(buffer, step);
        return rows.Length > 0
            ? ((RecordColumns<T>)buffer.Values).Get(rows[0])
            : throw new CairnException($"no value of product '{definition.Graph.Steps[step].Product}' is stored in {store} yet; run the campaign first.", ExitCodes.Error);
    }

    /// <summary>The current values of grouped step <paramref name="step"/>'s product, keyed by group, in key order: the groups whose result is stored.</summary>
    /// <exception cref="StoreException">The store is missing, holds another campaign, or a shard is unreadable.</exception>
    public static IReadOnlyDictionary<TKey, T> Groups<TPoint, TKey, T>(CampaignDefinition<TPoint> definition, string store, int step)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(definition);
        CampaignStore opened = Open(definition, store);
        ProductBuffer buffer = ProductReader.Load(opened, definition, step);
        using CurrentPoints points = CurrentPoints.Enumerate(definition);
        return buffer.GroupKeys is null
            ? throw new ArgumentException($"step {step} is not grouped", nameof(step))
            : buffer.ByGroup<TKey, T>(new CurrentResults<TPoint>(definition, opened, points).GlobalRows(buffer, step));
    }

    private static CampaignStore Open<TPoint>(CampaignDefinition<TPoint> definition, string store) =>
        CampaignStore.Open(store, definition.Graph.Name, create: false);

    private static Result<T>[] Typed<T>(ProductBuffer buffer, Dictionary<Guid, int> rows)
    {
        var values = (RecordColumns<T>)buffer.Values;
        return rows
            .Select(kv => (Id: PointId.FromGuid(kv.Key), Row: kv.Value))
            .OrderBy(x => x.Id)
            .Select(x => new Result<T>(x.Id, values.Get(x.Row)))
            .ToArray();
    }
}
