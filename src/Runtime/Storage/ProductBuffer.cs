using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>
/// Rows of one product as they are stored: key columns the runtime fills (a point id, or the
/// identity of a global step's inputs) followed by the generated value columns.
/// </summary>
internal sealed class ProductBuffer
{
    private ProductBuffer(RecordColumns values, IReadOnlyList<Column> keys)
    {
        Values = values;
        Keys = keys;
        All = keys.Concat(values.Columns).ToArray();
        ColumnNames = All.Select(c => c.Name).ToArray();
    }

    /// <summary>The names of <see cref="All"/>: the schema every shard of the product has.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The generated value columns.</summary>
    public RecordColumns Values { get; }

    /// <summary>The key columns, stored first.</summary>
    public IReadOnlyList<Column> Keys { get; }

    /// <summary>Keys then values, as stored.</summary>
    public IReadOnlyList<Column> All { get; }

    /// <summary>The point ids, for per-point products and points.</summary>
    public Column<Guid> PointIds => (Column<Guid>)Keys[0];

    /// <summary>For a global product: the identity of its inputs.</summary>
    public Column<string> InputsHash => (Column<string>)Keys[0];

    /// <summary>For a global product: how many points its inputs cover.</summary>
    public Column<long> InputCount => (Column<long>)Keys[1];

    /// <summary>Rows buffered.</summary>
    public int Count => Keys[0].Count;

    public static ProductBuffer PerPoint(RecordColumns values) => new(values, [new Column<Guid>(StoreLayout.PointIdColumn)]);

    public static ProductBuffer Global(RecordColumns values) =>
        new(values, [new Column<string>(StoreLayout.InputsColumn), new Column<long>(StoreLayout.InputCountColumn)]);

    public void Clear()
    {
        foreach (Column column in All)
        {
            column.Clear();
        }
    }
}
