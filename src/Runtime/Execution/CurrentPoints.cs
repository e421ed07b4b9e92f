using System;
using System.Collections.Generic;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>
/// The points the campaign's <c>[Points]</c> method yields now. Only their results are current: a
/// point it no longer yields keeps its stored results as history (readable with <c>--all-versions</c>
/// and <c>provenance</c>), and they are current again once it yields the point again. Status, the
/// readers and every reduction cover these points only.
/// </summary>
internal sealed class CurrentPoints : IDisposable
{
    private readonly PointMasks _masks;
    private readonly bool _owned;

    private CurrentPoints(PointMasks masks, bool owned)
    {
        _masks = masks;
        _owned = owned;
    }

    /// <summary>The points a run met: those its table marks with <see cref="StoredState.SeenBit"/>. The table stays the run's.</summary>
    public static CurrentPoints Of(PointMasks masks) => new(masks, owned: false);

    /// <summary>Enumerates <c>[Points]</c> for the ids of the points it yields now.</summary>
    /// <exception cref="CairnException">The [Points] method threw.</exception>
    public static CurrentPoints Enumerate<TPoint>(CampaignDefinition<TPoint> definition)
    {
        var masks = new PointMasks();
        try
        {
            Mark(definition, masks);
            return new CurrentPoints(masks, owned: true);
        }
        catch
        {
            masks.Dispose();
            throw;
        }
    }

    /// <summary>Sets <see cref="StoredState.SeenBit"/> in <paramref name="masks"/> on every point <c>[Points]</c> yields now.</summary>
    /// <exception cref="CairnException">The [Points] method threw.</exception>
    public static void Mark<TPoint>(CampaignDefinition<TPoint> definition, PointMasks masks)
    {
        var canonical = new CanonicalWriter();
        using IEnumerator<TPoint> points = PointSource.Start(definition);
        while (PointSource.Next(points))
        {
            canonical.Reset();
            definition.WriteCanonical(points.Current, canonical);
            masks.Or(canonical.ToPointId(), StoredState.SeenBit);
        }
    }

    /// <summary>How many distinct points are current.</summary>
    public long Count => _masks.CountHaving(StoredState.SeenBit);

    /// <summary>The ids of the current points, in no particular order.</summary>
    public IEnumerable<Guid> Ids()
    {
        var ids = new PointId[_masks.CountHaving(StoredState.SeenBit)];
        int count = _masks.CopyHaving(StoredState.SeenBit, ids);
        for (int i = 0; i < count; i++)
        {
            yield return ids[i].ToGuid();
        }
    }

    /// <summary>Whether <paramref name="point"/> is one that <c>[Points]</c> yields now.</summary>
    public bool Contains(PointId point) => (_masks.Get(point) & StoredState.SeenBit) != 0;

    /// <inheritdoc cref="Contains(PointId)"/>
    public bool Contains(Guid point) => Contains(PointId.FromGuid(point));

    public void Dispose()
    {
        if (_owned)
        {
            _masks.Dispose();
        }
    }
}
