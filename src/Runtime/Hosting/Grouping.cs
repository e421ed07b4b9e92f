using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Columns;

namespace Cairn.Hosting;

/// <summary>
/// The grouping of one <c>[GroupBy]</c> step, emitted by the generator: the key of a point (one
/// property's value, or a tuple of them), its columns, its canonical bytes and its order.
/// </summary>
/// <typeparam name="TPoint">The point type.</typeparam>
/// <typeparam name="TKey">The group key: the property's type, or a tuple of the properties' types.</typeparam>
public sealed class Grouping<TPoint, TKey> : StepGrouping<TPoint>
    where TKey : notnull
{
    private readonly Func<TPoint, TKey> _keyOf;
    private readonly Func<RecordColumns<TKey>> _createColumns;
    private readonly Action<TKey, CanonicalWriter> _writeCanonical;
    private readonly Comparison<TKey> _order;

    /// <summary>Called by generated code only.</summary>
    /// <param name="properties">The point properties that make the key, in order.</param>
    /// <param name="keyOf">A point's key.</param>
    /// <param name="createColumns">New, empty columns for keys, named after the properties.</param>
    /// <param name="writeCanonical">Writes a key's canonical bytes, as a point's are written.</param>
    /// <param name="order">The order of keys: ordinal for strings, by value for the rest.</param>
    public Grouping(string[] properties, Func<TPoint, TKey> keyOf, Func<RecordColumns<TKey>> createColumns, Action<TKey, CanonicalWriter> writeCanonical, Comparison<TKey> order)
        : base(properties)
    {
        _keyOf = keyOf;
        _createColumns = createColumns;
        _writeCanonical = writeCanonical;
        _order = order;
    }

    internal override RecordColumns CreateColumns() => _createColumns();

    internal override PointGroups Assign(Func<int, TPoint> pointAt, int count)
    {
        var members = new Dictionary<TKey, List<int>>();
        for (int i = 0; i < count; i++)
        {
            TKey key = _keyOf(pointAt(i));
            if (!members.TryGetValue(key, out List<int>? list))
            {
                members.Add(key, list = []);
            }

            list.Add(i);
        }

        TKey[] keys = [.. members.Keys];
        Array.Sort(keys, _order);
        RecordColumns<TKey> columns = _createColumns();
        var ids = new PointId[keys.Length];
        var writer = new CanonicalWriter();
        for (int g = 0; g < keys.Length; g++)
        {
            columns.Append(keys[g]);
            writer.Reset();
            _writeCanonical(keys[g], writer);
            ids[g] = writer.ToPointId();
        }

        return new PointGroups(columns, ids, [.. keys.Select(k => members[k].ToArray())]);
    }
}
